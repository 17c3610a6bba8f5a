"""Review items and the counters every review moves (word, session, learner)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..db import Conn, to_api_timestamp


async def insert_review(
    conn: Conn, *, word_id: int, session_id: int, correct: bool, created_at: datetime
) -> int | None:
    """The new review's id, or None when the session or the word does not exist.

    Checking both inside the INSERT keeps the write path to one statement.
    """
    review_id = await conn.fetch_val(
        "INSERT INTO words_review_items (word_id, study_session_id, correct, created_at) "
        "SELECT :word_id, :session_id, :correct, :created_at "
        "WHERE EXISTS (SELECT 1 FROM study_sessions WHERE id = :session_id) "
        "AND EXISTS (SELECT 1 FROM words WHERE id = :word_id) RETURNING id",
        {
            "word_id": word_id,
            "session_id": session_id,
            "correct": correct,
            "created_at": conn.timestamp(created_at),
        },
    )
    return None if review_id is None else int(review_id)


def review_item(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "word_id": row["word_id"],
        "study_session_id": row["study_session_id"],
        "correct": bool(row["correct"]),
        "created_at": to_api_timestamp(row["created_at"]),
    }


async def get_review(conn: Conn, review_id: int) -> dict[str, Any] | None:
    row = await conn.fetch_one(
        "SELECT id, word_id, study_session_id, correct, created_at "
        "FROM words_review_items WHERE id = :id",
        {"id": review_id},
    )
    return None if row is None else review_item(row)
