"""Bulk statements for importing a prototype database (see services/importer.py).

SQLite copies with ATTACH + INSERT … SELECT (one pass inside SQLite, with two
small Python functions registered on the connection to normalise timestamps
and derive readings); PostgreSQL receives rows through COPY.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..db import Conn
from .transfer import TABLES, move_sequence_past_ids

SQLITE_COPY_STATEMENTS: dict[str, str] = {
    "words": (
        "INSERT INTO words (id, japanese, kana, romaji, english, parts, created_at) "
        "SELECT id, COALESCE(japanese, ''), lp_kana(japanese, romaji), COALESCE(romaji, ''),"
        " COALESCE(english, ''), COALESCE(parts, '[]'), :now FROM src.words"
    ),
    "groups": "INSERT INTO groups (id, name, created_at) SELECT id, name, :now FROM src.groups",
    "words_groups": (
        "INSERT INTO words_groups (id, word_id, group_id) SELECT wg.id, wg.word_id, wg.group_id "
        "FROM src.words_groups wg WHERE wg.word_id IN (SELECT id FROM words)"
        " AND wg.group_id IN (SELECT id FROM groups)"
    ),
    "study_activities": (
        "INSERT INTO study_activities"
        " (id, name, description, thumbnail_url, activity_type, launch_url, created_at) "
        "SELECT id, name, COALESCE(description, ''), thumbnail_url,"
        " COALESCE(NULLIF(activity_type, ''), 'external'), launch_url, lp_ts(created_at, :now)"
        " FROM src.study_activities"
    ),
    "study_sessions": (
        "INSERT INTO study_sessions (id, group_id, study_activity_id, learner_id, created_at) "
        "SELECT s.id, s.group_id,"
        " CASE WHEN s.study_activity_id IN (SELECT id FROM study_activities)"
        "  THEN s.study_activity_id ELSE :fallback_activity END,"
        " 1, lp_ts(s.created_at, :now) FROM src.study_sessions s"
        " WHERE s.group_id IN (SELECT id FROM groups)"
    ),
    "words_review_items": (
        "INSERT INTO words_review_items (id, word_id, study_session_id, correct, created_at) "
        "SELECT r.id, r.word_id, r.study_session_id, CASE WHEN r.correct THEN 1 ELSE 0 END,"
        " lp_ts(r.created_at, :now) FROM src.words_review_items r"
        " WHERE r.word_id IN (SELECT id FROM words)"
        " AND r.study_session_id IN (SELECT id FROM study_sessions)"
    ),
}

IMPORT_ORDER = (
    "words",
    "groups",
    "words_groups",
    "study_activities",
    "study_sessions",
    "words_review_items",
)

# The prototype's rows carry no seed keys: every other column of the portal's own
# table description (queries/transfer.py) is filled.
POSTGRES_COLUMNS: dict[str, Sequence[str]] = {
    table: tuple(c for c in TABLES[table] if c != "seed_key") for table in IMPORT_ORDER
}


async def count_rows(conn: Conn, table: str) -> int:
    if table not in POSTGRES_COLUMNS:
        raise ValueError(f"unknown table {table!r}")
    return int(await conn.fetch_val(f"SELECT COUNT(*) FROM {table}"))


async def has_content(conn: Conn) -> bool:
    return bool(
        await conn.fetch_val(
            "SELECT (SELECT COUNT(*) FROM words) + (SELECT COUNT(*) FROM groups)"
            " + (SELECT COUNT(*) FROM study_sessions)"
        )
    )


async def attach_source(conn: Conn, path: str) -> None:
    await conn.execute("ATTACH DATABASE :path AS src", {"path": path})


async def detach_source(conn: Conn) -> None:
    await conn.execute("DETACH DATABASE src")


async def copy_table_sqlite(conn: Conn, table: str, values: dict[str, Any]) -> int:
    return int(await conn.execute(SQLITE_COPY_STATEMENTS[table], values) or 0)


async def copy_records_postgres(conn: Conn, table: str, records: Iterable[tuple[Any, ...]]) -> None:
    await conn.driver_connection.copy_records_to_table(
        table, records=list(records), columns=list(POSTGRES_COLUMNS[table])
    )


async def move_sequences_past_ids(conn: Conn) -> None:
    """After inserting explicit ids on PostgreSQL, the next generated id must follow them."""
    for table in IMPORT_ORDER:
        await move_sequence_past_ids(conn, table)


async def max_id(conn: Conn, table: str) -> int:
    if table not in POSTGRES_COLUMNS:
        raise ValueError(f"unknown table {table!r}")
    return int(await conn.fetch_val(f"SELECT COALESCE(MAX(id), 0) FROM {table}"))
