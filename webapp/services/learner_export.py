"""A learner's own copy of their data (GET /api/learners/me/export)."""

from __future__ import annotations

from typing import Any

from ..db import Conn, to_api_timestamp, utc_now
from ..queries import learners as q
from . import learners as profiles


async def export_learner(conn: Conn, learner_id: int) -> dict[str, Any]:
    """Profile, sessions and reviews, read in one go (a learner's history is small)."""
    learner = await profiles.profile(conn, learner_id)
    return {
        "format": "lang-portal-learner",
        "version": 1,
        "exported_at": to_api_timestamp(utc_now()),
        "learner": learner,
        "study_sessions": await q.list_learner_sessions(conn, learner_id),
        "reviews": await q.list_learner_reviews(conn, learner_id),
    }
