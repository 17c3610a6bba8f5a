"""The learner's running totals (one row per learner, kept by every write)."""

from __future__ import annotations

from typing import Any

from ..db import Conn

_STAT_COLUMNS = frozenset(
    {"correct_count", "wrong_count", "sessions_count", "words_studied", "active_groups"}
)


async def get_learner_stats(conn: Conn, learner_id: int) -> dict[str, int]:
    row = await conn.fetch_one(
        "SELECT correct_count, wrong_count, sessions_count, words_studied, active_groups "
        "FROM learner_stats WHERE learner_id = :id",
        {"id": learner_id},
    )
    if row is None:
        return dict.fromkeys(_STAT_COLUMNS, 0)
    return {key: int(value) for key, value in row.items()}


async def add_to_learner_stats(conn: Conn, learner_id: int, **deltas: int) -> None:
    """Add `deltas` (column name → amount) to the learner's totals in one statement."""
    unknown = set(deltas) - _STAT_COLUMNS
    if unknown:
        raise ValueError(f"not a learner stat: {sorted(unknown)}")
    assignments = ", ".join(f"{column} = {column} + :{column}" for column in sorted(deltas))
    await conn.execute(
        f"UPDATE learner_stats SET {assignments} WHERE learner_id = :learner_id",
        {**deltas, "learner_id": learner_id},
    )


async def get_learner_timezone(conn: Conn, learner_id: int) -> str | None:
    zone: str | None = await conn.fetch_val(
        "SELECT timezone FROM learners WHERE id = :id", {"id": learner_id}
    )
    return zone


async def count_words_total(conn: Conn) -> int:
    """Kept by triggers on words (migrations/0004_word_total.*.sql), set by recount_all."""
    return int(await conn.fetch_val("SELECT words_count FROM portal_totals WHERE id = 1"))


async def pause_review_counters(conn: Conn) -> None:
    """Before a bulk load of reviews: PostgreSQL skips the per-row counter trigger.

    Only inside a transaction that ends with recount_all.  SQLite has no way to
    switch a trigger off; there it runs, and the recount overwrites its work.
    """
    if not conn.is_sqlite:
        await conn.execute("ALTER TABLE words_review_items DISABLE TRIGGER review_counters")
        await conn.execute("ALTER TABLE words_review_items DISABLE TRIGGER review_uncounters")


async def resume_review_counters(conn: Conn) -> None:
    if not conn.is_sqlite:
        await conn.execute("ALTER TABLE words_review_items ENABLE TRIGGER review_counters")
        await conn.execute("ALTER TABLE words_review_items ENABLE TRIGGER review_uncounters")


async def recount_all(conn: Conn) -> None:
    """Recompute every maintained counter from the raw rows (after bulk loads).

    Set-based: one statement per counter, whatever the size of the history.
    """
    true = "1" if conn.is_sqlite else "TRUE"
    per_learner_word = (
        f"SELECT s.learner_id, r.word_id,"
        f" SUM(CASE WHEN r.correct = {true} THEN 1 ELSE 0 END) AS c,"
        f" SUM(CASE WHEN r.correct = {true} THEN 0 ELSE 1 END) AS w"
        " FROM words_review_items r JOIN study_sessions s ON s.id = r.study_session_id"
        " GROUP BY s.learner_id, r.word_id"
    )
    per_session = (
        f"SELECT study_session_id AS sid, SUM(CASE WHEN correct = {true} THEN 1 ELSE 0 END) AS c,"
        f" SUM(CASE WHEN correct = {true} THEN 0 ELSE 1 END) AS w, MAX(created_at) AS last_at"
        " FROM words_review_items GROUP BY study_session_id"
    )
    statements = [
        "UPDATE portal_totals SET words_count = (SELECT COUNT(*) FROM words)",
        # the card columns are rebuilt by replay (services/schedule.py, reschedule)
        "DELETE FROM learner_words",
        "INSERT INTO learner_words (learner_id, word_id, correct_count, wrong_count)"
        f" SELECT learner_id, word_id, c, w FROM ({per_learner_word}) agg",
        "UPDATE study_sessions SET correct_count = 0, wrong_count = 0, last_review_at = NULL",
        "UPDATE study_sessions SET correct_count = agg.c, wrong_count = agg.w,"
        f" last_review_at = agg.last_at FROM ({per_session}) agg WHERE study_sessions.id = agg.sid",
        "UPDATE groups SET word_count = 0, sessions_count = 0",
        "UPDATE groups SET word_count = agg.n FROM (SELECT group_id, COUNT(*) AS n"
        " FROM words_groups GROUP BY group_id) agg WHERE groups.id = agg.group_id",
        "UPDATE groups SET sessions_count = agg.n FROM (SELECT group_id, COUNT(*) AS n"
        " FROM study_sessions GROUP BY group_id) agg WHERE groups.id = agg.group_id",
        "DELETE FROM learner_groups",
        "INSERT INTO learner_groups (learner_id, group_id, sessions_count)"
        " SELECT learner_id, group_id, COUNT(*) FROM study_sessions GROUP BY learner_id, group_id",
        "UPDATE learner_stats SET "
        " correct_count = (SELECT COALESCE(SUM(correct_count), 0) FROM learner_words lw"
        "  WHERE lw.learner_id = learner_stats.learner_id),"
        " wrong_count = (SELECT COALESCE(SUM(wrong_count), 0) FROM learner_words lw"
        "  WHERE lw.learner_id = learner_stats.learner_id),"
        " sessions_count = (SELECT COUNT(*) FROM study_sessions s"
        "  WHERE s.learner_id = learner_stats.learner_id),"
        " active_groups = (SELECT COUNT(*) FROM learner_groups lg"
        "  WHERE lg.learner_id = learner_stats.learner_id),"
        " words_studied = (SELECT COUNT(*) FROM learner_words lw"
        "  WHERE lw.learner_id = learner_stats.learner_id)",
    ]
    await conn.execute_script(statements)


async def fetch_counter_snapshot(conn: Conn) -> dict[str, Any]:
    """Every maintained counter, for checking them against a recount."""
    return {
        "totals": await conn.fetch_all("SELECT id, words_count FROM portal_totals"),
        "learner_words": await conn.fetch_all(
            "SELECT learner_id, word_id, correct_count, wrong_count FROM learner_words"
            " ORDER BY learner_id, word_id"
        ),
        "learner_groups": await conn.fetch_all(
            "SELECT learner_id, group_id, sessions_count FROM learner_groups"
            " ORDER BY learner_id, group_id"
        ),
        "sessions": await conn.fetch_all(
            "SELECT id, correct_count, wrong_count, last_review_at FROM study_sessions ORDER BY id"
        ),
        "groups": await conn.fetch_all(
            "SELECT id, word_count, sessions_count FROM groups ORDER BY id"
        ),
        "learners": await conn.fetch_all(
            "SELECT learner_id, correct_count, wrong_count, sessions_count, words_studied,"
            " active_groups FROM learner_stats ORDER BY learner_id"
        ),
    }


async def get_study_settings(conn: Conn, learner_id: int) -> dict[str, Any]:
    """`new_words_per_day`, `session_length` and `timezone` (None: not set) of a learner."""
    row = await conn.fetch_one(
        "SELECT new_words_per_day, session_length, timezone FROM learners WHERE id = :id",
        {"id": learner_id},
    )
    if row is None:
        return {"new_words_per_day": 10, "session_length": 20, "timezone": None}
    return {
        "new_words_per_day": int(row["new_words_per_day"]),
        "session_length": int(row["session_length"]),
        "timezone": row["timezone"],
    }


async def update_study_settings(
    conn: Conn,
    learner_id: int,
    *,
    new_words_per_day: int,
    session_length: int,
    timezone: str | None,
) -> None:
    await conn.execute(
        "UPDATE learners SET new_words_per_day = :new_words_per_day,"
        " session_length = :session_length, timezone = :timezone WHERE id = :id",
        {
            "new_words_per_day": new_words_per_day,
            "session_length": session_length,
            "timezone": timezone,
            "id": learner_id,
        },
    )
