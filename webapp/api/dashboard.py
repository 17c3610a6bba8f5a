"""The dashboard's three figures as JSON."""

from __future__ import annotations

from typing import Any

from ..errors import NotFound
from ..services import dashboard
from ..web import conn, settings, timezone_arg
from . import api


@api.get("/dashboard/last_study_session")
async def last_study_session() -> dict[str, Any]:
    session = await dashboard.last_session(await conn())
    if session is None:
        raise NotFound("No study sessions yet: launch a study activity to start one")
    return session


@api.get("/dashboard/study_progress")
async def study_progress() -> dict[str, Any]:
    return await dashboard.study_progress(await conn())


@api.get("/dashboard/quick_stats")
@api.get("/dashboard/quick-stats")
async def quick_stats() -> dict[str, Any]:
    db = await conn()
    zone = await dashboard.resolve_timezone(db, timezone_arg(), settings().default_timezone)
    return await dashboard.quick_stats(db, zone)
