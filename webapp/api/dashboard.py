"""The dashboard's three figures as JSON."""

from __future__ import annotations

from typing import Any

from ..errors import NotFound
from ..learner import current_learner_id
from ..response_cache import cached
from ..services import dashboard, progress
from ..web import conn, settings, timezone_arg
from . import api


@api.get("/dashboard/last_study_session")
@cached()
async def last_study_session() -> dict[str, Any]:
    session = await dashboard.last_session(await conn(), learner_id=current_learner_id())
    if session is None:
        raise NotFound("No study sessions yet: launch a study activity to start one")
    return session


@api.get("/dashboard/study_progress")
@cached()
async def study_progress() -> dict[str, Any]:
    return await dashboard.study_progress(await conn(), learner_id=current_learner_id())


@api.get("/dashboard/quick_stats")
@api.get("/dashboard/quick-stats")
@cached()
async def quick_stats() -> dict[str, Any]:
    db = await conn()
    zone = await dashboard.resolve_timezone(
        db, timezone_arg(), settings().default_timezone, learner_id=current_learner_id()
    )
    return await dashboard.quick_stats(db, zone, learner_id=current_learner_id())


@api.get("/dashboard/due")
@cached()
async def due() -> dict[str, Any]:
    """Due now, due today, known words and the 7-day forecast, in the learner's zone."""
    db = await conn()
    learner_id = current_learner_id()
    zone = await dashboard.resolve_timezone(
        db, timezone_arg(), settings().default_timezone, learner_id=learner_id
    )
    return await progress.due_summary(db, learner_id=learner_id, zone=zone)
