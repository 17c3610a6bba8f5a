"""The teacher's class view of one group: a row per learner, the hardest words, totals.

What counts (spec/api.md "Class body"): a learner's reviews of the group's
*current* words in any session, and the sessions they launched on the group, so
every figure can be recounted through that learner's own API.  Each list is
one set-based statement, whatever the class size.
"""

from __future__ import annotations

from typing import Any

from ..db import Conn, to_api_timestamp, utc_now
from .common import ORDERS

_CORRECT = "CASE WHEN r.correct THEN 1 ELSE 0 END"
_WRONG = "CASE WHEN r.correct THEN 0 ELSE 1 END"

# Two aggregates joined on the learner: reviews of the group's words, sessions on it.
_ROWS = f"""
WITH answers AS (
    SELECT s.learner_id, COUNT(DISTINCT r.word_id) AS words_studied,
           SUM({_CORRECT}) AS correct_count, SUM({_WRONG}) AS wrong_count,
           MAX(r.created_at) AS last_review_at
    FROM words_review_items r
    JOIN words_groups wg ON wg.word_id = r.word_id AND wg.group_id = :group_id
    JOIN study_sessions s ON s.id = r.study_session_id
    GROUP BY s.learner_id
),
due AS (
    SELECT lw.learner_id, COUNT(*) AS due_count
    FROM learner_words lw
    JOIN words_groups wg ON wg.word_id = lw.word_id AND wg.group_id = :group_id
    WHERE lw.due IS NOT NULL AND lw.due <= :now
    GROUP BY lw.learner_id
),
launched AS (
    SELECT learner_id, COUNT(*) AS sessions_count, MAX(created_at) AS last_session_at
    FROM study_sessions WHERE group_id = :group_id GROUP BY learner_id
),
class_rows AS (
    SELECT l.id AS learner_id, l.name, l.name_key,
           COALESCE(launched.sessions_count, 0) AS sessions_count,
           COALESCE(answers.words_studied, 0) AS words_studied,
           COALESCE(answers.correct_count, 0) AS correct_count,
           COALESCE(answers.wrong_count, 0) AS wrong_count,
           COALESCE(due.due_count, 0) AS due_count,
           CASE WHEN COALESCE(answers.correct_count, 0) + COALESCE(answers.wrong_count, 0) = 0
                THEN 0.0
                ELSE ROUND(100.0 * answers.correct_count
                           / (answers.correct_count + answers.wrong_count), 1) END
               AS success_rate,
           CASE WHEN answers.last_review_at IS NULL THEN launched.last_session_at
                WHEN launched.last_session_at IS NULL
                     OR answers.last_review_at > launched.last_session_at
                THEN answers.last_review_at
                ELSE launched.last_session_at END AS last_active_at
    FROM learners l
    LEFT JOIN answers ON answers.learner_id = l.id
    LEFT JOIN launched ON launched.learner_id = l.id
    LEFT JOIN due ON due.learner_id = l.id
    WHERE answers.learner_id IS NOT NULL OR launched.learner_id IS NOT NULL
)
"""

CLASS_SORTS = {
    "name": "name_key",
    "sessions_count": "sessions_count",
    "words_studied": "words_studied",
    "success_rate": "success_rate",
    "due_count": "due_count",
    "last_active_at": "last_active_at",
}


def percentage(part: int, whole: int) -> float:
    """One decimal, the dashboard's own rounding (the SQL value only orders rows)."""
    return round(100 * part / whole, 1) if whole else 0.0


def _row(row: dict[str, Any]) -> dict[str, Any]:
    correct, wrong = int(row["correct_count"]), int(row["wrong_count"])
    return {
        "learner_id": int(row["learner_id"]),
        "name": row["name"],
        "sessions_count": int(row["sessions_count"]),
        "words_studied": int(row["words_studied"]),
        "correct_count": correct,
        "wrong_count": wrong,
        "success_rate": percentage(correct, correct + wrong),
        "due_count": int(row["due_count"]),
        "last_active_at": to_api_timestamp(row["last_active_at"]),
    }


async def list_class_rows(
    conn: Conn, group_id: int, *, sort: str, order: str, limit: int | None, offset: int = 0
) -> list[dict[str, Any]]:
    """One row per learner who launched a session on the group or reviewed one of its
    words; `limit=None` for every row (the CSV download)."""
    direction = ORDERS[order]
    sql = _ROWS + (
        f"SELECT * FROM class_rows ORDER BY {CLASS_SORTS[sort]} {direction}, learner_id {direction}"
    )
    values: dict[str, Any] = {"group_id": group_id, "now": conn.timestamp(utc_now())}
    if limit is not None:
        sql += " LIMIT :limit OFFSET :offset"
        values.update(limit=limit, offset=offset)
    return [_row(row) for row in await conn.fetch_all(sql, values)]


async def get_class_totals(conn: Conn, group_id: int) -> dict[str, Any]:
    row = await conn.fetch_one(
        _ROWS + "SELECT COUNT(*) AS learners, COALESCE(SUM(sessions_count), 0) AS sessions_count,"
        " COALESCE(SUM(correct_count), 0) AS correct_count,"
        " COALESCE(SUM(wrong_count), 0) AS wrong_count FROM class_rows",
        {"group_id": group_id, "now": conn.timestamp(utc_now())},
    )
    assert row is not None
    correct, wrong = int(row["correct_count"]), int(row["wrong_count"])
    return {
        "learners": int(row["learners"]),
        "sessions_count": int(row["sessions_count"]),
        "correct_count": correct,
        "wrong_count": wrong,
        "success_rate": percentage(correct, correct + wrong),
    }


async def list_hardest_words(conn: Conn, group_id: int, *, limit: int = 10) -> list[dict[str, Any]]:
    """The group's words missed at least once by anyone, most missed first."""
    rows = await conn.fetch_all(
        f"""
        SELECT w.id, w.japanese, w.kana, w.romaji, w.english,
               SUM({_CORRECT}) AS correct_count, SUM({_WRONG}) AS wrong_count,
               ROUND(100.0 * SUM({_WRONG}) / COUNT(*), 1) AS miss_rate,
               COUNT(DISTINCT CASE WHEN r.correct THEN NULL ELSE s.learner_id END)
                   AS learners_missed
        FROM words_groups wg
        JOIN words w ON w.id = wg.word_id
        JOIN words_review_items r ON r.word_id = wg.word_id
        JOIN study_sessions s ON s.id = r.study_session_id
        WHERE wg.group_id = :group_id
        GROUP BY w.id, w.japanese, w.kana, w.romaji, w.english
        HAVING SUM({_WRONG}) > 0
        ORDER BY wrong_count DESC, miss_rate DESC, w.id ASC
        LIMIT :limit
        """,
        {"group_id": group_id, "limit": limit},
    )
    hardest = []
    for row in rows:
        total = int(row["correct_count"]) + int(row["wrong_count"])
        hardest.append(
            {
                "id": int(row["id"]),
                "japanese": row["japanese"],
                "kana": row["kana"],
                "romaji": row["romaji"],
                "english": row["english"],
                "correct_count": int(row["correct_count"]),
                "wrong_count": int(row["wrong_count"]),
                "miss_rate": percentage(int(row["wrong_count"]), total),
                "learners_missed": int(row["learners_missed"]),
            }
        )
    return hardest
