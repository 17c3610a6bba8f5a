"""Learner profiles without passwords: names, device tokens, move codes, deletion.

A token (`lpl_` + 32 random bytes, base64url) is handed out once and stored as
its SHA-256 digest; a random 256-bit secret needs no slow hash.  A move code is
8 characters of Crockford base32, one-time, valid 24 hours, also stored hashed.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..config import is_timezone
from ..db import Conn, to_api_timestamp, utc_now
from ..errors import Conflict, InvalidInput, NotFound
from ..queries import cards
from ..queries import learners as q
from . import DEFAULT_LEARNER_ID

TOKEN_PREFIX = "lpl_"
NAME_MAX = 40
CODE_LENGTH = 8
CODE_LIFETIME = timedelta(hours=24)
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# What people mistype for Crockford's digits (O/0, I/L/1), as Crockford decodes them.
_CODE_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


@dataclass(frozen=True)
class NewCredential:
    learner: dict[str, Any]
    token: str
    token_id: int


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def clean_name(raw: object) -> tuple[str, str]:
    """The display name (trimmed, NFC) and its case-insensitive key; 422 naming the rule."""
    if not isinstance(raw, str):
        raise InvalidInput("'name' must be text", field="name")
    name = unicodedata.normalize("NFC", raw).strip()
    if not name:
        raise InvalidInput("Type a name (1 to 40 characters)", field="name")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"A name is at most {NAME_MAX} characters", field="name")
    # Cc: control characters; Cs: lone surrogates (no database can store them).
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name):
        raise InvalidInput("A name cannot contain control characters", field="name")
    return name, unicodedata.normalize("NFKC", name).casefold()


def clean_timezone(raw: object) -> str | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or not is_timezone(raw.strip()):
        raise InvalidInput(
            "'timezone' must be an IANA time zone such as Asia/Tokyo", field="timezone"
        )
    return raw.strip()


def name_taken(name: str) -> Conflict:
    return Conflict(
        f"Someone already uses '{name}'. Add an initial, or, if it is you, ask for a move code.",
        field="name",
    )


async def _learner(conn: Conn, learner_id: int) -> dict[str, Any]:
    learner = await q.get_learner(conn, learner_id, default_id=DEFAULT_LEARNER_ID)
    if learner is None:
        raise NotFound(f"Learner {learner_id} not found")
    return learner


async def get_learner(conn: Conn, learner_id: int) -> dict[str, Any]:
    return await _learner(conn, learner_id)


async def profile(conn: Conn, learner_id: int) -> dict[str, Any]:
    """GET /api/learners/me: the learner and how many devices hold a live token."""
    learner = await _learner(conn, learner_id)
    return {
        "id": learner["id"],
        "name": learner["name"],
        "timezone": learner["timezone"],
        "created_at": learner["created_at"],
        "is_default": learner["is_default"],
        "devices": await q.count_live_tokens(conn, learner_id),
    }


async def _issue_token(conn: Conn, learner_id: int, now: datetime) -> tuple[str, int]:
    token = new_token()
    return token, await q.insert_token(conn, learner_id, hash_secret(token), now)


async def create_learner(conn: Conn, *, name: object, timezone: object = None) -> NewCredential:
    display, key = clean_name(name)
    zone = clean_timezone(timezone)
    async with conn.transaction():
        if await q.find_learner_id_by_name_key(conn, key) is not None:
            raise name_taken(display)
        now = utc_now()
        learner_id = await q.insert_learner(
            conn, name=display, name_key=key, timezone=zone, created_at=now
        )
        await q.insert_learner_stats(conn, learner_id)
        token, token_id = await _issue_token(conn, learner_id, now)
        learner = await _learner(conn, learner_id)
    return NewCredential(learner, token, token_id)


async def update_learner(conn: Conn, learner_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """Rename and/or change the time zone; only the fields present change."""
    changes: dict[str, Any] = {}
    if "name" in body:
        changes["name"] = clean_name(body["name"])
    if "timezone" in body:
        changes["timezone"] = clean_timezone(body["timezone"])
    async with conn.transaction():
        await _learner(conn, learner_id)
        if "name" in changes:
            display, key = changes["name"]
            holder = await q.find_learner_id_by_name_key(conn, key)
            if holder is not None and holder != learner_id:
                raise name_taken(display)
            await q.update_learner_name(conn, learner_id, name=display, name_key=key)
        if "timezone" in changes:
            await q.update_learner_timezone(conn, learner_id, changes["timezone"])
    return await profile(conn, learner_id)


async def learner_for_token(conn: Conn, token: str) -> dict[str, int] | None:
    """The live token's id and learner, or None for an unknown or revoked token."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    return await q.find_token(conn, hash_secret(token))


async def sign_out_other_devices(conn: Conn, learner_id: int, keep_token_id: int | None) -> int:
    async with conn.transaction():
        return await q.revoke_tokens_except(conn, learner_id, keep_token_id, utc_now())


async def delete_learner(conn: Conn, learner_id: int) -> dict[str, int]:
    """The learner and everything that is theirs alone; 409 for the default learner."""
    if learner_id == DEFAULT_LEARNER_ID:
        raise Conflict(
            "The default learner cannot be deleted: reset its history instead", field="learner_id"
        )
    # no answer of theirs lands half-way
    async with conn.transaction(advisory_lock=cards.learner_lock_key(learner_id)):
        await _learner(conn, learner_id)
        counts = await q.count_learner_history(conn, learner_id)
        # Their history first (triggers keep only their own counters moving), then the
        # profile; its tokens and codes go with it (ON DELETE CASCADE).
        await q.subtract_learner_group_sessions(conn, learner_id)
        await q.delete_learner_history(conn, learner_id)
        await q.delete_learner(conn, learner_id)
    return {"learner_id": learner_id, **counts}


async def reset_learner_history(conn: Conn, learner_id: int) -> dict[str, int]:
    """This learner's sessions, reviews and schedule; nobody else's."""
    async with conn.transaction(advisory_lock=cards.learner_lock_key(learner_id)):
        await _learner(conn, learner_id)
        counts = await q.count_learner_history(conn, learner_id)
        await q.subtract_learner_group_sessions(conn, learner_id)
        await q.delete_learner_history(conn, learner_id)
    return counts


async def remove_profiles(conn: Conn) -> None:
    """Full reset: every learner but the default, every token and move code."""
    await q.delete_all_codes(conn)
    await q.delete_all_tokens(conn)
    await q.delete_learners_except(conn, DEFAULT_LEARNER_ID)
    await q.restore_default_learner(conn, DEFAULT_LEARNER_ID)


# --- move codes --------------------------------------------------------------


def new_code() -> str:
    return "".join(secrets.choice(CROCKFORD) for _ in range(CODE_LENGTH))


def normalise_code(raw: object) -> str:
    """Case, spaces and '-' ignored, O→0 and I/L→1; 422 when it is not code-shaped."""
    if not isinstance(raw, str):
        raise InvalidInput("'code' must be text", field="code")
    code = "".join(raw.split()).replace("-", "").upper().translate(_CODE_LOOKALIKES)
    if len(code) != CODE_LENGTH or any(ch not in CROCKFORD for ch in code):
        raise InvalidInput("A move code is 8 letters and digits, like 7KQ2-M9XD", field="code")
    return code


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


async def issue_move_code(conn: Conn, learner_id: int) -> dict[str, Any]:
    """A new one-time code for the learner; it replaces their previous unused one."""
    code = new_code()
    now = utc_now()
    expires_at = now + CODE_LIFETIME
    async with conn.transaction():
        learner = await _learner(conn, learner_id)
        await q.delete_unused_codes(conn, learner_id)
        await q.insert_code(conn, learner_id, hash_secret(code), now, expires_at)
    return {
        "code": display_code(code),
        "plain_code": code,
        "expires_at": to_api_timestamp(expires_at),
        "learner": learner,
    }


async def peek_move_code(conn: Conn, code: str) -> dict[str, Any] | None:
    """The live code's learner, without spending it (the Move page's GET)."""
    return await q.find_live_code(conn, hash_secret(code), utc_now())


async def redeem_move_code(conn: Conn, code: str) -> NewCredential | None:
    """Spend the code and give this device a token of its own; None if unknown/used/expired."""
    async with conn.transaction():
        now = utc_now()
        found = await q.find_live_code(conn, hash_secret(code), now)
        if found is None or not await q.spend_code(conn, found["id"], now):
            return None
        token, token_id = await _issue_token(conn, found["learner_id"], now)
        learner = await _learner(conn, found["learner_id"])
    return NewCredential(learner, token, token_id)
