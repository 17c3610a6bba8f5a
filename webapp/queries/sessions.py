"""Study sessions: lists, one session, creation and the counters kept on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..db import Conn
from .common import session_item

_SELECT = (
    "SELECT s.id, s.group_id, g.name AS group_name, s.study_activity_id,"
    " a.name AS activity_name, a.activity_type, s.created_at, s.last_review_at,"
    " s.correct_count, s.wrong_count, s.learner_id, s.queue_mode "
    "FROM study_sessions s JOIN groups g ON g.id = s.group_id "
    "JOIN study_activities a ON a.id = s.study_activity_id "
)
_NEWEST_FIRST = "ORDER BY s.created_at DESC, s.id DESC"
_FILTERS = {
    "learner_id": "s.learner_id",
    "group_id": "s.group_id",
    "study_activity_id": "s.study_activity_id",
}


def _where(filters: dict[str, int]) -> str:
    clauses = [f"{_FILTERS[name]} = :{name}" for name in filters]
    return ("WHERE " + " AND ".join(clauses) + " ") if clauses else ""


async def list_sessions_page(
    conn: Conn,
    *,
    learner_id: int,
    limit: int,
    offset: int,
    filters: dict[str, int] | None = None,
) -> list[dict[str, Any]]:
    """The learner's sessions, newest first; `filters` may hold group_id, study_activity_id."""
    filters = {"learner_id": learner_id, **(filters or {})}
    rows = await conn.fetch_all(
        _SELECT + _where(filters) + _NEWEST_FIRST + " LIMIT :limit OFFSET :offset",
        {**filters, "limit": limit, "offset": offset},
    )
    return [session_item(row) for row in rows]


async def count_sessions(
    conn: Conn, *, learner_id: int, filters: dict[str, int] | None = None
) -> int:
    filters = {"learner_id": learner_id, **(filters or {})}
    sql = "SELECT COUNT(*) FROM study_sessions s " + _where(filters)
    return int(await conn.fetch_val(sql, filters))


async def get_session(conn: Conn, session_id: int) -> dict[str, Any] | None:
    row = await conn.fetch_one(_SELECT + "WHERE s.id = :id", {"id": session_id})
    return None if row is None else session_item(row)


async def get_last_session(conn: Conn, learner_id: int) -> dict[str, Any] | None:
    row = await conn.fetch_one(
        _SELECT + "WHERE s.learner_id = :learner_id " + _NEWEST_FIRST + " LIMIT 1",
        {"learner_id": learner_id},
    )
    return None if row is None else session_item(row)


async def insert_session(
    conn: Conn,
    *,
    group_id: int,
    activity_id: int,
    learner_id: int,
    created_at: datetime,
    queue_mode: str = "scheduled",
) -> int:
    return int(
        await conn.fetch_val(
            "INSERT INTO study_sessions"
            " (group_id, study_activity_id, learner_id, created_at, queue_mode) "
            "VALUES (:group_id, :activity_id, :learner_id, :created_at, :queue_mode) RETURNING id",
            {
                "group_id": group_id,
                "activity_id": activity_id,
                "learner_id": learner_id,
                "created_at": conn.timestamp(created_at),
                "queue_mode": queue_mode,
            },
        )
    )


# The most spans one statement may ask about: each is one term of a compound SELECT,
# and SQLite refuses more than 500 terms (SQLITE_MAX_COMPOUND_SELECT, "too many terms
# in compound SELECT").
MAX_SPANS_PER_PROBE = 360


async def find_days_with_sessions(
    conn: Conn, learner_id: int, days: list[tuple[datetime, datetime]]
) -> set[int]:
    """Which of the given [start, end) spans hold a session of the learner.

    One statement with one index probe per span (study_sessions_by_learner), so
    the cost follows the number of days asked about, not the size of the history.
    Only parameter names are generated here; every value is bound.
    """
    if not 0 < len(days) <= MAX_SPANS_PER_PROBE:
        raise ValueError(f"ask about 1 to {MAX_SPANS_PER_PROBE} days, not {len(days)}")
    values: dict[str, Any] = {"learner_id": learner_id}
    probes = []
    for index, (start, end) in enumerate(days):
        values[f"start_{index}"] = conn.timestamp(start)
        values[f"end_{index}"] = conn.timestamp(end)
        probes.append(
            f"SELECT {index} AS day WHERE EXISTS (SELECT 1 FROM study_sessions"
            f" WHERE learner_id = :learner_id AND created_at >= :start_{index}"
            f" AND created_at < :end_{index})"
        )
    rows = await conn.fetch_all(" UNION ALL ".join(probes), values)
    return {int(row["day"]) for row in rows}
