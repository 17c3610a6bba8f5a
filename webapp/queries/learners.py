"""Learner profiles, their device tokens and their one-time move codes.

Tokens and codes arrive here already hashed (services/learners.py): no plain
credential is ever stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..db import Conn, to_api_timestamp
from .common import order_by

# Sessions and the last moment of activity, computed from the learner's own
# sessions (an index on study_sessions (learner_id, …) serves both).
_SELECT = (
    "SELECT l.id, l.name, l.timezone, l.created_at,"
    " (SELECT COUNT(*) FROM study_sessions s WHERE s.learner_id = l.id) AS sessions_count,"
    " (SELECT MAX(COALESCE(s.last_review_at, s.created_at)) FROM study_sessions s"
    "  WHERE s.learner_id = l.id) AS last_active_at "
    "FROM learners l "
)
LEARNER_SORTS = {
    "name": "l.name_key",
    "created_at": "l.created_at",
    "last_active_at": "last_active_at",
}


def _learner(row: Any, default_id: int) -> dict[str, Any]:
    return {
        "id": int(row["id"]),
        "name": row["name"],
        "timezone": row["timezone"],
        "created_at": to_api_timestamp(row["created_at"]),
        "last_active_at": to_api_timestamp(row["last_active_at"]),
        "sessions_count": int(row["sessions_count"]),
        "is_default": int(row["id"]) == default_id,
    }


async def get_learner(conn: Conn, learner_id: int, *, default_id: int) -> dict[str, Any] | None:
    row = await conn.fetch_one(_SELECT + "WHERE l.id = :id", {"id": learner_id})
    return None if row is None else _learner(row, default_id)


async def list_learners_page(
    conn: Conn, *, limit: int, offset: int, sort: str, order: str, default_id: int
) -> list[dict[str, Any]]:
    rows = await conn.fetch_all(
        _SELECT + order_by(LEARNER_SORTS, sort, order, "l") + " LIMIT :limit OFFSET :offset",
        {"limit": limit, "offset": offset},
    )
    return [_learner(row, default_id) for row in rows]


async def count_learners(conn: Conn) -> int:
    return int(await conn.fetch_val("SELECT COUNT(*) FROM learners"))


async def find_learner_id_by_name_key(conn: Conn, name_key: str) -> int | None:
    value = await conn.fetch_val("SELECT id FROM learners WHERE name_key = :key", {"key": name_key})
    return None if value is None else int(value)


async def insert_learner(
    conn: Conn, *, name: str, name_key: str, timezone: str | None, created_at: datetime
) -> int:
    return int(
        await conn.fetch_val(
            "INSERT INTO learners (name, name_key, timezone, created_at)"
            " VALUES (:name, :name_key, :timezone, :created_at) RETURNING id",
            {
                "name": name,
                "name_key": name_key,
                "timezone": timezone,
                "created_at": conn.timestamp(created_at),
            },
        )
    )


async def insert_learner_stats(conn: Conn, learner_id: int) -> None:
    await conn.execute("INSERT INTO learner_stats (learner_id) VALUES (:id)", {"id": learner_id})


async def update_learner_name(conn: Conn, learner_id: int, *, name: str, name_key: str) -> None:
    await conn.execute(
        "UPDATE learners SET name = :name, name_key = :name_key WHERE id = :id",
        {"id": learner_id, "name": name, "name_key": name_key},
    )


async def update_learner_timezone(conn: Conn, learner_id: int, timezone: str | None) -> None:
    await conn.execute(
        "UPDATE learners SET timezone = :timezone WHERE id = :id",
        {"id": learner_id, "timezone": timezone},
    )


async def delete_learner(conn: Conn, learner_id: int) -> None:
    """The learner row; their tokens, codes, sessions and reviews go with it (ON DELETE CASCADE)."""
    await conn.execute("DELETE FROM learners WHERE id = :id", {"id": learner_id})


async def delete_learners_except(conn: Conn, keep_id: int) -> None:
    await conn.execute("DELETE FROM learners WHERE id <> :id", {"id": keep_id})


async def count_learner_history(conn: Conn, learner_id: int) -> dict[str, int]:
    row = await conn.fetch_one(
        "SELECT (SELECT COUNT(*) FROM study_sessions WHERE learner_id = :id) AS sessions,"
        " (SELECT COUNT(*) FROM words_review_items r JOIN study_sessions s"
        "  ON s.id = r.study_session_id WHERE s.learner_id = :id) AS reviews",
        {"id": learner_id},
    )
    assert row is not None
    return {"study_sessions": int(row["sessions"]), "reviews": int(row["reviews"])}


async def subtract_learner_group_sessions(conn: Conn, learner_id: int) -> None:
    """Before a learner's sessions go: take them off the groups' portal-wide session counts."""
    await conn.execute(
        "UPDATE groups SET sessions_count = groups.sessions_count - agg.n"
        " FROM (SELECT group_id, COUNT(*) AS n FROM study_sessions WHERE learner_id = :id"
        " GROUP BY group_id) agg WHERE groups.id = agg.group_id",
        {"id": learner_id},
    )


async def delete_learner_history(conn: Conn, learner_id: int) -> None:
    """The learner's schedule, per-group counts and sessions (their reviews, queues and
    undone answers go with the sessions: ON DELETE CASCADE), and their totals zeroed.

    The schedule goes first, so the review triggers have no card of theirs to move.
    """
    values = {"id": learner_id}
    await conn.execute("DELETE FROM learner_words WHERE learner_id = :id", values)
    await conn.execute("DELETE FROM learner_groups WHERE learner_id = :id", values)
    await conn.execute("DELETE FROM study_sessions WHERE learner_id = :id", values)
    await conn.execute(
        "UPDATE learner_stats SET correct_count = 0, wrong_count = 0, sessions_count = 0,"
        " words_studied = 0, active_groups = 0 WHERE learner_id = :id",
        values,
    )


# --- tokens ----------------------------------------------------------------


async def insert_token(conn: Conn, learner_id: int, token_hash: str, created_at: datetime) -> int:
    return int(
        await conn.fetch_val(
            "INSERT INTO learner_tokens (learner_id, token_hash, created_at)"
            " VALUES (:learner_id, :hash, :created_at) RETURNING id",
            {
                "learner_id": learner_id,
                "hash": token_hash,
                "created_at": conn.timestamp(created_at),
            },
        )
    )


async def find_token(conn: Conn, token_hash: str) -> dict[str, int] | None:
    """The live token with this digest: its id and learner, or None (unknown or revoked)."""
    row = await conn.fetch_one(
        "SELECT id, learner_id FROM learner_tokens WHERE token_hash = :hash AND revoked_at IS NULL",
        {"hash": token_hash},
    )
    return None if row is None else {"id": int(row["id"]), "learner_id": int(row["learner_id"])}


async def count_live_tokens(conn: Conn, learner_id: int) -> int:
    return int(
        await conn.fetch_val(
            "SELECT COUNT(*) FROM learner_tokens WHERE learner_id = :id AND revoked_at IS NULL",
            {"id": learner_id},
        )
    )


async def revoke_tokens_except(
    conn: Conn, learner_id: int, keep_token_id: int | None, revoked_at: datetime
) -> int:
    """Revoke every live token of the learner but `keep_token_id`; how many were revoked."""
    rows = await conn.fetch_all(
        "UPDATE learner_tokens SET revoked_at = :now WHERE learner_id = :id"
        " AND revoked_at IS NULL AND id <> :keep RETURNING id",
        {"id": learner_id, "keep": keep_token_id or 0, "now": conn.timestamp(revoked_at)},
    )
    return len(rows)


async def delete_all_tokens(conn: Conn) -> None:
    await conn.execute("DELETE FROM learner_tokens")


# --- move codes --------------------------------------------------------------


async def delete_unused_codes(conn: Conn, learner_id: int) -> None:
    await conn.execute(
        "DELETE FROM learner_move_codes WHERE learner_id = :id AND used_at IS NULL",
        {"id": learner_id},
    )


async def insert_code(
    conn: Conn, learner_id: int, code_hash: str, created_at: datetime, expires_at: datetime
) -> None:
    await conn.execute(
        "INSERT INTO learner_move_codes (learner_id, code_hash, created_at, expires_at)"
        " VALUES (:learner_id, :hash, :created_at, :expires_at)",
        {
            "learner_id": learner_id,
            "hash": code_hash,
            "created_at": conn.timestamp(created_at),
            "expires_at": conn.timestamp(expires_at),
        },
    )


async def find_live_code(conn: Conn, code_hash: str, now: datetime) -> dict[str, Any] | None:
    """An unused, unexpired code: its id, learner and name (or None)."""
    row = await conn.fetch_one(
        "SELECT c.id, c.learner_id, l.name, c.expires_at FROM learner_move_codes c"
        " JOIN learners l ON l.id = c.learner_id"
        " WHERE c.code_hash = :hash AND c.used_at IS NULL AND c.expires_at > :now",
        {"hash": code_hash, "now": conn.timestamp(now)},
    )
    if row is None:
        return None
    return {
        "id": int(row["id"]),
        "learner_id": int(row["learner_id"]),
        "name": row["name"],
        "expires_at": to_api_timestamp(row["expires_at"]),
    }


async def spend_code(conn: Conn, code_id: int, now: datetime) -> bool:
    """Mark the code used; False when another request spent it first."""
    spent = await conn.fetch_val(
        "UPDATE learner_move_codes SET used_at = :now WHERE id = :id AND used_at IS NULL"
        " RETURNING id",
        {"id": code_id, "now": conn.timestamp(now)},
    )
    return spent is not None


async def delete_all_codes(conn: Conn) -> None:
    await conn.execute("DELETE FROM learner_move_codes")


# --- a learner's own export ----------------------------------------------------


async def list_learner_sessions(conn: Conn, learner_id: int) -> list[dict[str, Any]]:
    rows = await conn.fetch_all(
        "SELECT s.id, s.group_id, g.name AS group_name, s.study_activity_id,"
        " a.name AS activity_name, s.created_at, s.last_review_at"
        " FROM study_sessions s JOIN groups g ON g.id = s.group_id"
        " JOIN study_activities a ON a.id = s.study_activity_id"
        " WHERE s.learner_id = :id ORDER BY s.created_at, s.id",
        {"id": learner_id},
    )
    return [
        {
            **row,
            "created_at": to_api_timestamp(row["created_at"]),
            "last_review_at": to_api_timestamp(row["last_review_at"]),
        }
        for row in rows
    ]


async def list_learner_reviews(conn: Conn, learner_id: int) -> list[dict[str, Any]]:
    rows = await conn.fetch_all(
        "SELECT r.id, r.study_session_id, r.word_id, w.japanese, r.correct, r.created_at"
        " FROM words_review_items r JOIN study_sessions s ON s.id = r.study_session_id"
        " JOIN words w ON w.id = r.word_id WHERE s.learner_id = :id ORDER BY r.id",
        {"id": learner_id},
    )
    return [
        {**row, "correct": bool(row["correct"]), "created_at": to_api_timestamp(row["created_at"])}
        for row in rows
    ]


async def restore_default_learner(conn: Conn, learner_id: int) -> None:
    """After a full reset: the default learner as a fresh install has it, and the
    next new profile numbered 2 again."""
    await conn.execute(
        "UPDATE learners SET name = 'Learner', name_key = 'learner', timezone = NULL"
        " WHERE id = :id",
        {"id": learner_id},
    )
    if conn.is_sqlite:
        await conn.execute(
            "UPDATE sqlite_sequence SET seq = (SELECT MAX(id) FROM learners)"
            " WHERE name = 'learners'"
        )
        await conn.execute(
            "DELETE FROM sqlite_sequence WHERE name IN ('learner_tokens', 'learner_move_codes')"
        )
    else:
        await conn.execute(
            "SELECT setval(pg_get_serial_sequence('learners', 'id'),"
            " (SELECT MAX(id) FROM learners))"
        )
        await conn.execute("ALTER TABLE learner_tokens ALTER COLUMN id RESTART WITH 1")
        await conn.execute("ALTER TABLE learner_move_codes ALTER COLUMN id RESTART WITH 1")


async def get_learner_name(conn: Conn, learner_id: int) -> str | None:
    name = await conn.fetch_val("SELECT name FROM learners WHERE id = :id", {"id": learner_id})
    return None if name is None else str(name)


async def list_learner_schedule(conn: Conn, learner_id: int) -> list[dict[str, Any]]:
    """The learner's per-word counts and FSRS card (state NULL: no card yet)."""
    rows = await conn.fetch_all(
        "SELECT lw.word_id, w.japanese, lw.correct_count, lw.wrong_count, lw.state,"
        " lw.stability, lw.difficulty, lw.due, lw.last_review"
        " FROM learner_words lw JOIN words w ON w.id = lw.word_id"
        " WHERE lw.learner_id = :id ORDER BY lw.word_id",
        {"id": learner_id},
    )
    return [
        {
            **row,
            "due": to_api_timestamp(row["due"]),
            "last_review": to_api_timestamp(row["last_review"]),
        }
        for row in rows
    ]


async def get_session_learner_id(conn: Conn, session_id: int) -> int | None:
    """Whose study session this is (for the session keys of external study apps)."""
    value = await conn.fetch_val(
        "SELECT learner_id FROM study_sessions WHERE id = :id", {"id": session_id}
    )
    return None if value is None else int(value)
