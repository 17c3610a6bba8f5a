"""Behind the API: rows the API cannot make (backdated sessions) and counter checks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from webapp.db import Conn
from webapp.queries.stats import fetch_counter_snapshot, recount_all


async def insert_session(conn: Conn, group_id: int, activity_id: int, when: datetime) -> int:
    """A session at a chosen time (the API has no way to backdate).

    Callers run `recount_all` afterwards so the maintained counters stay right.
    """
    return int(
        await conn.fetch_val(
            "INSERT INTO study_sessions (group_id, study_activity_id, learner_id, created_at)"
            " VALUES (:group_id, :activity_id, 1, :created_at) RETURNING id",
            {
                "group_id": group_id,
                "activity_id": activity_id,
                "created_at": conn.timestamp(when),
            },
        )
    )


async def insert_sessions(
    conn: Conn, group_id: int, activity_id: int, times: Iterable[datetime]
) -> list[int]:
    async with conn.transaction():
        ids = [await insert_session(conn, group_id, activity_id, when) for when in times]
        await recount_all(conn)
    return ids


class _RollBack(Exception):
    pass


def _comparable(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Rows as plain tuples, timestamps as instants (the drivers differ in types)."""

    def value(v: Any) -> Any:
        if isinstance(v, datetime):
            return v.astimezone(UTC)
        if isinstance(v, str):  # SQLite's timestamp text
            return datetime.fromisoformat(v.replace("Z", "+00:00")).astimezone(UTC)
        return int(v) if isinstance(v, bool) else v

    return {
        table: [tuple(value(v) for v in row.values()) for row in rows]
        for table, rows in snapshot.items()
    }


async def counters_and_recount(conn: Conn) -> tuple[dict[str, Any], dict[str, Any]]:
    """The maintained counters, and what a recount from raw rows makes of them.

    The recount runs in a transaction that is rolled back, so the database is
    left exactly as the API made it.
    """
    kept = _comparable(await fetch_counter_snapshot(conn))
    recounted: dict[str, Any] = {}
    try:
        async with conn.transaction():
            await recount_all(conn)
            recounted = _comparable(await fetch_counter_snapshot(conn))
            raise _RollBack
    except _RollBack:
        pass
    assert _comparable(await fetch_counter_snapshot(conn)) == kept, "the recount was not undone"
    return kept, recounted


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
