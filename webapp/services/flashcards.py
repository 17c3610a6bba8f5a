"""The built-in flashcards activity: the next card from the session's queue
(services/queue.py), the end summary, and what to offer when nothing is due."""

from __future__ import annotations

from typing import Any

from ..db import Conn
from ..queries import flashcards
from . import queue


async def flashcard_state(
    conn: Conn, *, learner_id: int, session: dict[str, Any], default_timezone: str
) -> dict[str, Any]:
    """`card` (word item or None), `reason`, `position`, `total`, `progress_pct`,
    `can_undo`, `summary` once done, and `outlook` (next due time, study-ahead and
    missed-most counts) whenever there is no card to show."""
    head = await queue.queue_head(
        conn, learner_id=learner_id, session_id=session["id"], default_timezone=default_timezone
    )
    entry, total, answered = head["card"], head["total"], head["answered"]
    summary = outlook = None
    if entry is None:
        outlook = await queue.group_outlook(
            conn, learner_id=learner_id, group_id=session["group_id"]
        )
        if total:
            summary = {
                "correct": session["correct_count"],
                "wrong": session["wrong_count"],
                "missed": await flashcards.list_missed_words(
                    conn, session["id"], learner_id=learner_id
                ),
            }
    return {
        "card": entry["word"] if entry else None,
        "reason": entry["reason"] if entry else None,
        "repeat": bool(entry and entry["repeat"]),
        "position": entry["position"] if entry else total,
        "total": total,
        "progress_pct": round(100 * answered / total) if total else 100,
        "can_undo": session["review_items_count"] > 0,
        "summary": summary,
        "outlook": outlook,
    }
