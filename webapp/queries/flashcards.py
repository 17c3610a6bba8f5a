"""Queries behind the flashcards activity (the queue itself: queries/queue.py)."""

from __future__ import annotations

from typing import Any

from ..db import Conn
from .common import LEARNER_JOIN, WORD_COLUMNS, word_item


async def list_missed_words(
    conn: Conn, session_id: int, *, learner_id: int, limit: int = 50
) -> list[dict[str, Any]]:
    """Words answered wrong at least once in the session, for the end summary."""
    false = "0" if conn.is_sqlite else "FALSE"
    rows = await conn.fetch_all(
        f"SELECT {WORD_COLUMNS} FROM words {LEARNER_JOIN} WHERE words.id IN ("
        f" SELECT word_id FROM words_review_items WHERE study_session_id = :session_id"
        f" AND correct = {false}) ORDER BY words.id LIMIT :limit",
        {"session_id": session_id, "limit": limit, "learner_id": learner_id},
    )
    return [word_item(row) for row in rows]
