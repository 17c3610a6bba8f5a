"""Which words a learner session shows, and in what order.

The queue is built at the session's first `next` and then fixed (session_queue),
so position and total stay stable, a reload or a second tab agree, and the daily
new-word allowance is a reservation:

- "scheduled" (the default): the group's due words, most overdue first, then new
  words within the learner's allowance for the local day
  (new_words_per_day minus words first answered since local midnight, minus new
  words other open queues of today hold), up to session_length in all;
- "ahead": the group's words not yet due, soonest first (study ahead);
- "missed": the group's words the learner missed most.

An Again answer appends its word once to the end of the queue (total grows by 1),
as Anki's learning steps bring a failed card back within the session.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..db import Conn, to_api_timestamp, utc_now
from ..errors import NotFound
from ..queries import cards, queue, stats
from .dashboard import local_day_bounds, local_today


async def next_card(
    conn: Conn, *, learner_id: int, session_id: int, default_timezone: str
) -> dict[str, Any] | None:
    """`{"word", "position", "total", "reason", "repeat"}` of the session's next card,
    None when done; NotFound unless the session is `learner_id`'s.  One statement
    (the owner check with the next entry) once the queue exists; the first call
    builds it (`default_timezone` applies when the learner has set none)."""
    head = await queue_head(
        conn, learner_id=learner_id, session_id=session_id, default_timezone=default_timezone
    )
    card: dict[str, Any] | None = head["card"]
    return card


async def queue_head(
    conn: Conn, *, learner_id: int, session_id: int, default_timezone: str
) -> dict[str, Any]:
    """`card` (next_card's answer), the queue's `total` entries and how many are
    `answered`: read in next_card's one statement."""
    head = await queue.get_queue_head(conn, session_id, learner_id)
    if head is None or head["session"]["learner_id"] != learner_id:
        raise NotFound(f"Study session {session_id} not found")
    if head["entry"] is None and head["total"] == 0:
        await build_queue(
            conn, learner_id=learner_id, session=head["session"], default_timezone=default_timezone
        )
        head = await queue.get_queue_head(conn, session_id, learner_id)
        assert head is not None
    entry = head["entry"]
    card = None
    if entry is not None:
        reason = entry["reason"]
        card = {
            **entry,
            # an Again entry is a due card brought back; `repeat` tells it apart
            "reason": "due" if reason == "again" else reason,
            "repeat": reason == "again",
        }
    return {"card": card, "total": head["total"], "answered": head["answered"]}


async def build_queue(
    conn: Conn, *, learner_id: int, session: dict[str, Any], default_timezone: str
) -> int:
    """Fix the session's queue (once; a second caller finds it built); its length."""
    async with conn.transaction(advisory_lock=cards.learner_lock_key(learner_id)):
        existing = await queue.count_queue(conn, session["id"])
        if existing["total"]:
            return existing["total"]
        now = utc_now()
        settings = await stats.get_study_settings(conn, learner_id)
        zone = ZoneInfo(settings["timezone"] or default_timezone)
        length = settings["session_length"]
        where = {"learner_id": learner_id, "group_id": session["group_id"]}
        entries: list[tuple[int, str]]
        if session["queue_mode"] == "ahead":
            ahead = await queue.list_scheduled_word_ids(
                conn, **where, now=now, due=False, limit=length
            )
            entries = [(word_id, "ahead") for word_id in ahead]
        elif session["queue_mode"] == "missed":
            missed = await queue.list_missed_word_ids(conn, **where, limit=length)
            entries = [(word_id, "missed") for word_id in missed]
        else:
            due = await queue.list_scheduled_word_ids(
                conn, **where, now=now, due=True, limit=length
            )
            day_start, _ = local_day_bounds(local_today(now, zone), zone)
            used = await queue.count_new_words_used(
                conn, learner_id=learner_id, session_id=session["id"], day_start=day_start
            )
            allowance = min(settings["new_words_per_day"] - used, length - len(due))
            new = await queue.list_new_word_ids(
                conn, **where, session_id=session["id"], day_start=day_start, limit=allowance
            )
            entries = [(word_id, "due") for word_id in due] + [(word_id, "new") for word_id in new]
        await queue.insert_entries(conn, session["id"], entries)
    return len(entries)


async def group_outlook(
    conn: Conn, *, learner_id: int, group_id: int, now: datetime | None = None
) -> dict[str, Any]:
    """For a session with nothing (more) to show: `next_due_at` (API time or None),
    `ahead_count` (words study-ahead would show) and `missed_count` (words missed)."""
    outlook = await queue.get_group_outlook(
        conn, learner_id=learner_id, group_id=group_id, now=now or utc_now()
    )
    return {
        "next_due_at": to_api_timestamp(outlook["next_due"]),
        "ahead_count": outlook["ahead"],
        "missed_count": outlook["missed"],
    }
