"""Starting learner sessions (recording answers: services/reviews.py)."""

from __future__ import annotations

from typing import Any

from ..db import Conn, to_api_timestamp, utc_now
from ..errors import InvalidInput, NotFound
from ..queries import activities, groups, sessions, stats

# How a session's queue picks its words (services/queue.py).
QUEUE_MODES = ("scheduled", "ahead", "missed")


async def launch_session(
    conn: Conn, *, learner_id: int, group_id: int, activity_id: int, mode: str = "scheduled"
) -> dict[str, Any]:
    """Create `learner_id`'s session of `activity_id` on `group_id`; 404 if either is unknown.

    `mode`: "scheduled" (due words, then new ones), "ahead" (study ahead: words not
    yet due) or "missed" (the learner's most missed words of the group).
    """
    if mode not in QUEUE_MODES:
        raise InvalidInput(f"'mode' must be one of {', '.join(QUEUE_MODES)}", field="mode")
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
            queue_mode=mode,
        )
        await groups.increment_group_sessions(conn, group_id)
        first_on_group = (
            await groups.increment_learner_group_sessions(conn, learner_id, group_id) == 1
        )
        await stats.add_to_learner_stats(
            conn, learner_id, sessions_count=1, active_groups=int(first_on_group)
        )
    return {
        "id": session_id,
        "group_id": group_id,
        "study_activity_id": activity_id,
        "created_at": to_api_timestamp(created_at),
        "mode": mode,
    }
