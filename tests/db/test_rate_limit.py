"""The database-backed rate limiter: counts per key in a fixed window, shared by
every process that uses the same database (two workers count the same attempts)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tests.helpers import connect, utc
from webapp.services.rate_limit import check_and_count

START = utc(2026, 12, 1, 9, 0, 0)


async def test_the_attempt_over_the_limit_is_refused_until_the_window_ends(conn):
    decisions = [
        await check_and_count(conn, "signin", "10.0.0.1", limit=3, window_seconds=60, now=START)
        for _ in range(4)
    ]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[-1].retry_after == 60

    later = START + timedelta(seconds=45)
    still = await check_and_count(conn, "signin", "10.0.0.1", limit=3, window_seconds=60, now=later)
    assert not still.allowed and still.retry_after == 15

    after = START + timedelta(seconds=60)
    again = await check_and_count(conn, "signin", "10.0.0.1", limit=3, window_seconds=60, now=after)
    assert again.allowed and again.retry_after == 0


async def test_keys_and_buckets_are_counted_apart(conn):
    for _ in range(2):
        await check_and_count(conn, "signin", "a", limit=2, window_seconds=60, now=START)
    assert not (
        await check_and_count(conn, "signin", "a", limit=2, window_seconds=60, now=START)
    ).allowed
    assert (
        await check_and_count(conn, "signin", "b", limit=2, window_seconds=60, now=START)
    ).allowed
    assert (
        await check_and_count(conn, "bearer", "a", limit=2, window_seconds=60, now=START)
    ).allowed


async def test_a_very_long_key_is_counted_like_any_other(conn):
    key = "x" * 5000
    for _ in range(2):
        await check_and_count(conn, "signin", key, limit=2, window_seconds=60, now=START)
    over = await check_and_count(conn, "signin", key, limit=2, window_seconds=60, now=START)
    assert not over.allowed
    other = await check_and_count(conn, "signin", key + "y", limit=2, window_seconds=60, now=START)
    assert other.allowed
    longest = await conn.fetch_val("SELECT MAX(LENGTH(key)) FROM rate_limits")
    assert longest <= 200


async def test_finished_windows_of_rotating_keys_do_not_pile_up(conn):
    for second in range(0, 600, 10):
        moment = START + timedelta(seconds=second)
        await check_and_count(
            conn, "signin", f"10.0.0.{second}", limit=5, window_seconds=30, now=moment
        )
    rows = await conn.fetch_val("SELECT COUNT(*) FROM rate_limits WHERE bucket = 'signin'")
    assert rows <= 4  # only windows that have not ended yet (30 s at one key per 10 s)


async def test_two_processes_share_one_count(database_url):
    """Attempts sent at once through two separate connection pools (as two workers
    would) let exactly `limit` through."""
    async with connect(database_url) as first, connect(database_url) as second:

        async def attempts(conn, n):
            return [
                (await check_and_count(conn, "signin", "all", limit=10, window_seconds=300)).allowed
                for _ in range(n)
            ]

        results = await asyncio.gather(attempts(first, 15), attempts(second, 15))
    allowed = sum(flag for batch in results for flag in batch)
    assert allowed == 10
