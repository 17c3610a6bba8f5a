"""The built-in flashcards activity: which card comes next, and the end summary.

Until the scheduler exists a session takes up to SESSION_SIZE of its group's
words, least reviewed first, then most missed.  The queue is not stored: the next
card is the first such word not yet answered in this session, so reloading the
page, answering without JavaScript, or two tabs all agree on what comes next.
"""

from __future__ import annotations

from typing import Any

from ..db import Conn
from ..queries import flashcards, groups, words

SESSION_SIZE = 20


async def flashcard_state(conn: Conn, session: dict[str, Any]) -> dict[str, Any]:
    """`card`, `position`, `total`, `progress_pct`, and `summary` once done."""
    group = await groups.get_group(conn, session["group_id"])
    total = min(SESSION_SIZE, group["word_count"] if group else 0)
    answered = await words.count_session_words(conn, session["id"])
    card = None
    if answered < total:
        card = await flashcards.next_unanswered_word(conn, session["group_id"], session["id"])
    summary = None
    if card is None and total:
        summary = {
            "correct": session["correct_count"],
            "wrong": session["wrong_count"],
            "missed": await flashcards.list_missed_words(conn, session["id"]),
        }
    return {
        "card": card,
        "position": min(answered + 1, total),
        "total": total,
        "progress_pct": round(100 * answered / total) if total else 100,
        "summary": summary,
    }
