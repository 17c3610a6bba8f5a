"""Statements of the portable export and import (see services/transfer.py).

Every table that holds data of its own, with its columns in file order.  The
maintained counters (word, session and group counts, learner_stats) are not
exported: an import recomputes them from the rows (stats.recount_all).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..db import Conn

# Parents before children, so an import never points at a row not yet there.
TABLES: dict[str, tuple[str, ...]] = {
    "learners": ("id", "name", "name_key", "timezone", "created_at"),
    # Only the tokens' SHA-256 digests: a moved portal keeps every device signed in,
    # and the file holds no usable credential.  Move codes (24 h, one-time) stay behind.
    "learner_tokens": ("id", "learner_id", "token_hash", "created_at", "revoked_at"),
    "words": ("id", "japanese", "kana", "romaji", "english", "parts", "seed_key", "created_at"),
    "groups": ("id", "name", "seed_key", "created_at"),
    "words_groups": ("id", "word_id", "group_id"),
    "study_activities": (
        "id",
        "name",
        "description",
        "thumbnail_url",
        "activity_type",
        "launch_url",
        "seed_key",
        "created_at",
    ),
    "study_sessions": ("id", "group_id", "study_activity_id", "learner_id", "created_at"),
    "words_review_items": ("id", "word_id", "study_session_id", "correct", "created_at"),
}
TIMESTAMP_COLUMNS = frozenset({"created_at", "revoked_at"})
BOOLEAN_COLUMNS = frozenset({"correct"})


def _columns(table: str) -> tuple[str, ...]:
    if table not in TABLES:
        raise ValueError(f"not an exported table: {table!r}")
    return TABLES[table]


async def begin_read_snapshot(conn: Conn) -> None:
    """One consistent view for the whole export, without blocking writers.

    SQLite in WAL mode keeps a deferred transaction's snapshot from its first
    read; PostgreSQL needs REPEATABLE READ for the same.
    """
    if conn.is_sqlite:
        await conn.execute("BEGIN")
    else:
        await conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")


async def end_read_snapshot(conn: Conn) -> None:
    await conn.execute("COMMIT")


async def count_table(conn: Conn, table: str) -> int:
    _columns(table)
    return int(await conn.fetch_val(f"SELECT COUNT(*) FROM {table}"))


async def list_rows_after(
    conn: Conn, table: str, *, after_id: int, limit: int
) -> list[dict[str, Any]]:
    """The next `limit` rows by id (keyset paging: each page costs the same)."""
    columns = ", ".join(_columns(table))
    return await conn.fetch_all(
        f"SELECT {columns} FROM {table} WHERE id > :after ORDER BY id LIMIT :limit",
        {"after": after_id, "limit": limit},
    )


async def count_content_rows(conn: Conn) -> int:
    """Rows an import would replace (the default learner of a new database does not count)."""
    return int(
        await conn.fetch_val(
            "SELECT (SELECT COUNT(*) FROM words) + (SELECT COUNT(*) FROM groups)"
            " + (SELECT COUNT(*) FROM study_activities) + (SELECT COUNT(*) FROM study_sessions)"
        )
    )


async def delete_learners(conn: Conn) -> None:
    """Every learner (their stats and sessions go with them: ON DELETE CASCADE)."""
    await conn.execute("DELETE FROM learners")


async def insert_learner_stats_rows(conn: Conn) -> None:
    """A zeroed stats row per learner; the recount fills them in."""
    await conn.execute(
        "INSERT INTO learner_stats (learner_id) SELECT id FROM learners"
        " WHERE id NOT IN (SELECT learner_id FROM learner_stats)"
    )


async def insert_rows_sqlite(conn: Conn, table: str, rows: Sequence[Sequence[Any]]) -> None:
    """Many rows in one driver call (sqlite3's executemany loops in C, not in Python)."""
    columns = _columns(table)
    placeholders = ", ".join("?" for _ in columns)
    await conn.driver_connection.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows
    )


async def copy_rows_postgres(conn: Conn, table: str, rows: Sequence[Sequence[Any]]) -> None:
    await conn.driver_connection.copy_records_to_table(
        table, records=list(rows), columns=list(_columns(table))
    )


async def move_sequence_past_ids(conn: Conn, table: str) -> None:
    """PostgreSQL: the next generated id follows the imported ones."""
    _columns(table)
    await conn.fetch_val(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
        f" COALESCE((SELECT MAX(id) FROM {table}), 1),"
        f" (SELECT MAX(id) FROM {table}) IS NOT NULL)"
    )
