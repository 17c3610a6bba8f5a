"""Study activities: list, show, their sessions, and launching a session."""

from __future__ import annotations

from typing import Any

from quart import request

from ..errors import InvalidInput, NotFound
from ..learner import current_learner_id, external_launch_url
from ..queries import activities
from ..response_cache import cached
from ..services import listings, study
from ..web import ID, conn, json_body, require_id
from . import api


def _public(activity: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value for key, value in activity.items() if key not in ("builtin", "unsafe_launch_url")
    }


@api.get("/study_activities")
@cached()
async def list_activities() -> dict[str, Any]:
    page = listings.ACTIVITIES.parse(request.args)
    listing = await listings.ACTIVITIES.fetch(await conn(), page)
    return {**listing.as_json(), "items": [_public(a) for a in listing.items]}


@api.get(f"/study_activities/<{ID}:activity_id>")
@cached()
async def show_activity(activity_id: int) -> dict[str, Any]:
    activity = await activities.get_activity(await conn(), activity_id)
    if activity is None:
        raise NotFound(f"Study activity {activity_id} not found")
    return _public(activity)


@api.get(f"/study_activities/<{ID}:activity_id>/study_sessions")
@cached()
async def list_activity_sessions(activity_id: int) -> dict[str, Any]:
    page = listings.SESSIONS.parse(request.args)
    db = await conn()
    if await activities.get_activity(db, activity_id) is None:
        raise NotFound(f"Study activity {activity_id} not found")
    filters = {"study_activity_id": activity_id}
    listing = await listings.SESSIONS.fetch(
        db, page, learner_id=current_learner_id(), filters=filters
    )
    return listing.as_json()


@api.post("/study_activities")
@api.post("/study_sessions")
async def launch_session() -> tuple[dict[str, Any], int]:
    body = await json_body()
    group_id = require_id(body, "group_id", "Group")
    activity_id = require_id(body, "study_activity_id", "Study activity")
    mode = body.get("mode", "scheduled")
    if not isinstance(mode, str):
        raise InvalidInput("'mode' must be a string", field="mode")
    created = await study.launch_session(
        await conn(),
        learner_id=current_learner_id(),
        group_id=group_id,
        activity_id=activity_id,
        mode=mode,
    )
    activity = await activities.get_activity(await conn(), activity_id)
    launch = external_launch_url(
        {**created, "activity_type": activity["activity_type"] if activity else "flashcards"},
        activity["launch_url"] if activity else None,
    )
    if launch is not None:
        # where to send the learner: the external app, with this session's key
        created["launch_url"] = launch
    return created, 201
