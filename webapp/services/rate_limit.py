"""A rate limiter kept in the database, shared by every worker and instance.

`check_and_count` counts one attempt for (bucket, key) in a fixed window of
`window_seconds` and says whether it is within `limit`.  Counting happens in
one statement, so attempts spread over several workers add up; an attempt over
the limit is counted too (it keeps the key refused until its window ends, and
not longer).

Callers choose the bucket ("signin_client", "signin_token", …) and the key (a
client address, "all" for a global limit).  Keys longer than 128 characters are
stored as their SHA-256, so a hostile key cannot bloat the table.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime

from ..db import Conn, utc_now
from ..queries import rate_limits

MAX_KEY_LENGTH = 128


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int  # seconds until the next attempt would be allowed (0 when allowed)
    hits: int = 0  # attempts counted in the current window, this one included


def stored_key(key: str) -> str:
    if len(key) <= MAX_KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


async def check_and_count(
    conn: Conn,
    bucket: str,
    key: str,
    *,
    limit: int,
    window_seconds: int,
    now: datetime | None = None,
) -> RateDecision:
    """Count one attempt; allowed while the window holds at most `limit` of them."""
    if limit < 1 or window_seconds < 1:
        raise ValueError("limit and window_seconds must be at least 1")
    moment = (now or utc_now()).astimezone(UTC)
    now_seconds = moment.timestamp()
    current = math.floor(now_seconds)
    async with conn.transaction():
        hits, window_start = await rate_limits.count_hit(
            conn, bucket, stored_key(key), current, window_seconds
        )
        if hits == 1:
            # A new window began: the moment to forget this bucket's finished ones.
            await rate_limits.delete_expired(conn, bucket, current, window_seconds)
    if hits <= limit:
        return RateDecision(allowed=True, retry_after=0, hits=hits)
    retry_after = max(1, math.ceil(window_start + window_seconds - now_seconds))
    return RateDecision(allowed=False, retry_after=retry_after, hits=hits)


async def peek(
    conn: Conn,
    bucket: str,
    key: str,
    *,
    limit: int,
    now: datetime | None = None,
) -> RateDecision:
    """Whether the next attempt would be allowed, without counting one.

    For limits on failures only (a correct admin token is never counted): look
    first, refuse without trying while over the limit, and count the failures.
    """
    now_seconds = (now or utc_now()).astimezone(UTC).timestamp()
    window = await rate_limits.get_window(conn, bucket, stored_key(key))
    if window is None or window["window_start"] + window["window_seconds"] <= now_seconds:
        return RateDecision(allowed=True, retry_after=0, hits=0)
    if window["hits"] < limit:
        return RateDecision(allowed=True, retry_after=0, hits=window["hits"])
    retry_after = max(1, math.ceil(window["window_start"] + window["window_seconds"] - now_seconds))
    return RateDecision(allowed=False, retry_after=retry_after, hits=window["hits"])
