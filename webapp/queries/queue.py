"""A learner session's queue (session_queue): fixed at its first card.

An entry is served by the first answer to its word in the session (review_id);
an Again answer appends its word once more (added_by = that answer).  Both are
done by the review's INSERT trigger (migrations/0010_review_write_path.*.sql).
Undo reverses both, so the queue always matches the session's remaining reviews.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..db import Conn
from .common import LEARNER_JOIN, WORD_COLUMNS, word_item


async def unserve(conn: Conn, *, session_id: int, review_id: int) -> None:
    """Undo what one answer did to the queue."""
    await conn.execute(
        "DELETE FROM session_queue WHERE study_session_id = :session_id AND added_by = :review_id",
        {"session_id": session_id, "review_id": review_id},
    )
    await conn.execute(
        "UPDATE session_queue SET review_id = NULL "
        "WHERE study_session_id = :session_id AND review_id = :review_id",
        {"session_id": session_id, "review_id": review_id},
    )


async def count_queue(conn: Conn, session_id: int) -> dict[str, int]:
    """`total` entries and how many are `answered`."""
    row = await conn.fetch_one(
        "SELECT COUNT(*) AS total, COUNT(review_id) AS answered FROM session_queue "
        "WHERE study_session_id = :session_id",
        {"session_id": session_id},
    )
    assert row is not None
    return {"total": int(row["total"]), "answered": int(row["answered"])}


async def get_queue_head(conn: Conn, session_id: int, learner_id: int) -> dict[str, Any] | None:
    """A session and its first open entry, in one statement (None: no such session).

    `session` (`id`, `learner_id`, `group_id`, `queue_mode`: enough to check the
    owner and build the queue), `total` entries, how many are `answered`, and
    `entry` (None when none is open): the word item, its reason and position.
    The owner check is the caller's, so a next card is this one statement once
    the queue exists.
    """
    row = await conn.fetch_one(
        "SELECT s.id AS session_id, s.learner_id AS session_learner_id, s.group_id,"
        f" s.queue_mode, q.reason, {WORD_COLUMNS},"
        " (SELECT COUNT(*) FROM session_queue t WHERE t.study_session_id = s.id) AS total,"
        " (SELECT COUNT(review_id) FROM session_queue t"
        "  WHERE t.study_session_id = s.id) AS answered "
        "FROM study_sessions s LEFT JOIN session_queue q ON q.study_session_id = s.id"
        " AND q.position = (SELECT MIN(o.position) FROM session_queue o"
        "  WHERE o.study_session_id = s.id AND o.review_id IS NULL) "
        f"LEFT JOIN words ON words.id = q.word_id {LEARNER_JOIN} "
        "WHERE s.id = :session_id",
        {"session_id": session_id, "learner_id": learner_id},
    )
    if row is None:
        return None
    session = {
        "id": row["session_id"],
        "learner_id": row["session_learner_id"],
        "group_id": row["group_id"],
        "queue_mode": row["queue_mode"],
    }
    entry = None
    if row["reason"] is not None:
        entry = {
            "word": word_item(row),
            "reason": row["reason"],
            "position": int(row["answered"]) + 1,
            "total": int(row["total"]),
        }
    return {
        "session": session,
        "total": int(row["total"]),
        "answered": int(row["answered"]),
        "entry": entry,
    }


async def insert_entries(conn: Conn, session_id: int, entries: list[tuple[int, str]]) -> None:
    """Positions 1..n for (word_id, reason) pairs, in order, in one statement (a
    statement per entry made a session's first card 20 round trips)."""
    if not entries:
        return
    rows = ", ".join(
        f"(:session_id, :position_{position}, :word_{position}, :reason_{position})"
        for position in range(1, len(entries) + 1)
    )
    values: dict[str, Any] = {"session_id": session_id}
    for position, (word_id, reason) in enumerate(entries, start=1):
        values[f"position_{position}"] = position
        values[f"word_{position}"] = word_id
        values[f"reason_{position}"] = reason
    await conn.execute(
        f"INSERT INTO session_queue (study_session_id, position, word_id, reason) VALUES {rows}",
        values,
    )


# The group's words drive the join: a group holds a few hundred words, a learner may hold
# 100,000 cards, and without statistics SQLite's planner scanned every card of the
# learner (55 ms for an "all done" page at 5x).  CROSS JOIN fixes SQLite's join order;
# PostgreSQL reads it as a plain join and plans it itself.
_GROUP_CARDS = (
    "FROM words_groups wg CROSS JOIN learner_words lw"
    " WHERE wg.group_id = :group_id AND lw.learner_id = :learner_id"
    " AND lw.word_id = wg.word_id AND lw.state IS NOT NULL "
)


async def list_scheduled_word_ids(
    conn: Conn, *, learner_id: int, group_id: int, now: datetime, due: bool, limit: int
) -> list[int]:
    """The group's cards by due time: with `due`, those due now (most overdue first);
    without, those not due yet (study ahead: soonest first)."""
    comparison = "<=" if due else ">"
    rows = await conn.fetch_all(
        f"SELECT lw.word_id {_GROUP_CARDS} AND lw.due {comparison} :now "
        "ORDER BY lw.due, lw.word_id LIMIT :limit",
        {
            "learner_id": learner_id,
            "group_id": group_id,
            "now": conn.timestamp(now),
            "limit": limit,
        },
    )
    return [int(row["word_id"]) for row in rows]


async def list_missed_word_ids(
    conn: Conn, *, learner_id: int, group_id: int, limit: int
) -> list[int]:
    """The words I miss most: the group's words by the learner's wrong answers."""
    rows = await conn.fetch_all(
        "SELECT lw.word_id FROM words_groups wg CROSS JOIN learner_words lw"
        " WHERE wg.group_id = :group_id AND lw.learner_id = :learner_id"
        " AND lw.word_id = wg.word_id AND lw.wrong_count > 0 "
        "ORDER BY lw.wrong_count DESC, lw.word_id LIMIT :limit",
        {"learner_id": learner_id, "group_id": group_id, "limit": limit},
    )
    return [int(row["word_id"]) for row in rows]


_RESERVED_NEW = (
    "SELECT q.word_id FROM session_queue q JOIN study_sessions s ON s.id = q.study_session_id"
    " WHERE s.learner_id = :learner_id AND s.created_at >= :day_start AND q.reason = 'new'"
    " AND q.review_id IS NULL AND s.id <> :session_id"
)


async def count_new_words_used(
    conn: Conn, *, learner_id: int, session_id: int, day_start: datetime
) -> int:
    """New words started since `day_start`, plus those reserved by other open queues."""
    values = {
        "learner_id": learner_id,
        "session_id": session_id,
        "day_start": conn.timestamp(day_start),
    }
    return int(
        await conn.fetch_val(
            "SELECT (SELECT COUNT(*) FROM learner_words WHERE learner_id = :learner_id"
            " AND first_review >= :day_start)"
            f" + (SELECT COUNT(*) FROM ({_RESERVED_NEW}) reserved)",
            values,
        )
    )


async def list_new_word_ids(
    conn: Conn, *, learner_id: int, group_id: int, session_id: int, day_start: datetime, limit: int
) -> list[int]:
    """The group's words the learner never studied (and no other open queue holds)."""
    if limit <= 0:
        return []
    rows = await conn.fetch_all(
        "SELECT wg.word_id FROM words_groups wg WHERE wg.group_id = :group_id"
        " AND NOT EXISTS (SELECT 1 FROM learner_words lw WHERE lw.learner_id = :learner_id"
        "  AND lw.word_id = wg.word_id AND lw.state IS NOT NULL)"
        f" AND wg.word_id NOT IN ({_RESERVED_NEW}) "
        "ORDER BY wg.word_id LIMIT :limit",
        {
            "learner_id": learner_id,
            "group_id": group_id,
            "session_id": session_id,
            "day_start": conn.timestamp(day_start),
            "limit": limit,
        },
    )
    return [int(row["word_id"]) for row in rows]


async def get_group_outlook(
    conn: Conn, *, learner_id: int, group_id: int, now: datetime
) -> dict[str, Any]:
    """For "nothing due": the next due time and what the two other modes would show."""
    row = await conn.fetch_one(
        f"SELECT MIN(CASE WHEN lw.due > :now THEN lw.due END) AS next_due,"
        " COUNT(CASE WHEN lw.due > :now THEN 1 END) AS ahead,"
        f" COUNT(CASE WHEN lw.wrong_count > 0 THEN 1 END) AS missed {_GROUP_CARDS}",
        {"learner_id": learner_id, "group_id": group_id, "now": conn.timestamp(now)},
    )
    assert row is not None
    return {"next_due": row["next_due"], "ahead": int(row["ahead"]), "missed": int(row["missed"])}
