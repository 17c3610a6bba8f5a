"""Settings from the environment, validated once at start-up.

Every setting has a safe default for a laptop; `load_settings` raises
`ConfigError` with a message naming the variable when a value is unusable, so a
misconfigured deployment fails at start-up rather than on the first request.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .db import make_private_dir, redact_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"
DEFAULT_DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'lang_portal.db'}"


class ConfigError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str = ""
    admin_token: str | None = None
    default_timezone: str = "UTC"
    public_url: str | None = None
    allowed_origins: tuple[str, ...] = ()
    trust_proxy: bool = False
    # Who a request without a learner token acts as: "local" (only this machine acts
    # as the default learner), "everyone" (a personal hosted portal), "nobody".
    default_learner: str = "local"
    # Peers whose forwarding headers count when trust_proxy is on ("*": any peer).
    forwarded_allow_ips: tuple[str, ...] = ("127.0.0.1", "::1")
    # Started for one person on this machine (`make run`): see webapp.security.
    local_mode: bool = False
    # Memory per worker for rendered GET responses (webapp/response_cache.py); 0: off.
    response_cache_mb: int = 32
    secret_key_from_env: bool = True
    testing: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def dialect(self) -> str:
        return "postgresql" if self.database_url.startswith("postgresql") else "sqlite"


def _parse_whole_number(name: str, raw: str, low: int, high: int) -> int:
    try:
        number = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= number <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, got {number}")
    return number


def _parse_port(raw: str) -> int:
    return _parse_whole_number("PORT", raw, 1, 65535)


def _parse_database_url(raw: str) -> str:
    url = raw.strip()
    # Heroku-style add-ons still hand out postgres://; asyncpg wants postgresql://
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if not (url.startswith("sqlite:///") or url.startswith("postgresql://")):
        raise ConfigError(
            "DATABASE_URL must start with sqlite:/// (a file) or postgresql:// "
            f"(a server), got {redact_url(raw)!r}"
        )
    if url.startswith("sqlite:///") and url.rstrip("/").endswith(":memory:"):
        raise ConfigError(
            "DATABASE_URL may not be an in-memory SQLite database: every connection "
            "would see a new empty database. Use a file path instead."
        )
    return url


def is_timezone(name: str) -> bool:
    """True for an IANA zone name that zoneinfo can load (e.g. Asia/Tokyo)."""
    try:
        ZoneInfo(name)
    # OSError: a folder of the zone database such as 'America' is opened as a file
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _parse_timezone(raw: str) -> str:
    if not is_timezone(raw):
        raise ConfigError(
            f"DEFAULT_TIMEZONE must be an IANA time zone such as Asia/Tokyo, got {raw!r}"
        )
    return raw


def _parse_origins(raw: str) -> tuple[str, ...]:
    origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    for origin in origins:
        if not origin.startswith(("http://", "https://")):
            raise ConfigError(
                f"ALLOWED_ORIGINS entries must look like https://example.com, got {origin!r}"
            )
    return origins


def _parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


DEFAULT_LEARNER_MODES = ("local", "everyone", "nobody")


def _parse_default_learner(raw: str) -> str:
    value = raw.strip().lower() or "local"
    if value not in DEFAULT_LEARNER_MODES:
        raise ConfigError(f"DEFAULT_LEARNER must be local, everyone or nobody, got {raw!r}")
    return value


def load_secret_key(instance_dir: Path = INSTANCE_DIR) -> str:
    """Return the key kept under instance/, creating it once.

    Every worker must share one key, or a CSRF token signed by one worker would
    be rejected by the next.  The key is written to a private temporary file and
    linked into place (link fails when the name exists), so a worker starting at
    the same moment sees either no file or the whole key, never an empty one.
    """
    path = instance_dir / "secret_key"
    make_private_dir(instance_dir)
    if not path.exists():
        temporary = instance_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
                handle.flush()
                os.fsync(handle.fileno())
            # atomic, and never replaces the key another worker linked first
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    try:
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            f"the secret key file {path} cannot be read ({type(error).__name__}): fix its "
            "permissions, or delete it to have a new one made, or set SECRET_KEY"
        ) from None
    if len(key) < 32:
        raise ConfigError(
            f"the secret key file {path} is empty or too short: delete it to have a new one "
            "made (signed-in users are signed out), or set SECRET_KEY"
        )
    return key


def _parse_addresses(raw: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in raw.split(",") if a.strip()) or ("127.0.0.1", "::1")


def _parse_cache_size(raw: str) -> int:
    if not raw.strip():
        return Settings.response_cache_mb
    return _parse_whole_number("RESPONSE_CACHE_MB", raw, 0, 4096)


def load_settings(
    env: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Read settings from `env` (default os.environ); `overrides` win (tests use them)."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {k.upper(): v for k, v in env.items()}
    values.update({k.upper(): v for k, v in (overrides or {}).items()})

    instance_dir = Path(str(values.get("INSTANCE_DIR") or INSTANCE_DIR))
    database_url = _parse_database_url(
        str(values.get("DATABASE_URL") or f"sqlite:///{instance_dir / 'lang_portal.db'}")
    )
    port = _parse_port(str(values.get("PORT") or "8000"))
    timezone = _parse_timezone(str(values.get("DEFAULT_TIMEZONE") or "UTC"))
    origins = _parse_origins(str(values.get("ALLOWED_ORIGINS") or ""))
    admin_token = str(values.get("ADMIN_TOKEN") or "") or None
    if admin_token is not None and len(admin_token) < 12:
        raise ConfigError("ADMIN_TOKEN must be at least 12 characters long")
    public_url = str(values.get("PUBLIC_URL") or "").rstrip("/") or None
    if public_url and not public_url.startswith(("http://", "https://")):
        raise ConfigError(f"PUBLIC_URL must start with http:// or https://, got {public_url!r}")
    secret_key_from_env = bool(values.get("SECRET_KEY"))
    secret_key = str(values.get("SECRET_KEY") or "") or load_secret_key(instance_dir)
    return Settings(
        database_url=database_url,
        host=str(values.get("HOST") or "127.0.0.1"),
        port=port,
        secret_key=secret_key,
        admin_token=admin_token,
        default_timezone=timezone,
        public_url=public_url,
        allowed_origins=origins,
        trust_proxy=_parse_bool("TRUST_PROXY", str(values.get("TRUST_PROXY") or "")),
        default_learner=_parse_default_learner(str(values.get("DEFAULT_LEARNER") or "")),
        forwarded_allow_ips=_parse_addresses(str(values.get("FORWARDED_ALLOW_IPS") or "")),
        local_mode=_parse_bool("LOCAL_MODE", str(values.get("LOCAL_MODE") or "")),
        response_cache_mb=_parse_cache_size(str(values.get("RESPONSE_CACHE_MB", ""))),
        secret_key_from_env=secret_key_from_env,
        testing=bool(values.get("TESTING", False)),
    )
