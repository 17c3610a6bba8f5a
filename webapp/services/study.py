"""Starting study sessions and recording answers."""

from __future__ import annotations

from typing import Any

from ..db import Conn, to_api_timestamp, utc_now
from ..errors import NotFound
from ..queries import activities, groups, reviews, sessions, stats
from . import DEFAULT_LEARNER_ID


async def launch_session(
    conn: Conn, *, group_id: int, activity_id: int, learner_id: int = DEFAULT_LEARNER_ID
) -> dict[str, Any]:
    """Create a study session of `activity_id` on `group_id`; 404 if either is unknown."""
    async with conn.transaction():
        if await groups.get_group(conn, group_id) is None:
            raise NotFound(f"Group {group_id} not found", field="group_id")
        if await activities.get_activity(conn, activity_id) is None:
            raise NotFound(f"Study activity {activity_id} not found", field="study_activity_id")
        created_at = utc_now()
        session_id = await sessions.insert_session(
            conn,
            group_id=group_id,
            activity_id=activity_id,
            learner_id=learner_id,
            created_at=created_at,
        )
        first_on_group = await groups.increment_group_sessions(conn, group_id) == 1
        await stats.add_to_learner_stats(
            conn, learner_id, sessions_count=1, active_groups=int(first_on_group)
        )
    return {
        "id": session_id,
        "group_id": group_id,
        "study_activity_id": activity_id,
        "created_at": to_api_timestamp(created_at),
    }


async def record_review(
    conn: Conn, *, session_id: int, word_id: int, correct: bool
) -> dict[str, Any]:
    """Record one answer, all or nothing.

    The counters it feeds (word, session, learner) move in the same statement,
    by the review_counters trigger (migrations/0003_review_counters.*.sql).
    """
    async with conn.transaction():
        reviewed_at = utc_now()
        review_id = await reviews.insert_review(
            conn, word_id=word_id, session_id=session_id, correct=correct, created_at=reviewed_at
        )
        if review_id is None:
            if await sessions.get_session(conn, session_id) is None:
                raise NotFound(f"Study session {session_id} not found")
            raise NotFound(f"Word {word_id} not found")
    return {
        "success": True,
        "id": review_id,
        "word_id": word_id,
        "study_session_id": session_id,
        "correct": correct,
        "created_at": to_api_timestamp(reviewed_at),
    }
