"""Queries behind the flashcards activity."""

from __future__ import annotations

from typing import Any

from ..db import Conn
from .common import WORD_COLUMNS, word_item


async def next_unanswered_word(conn: Conn, group_id: int, session_id: int) -> dict[str, Any] | None:
    """The group's least-reviewed (then most-missed) word not yet answered in the session."""
    row = await conn.fetch_one(
        f"SELECT {WORD_COLUMNS} FROM words "
        "JOIN words_groups wg ON wg.word_id = words.id AND wg.group_id = :group_id "
        "WHERE NOT EXISTS (SELECT 1 FROM words_review_items r"
        "  WHERE r.study_session_id = :session_id AND r.word_id = words.id) "
        "ORDER BY words.correct_count + words.wrong_count ASC, words.wrong_count DESC,"
        " words.id ASC "
        "LIMIT 1",
        {"group_id": group_id, "session_id": session_id},
    )
    return None if row is None else word_item(row)


async def list_missed_words(conn: Conn, session_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """Words answered wrong at least once in the session, for the end summary."""
    false = "0" if conn.is_sqlite else "FALSE"
    rows = await conn.fetch_all(
        f"SELECT {WORD_COLUMNS} FROM words WHERE words.id IN ("
        f" SELECT word_id FROM words_review_items WHERE study_session_id = :session_id"
        f" AND correct = {false}) ORDER BY words.id LIMIT :limit",
        {"session_id": session_id, "limit": limit},
    )
    return [word_item(row) for row in rows]
