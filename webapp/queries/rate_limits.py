"""Statements of the database-backed rate limiter (webapp.services.rate_limit)."""

from __future__ import annotations

from ..db import Conn


async def count_hit(
    conn: Conn, bucket: str, key: str, window_start: int, window_seconds: int
) -> tuple[int, int]:
    """Count one hit in the key's current window, starting a new window when the
    stored one has passed; returns (hits in the window, the window's start).

    One statement, so two workers counting at once cannot both read the old count.
    """
    row = await conn.fetch_one(
        "INSERT INTO rate_limits (bucket, key, window_start, window_seconds, hits)"
        " VALUES (:bucket, :key, :window_start, :window_seconds, 1)"
        " ON CONFLICT (bucket, key) DO UPDATE SET"
        "  hits = CASE WHEN rate_limits.window_start + rate_limits.window_seconds"
        "   <= :window_start THEN 1 ELSE rate_limits.hits + 1 END,"
        "  window_start = CASE WHEN rate_limits.window_start + rate_limits.window_seconds"
        "   <= :window_start THEN :window_start ELSE rate_limits.window_start END,"
        "  window_seconds = :window_seconds"
        " RETURNING hits, window_start",
        {
            "bucket": bucket,
            "key": key,
            "window_start": window_start,
            "window_seconds": window_seconds,
        },
    )
    assert row is not None  # an upsert with RETURNING always returns its row
    return int(row["hits"]), int(row["window_start"])


async def delete_expired(conn: Conn, bucket: str, now: int, longest_window: int) -> int:
    """Forget the windows of `bucket` that have ended by `now` (epoch seconds).

    `longest_window` bounds the search so the index on (bucket, window_start) is used.
    """
    return await conn.execute(
        "DELETE FROM rate_limits WHERE bucket = :bucket AND window_start < :started_before"
        " AND window_start + window_seconds <= :now",
        {"bucket": bucket, "started_before": now - longest_window + 1, "now": now},
    )


async def get_window(conn: Conn, bucket: str, key: str) -> dict[str, int] | None:
    row = await conn.fetch_one(
        "SELECT hits, window_start, window_seconds FROM rate_limits"
        " WHERE bucket = :bucket AND key = :key",
        {"bucket": bucket, "key": key},
    )
    return None if row is None else {name: int(value) for name, value in row.items()}
