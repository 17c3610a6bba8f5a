"""Start-up warnings for a hosted portal whose settings leave something off."""

from __future__ import annotations

import logging

from .config import Settings

log = logging.getLogger("webapp")


def hosting_warnings(settings: Settings) -> list[str]:
    """What a hosted (not local-mode) start should tell its operator."""
    if settings.local_mode or settings.testing:
        return []
    warnings = []
    if not settings.admin_token:
        warnings.append(
            "ADMIN_TOKEN is not set: admin actions (resets, editing) are turned off. "
            "Set ADMIN_TOKEN to a long random secret to turn them on."
        )
    if not settings.secret_key_from_env:
        warnings.append(
            "SECRET_KEY is not set: using the key kept in instance/secret_key. Where the disk "
            "is wiped on deploy, set SECRET_KEY so forms and sign-ins survive a restart."
        )
    if not settings.public_url:
        warnings.append(
            "PUBLIC_URL is not set: requests for any host name are answered and share links "
            "show only their path. Set PUBLIC_URL to the address learners use."
        )
    return warnings


def warn_about_hosting(settings: Settings) -> None:
    for warning in hosting_warnings(settings):
        log.warning("Lang Portal: %s", warning)
