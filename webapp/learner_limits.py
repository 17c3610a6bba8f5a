"""Per-address limits on creating profiles and trying move codes (kept in the
database by services/rate_limit.py, so every worker and instance counts together).

A whole class often reaches the portal through one school address, so creating
profiles allows 120 per address per 10 minutes (60 learners joining at once, with
room for typos and second devices). Move codes are 40 bits: after 10 wrong codes
from one address in 10 minutes every try is refused, right or wrong, until the
window ends.
"""

from __future__ import annotations

from .clients import client_address
from .db import Conn
from .errors import TooManyRequests
from .services.rate_limit import check_and_count, peek

PROFILES_PER_WINDOW = 120
PROFILE_WINDOW_SECONDS = 600
MOVE_CODE_FAILURES = 10
MOVE_CODE_WINDOW_SECONDS = 600


async def count_profile_creation(conn: Conn) -> None:
    decision = await check_and_count(
        conn,
        "learner_create",
        client_address(),
        limit=PROFILES_PER_WINDOW,
        window_seconds=PROFILE_WINDOW_SECONDS,
    )
    if not decision.allowed:
        raise TooManyRequests(
            "Too many new profiles from this address: try again in a few minutes",
            retry_after=decision.retry_after,
        )


def _too_many_codes(retry_after: int) -> TooManyRequests:
    return TooManyRequests(
        "Too many wrong move codes from this address: wait a few minutes and try again",
        retry_after=retry_after,
        field="code",
    )


async def move_codes_blocked(conn: Conn) -> None:
    """Refuse before trying the code while this address is over its failures."""
    decision = await peek(conn, "move_code_failures", client_address(), limit=MOVE_CODE_FAILURES)
    if not decision.allowed:
        raise _too_many_codes(decision.retry_after)


async def count_move_code_failure(conn: Conn) -> None:
    decision = await check_and_count(
        conn,
        "move_code_failures",
        client_address(),
        limit=MOVE_CODE_FAILURES,
        window_seconds=MOVE_CODE_WINDOW_SECONDS,
    )
    if not decision.allowed:
        raise _too_many_codes(decision.retry_after)
