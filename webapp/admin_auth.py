"""Guesses at the admin token, limited in the database (shared by every worker).

Two limits, both over ROLLING_SECONDS windows: per client (its real address,
webapp.clients.client_address) and per token across all clients, so rotating
addresses does not help an attacker.  The owner is slowed, never locked out for
longer than one window.

- A Bearer header: while either limit is reached the request is refused (429)
  without comparing, so the refusal tells nothing about the guess; a wrong
  token counts, a right one does not (scripts using the token are not slowed).
- The sign-in form counts every attempt first, then compares.
"""

from __future__ import annotations

from quart import g

from .clients import client_address
from .errors import TooManyRequests
from .security import admin_mode, bearer_token, token_fingerprint, token_matches
from .services.rate_limit import RateDecision, check_and_count, peek
from .web import conn

WINDOW_SECONDS = 60
PER_CLIENT = 5
PER_TOKEN = 20
CLIENT_BUCKET = "admin_guess_client"
TOKEN_BUCKET = "admin_guess_token"


def _limits() -> list[tuple[str, str, int]]:
    # The global key names the token, so a new ADMIN_TOKEN starts with a clean count.
    return [
        (CLIENT_BUCKET, client_address(), PER_CLIENT),
        (TOKEN_BUCKET, token_fingerprint()[:32], PER_TOKEN),
    ]


def _refuse(decisions: list[RateDecision]) -> None:
    blocked = [d for d in decisions if not d.allowed]
    if blocked:
        wait = max(d.retry_after for d in blocked)
        raise TooManyRequests(
            f"Too many wrong admin tokens: wait {wait} seconds and try again", retry_after=wait
        )


async def _count_guess() -> list[RateDecision]:
    connection = await conn()
    return [
        await check_and_count(connection, bucket, key, limit=limit, window_seconds=WINDOW_SECONDS)
        for bucket, key, limit in _limits()
    ]


async def verify_bearer() -> None:
    """Before every request: judge its Bearer header once, leaving `g.admin_bearer`."""
    candidate = bearer_token()
    if not candidate or admin_mode() != "token":
        return
    connection = await conn()
    _refuse([await peek(connection, bucket, key, limit=limit) for bucket, key, limit in _limits()])
    g.admin_bearer = token_matches(candidate)
    if not g.admin_bearer:
        await _count_guess()


async def sign_in_allowed(candidate: str) -> bool:
    """Count a sign-in attempt (429 when over a limit) and say whether the token is right."""
    _refuse(await _count_guess())
    return token_matches(candidate)
