"""GET /api/groups, /api/groups/:id and a group's words and sessions."""

from __future__ import annotations

from typing import Any

from quart import request

from ..learner import current_learner_id, viewer_learner_id
from ..response_cache import cached
from ..services import authoring, listings
from ..web import ID, conn
from . import api
from .authoring import GROUP_WRITES, group_show


@api.get("/groups")
@cached()
async def list_groups() -> dict[str, Any]:
    page = listings.GROUPS.parse(request.args)
    return (await listings.GROUPS.fetch(await conn(), page)).as_json()


@api.route(f"/groups/<{ID}:group_id>", methods=["GET", "PATCH", "DELETE"])
@cached()
async def show_group(group_id: int) -> dict[str, Any]:
    if request.method != "GET":  # one rule per path: see api/authoring.py
        return await GROUP_WRITES[request.method](group_id)
    return group_show(await authoring.live_group(await conn(), group_id))


@api.get(f"/groups/<{ID}:group_id>/words")
@cached()
async def list_group_words(group_id: int) -> dict[str, Any]:
    page = listings.WORDS.parse(request.args)
    db = await conn()
    await authoring.live_group(db, group_id)
    listing = await listings.WORDS.fetch(
        db, page, learner_id=viewer_learner_id(), group_id=group_id
    )
    return listing.as_json()


@api.get(f"/groups/<{ID}:group_id>/study_sessions")
@cached()
async def list_group_sessions(group_id: int) -> dict[str, Any]:
    page = listings.SESSIONS.parse(request.args)
    db = await conn()
    await authoring.live_group(db, group_id)
    listing = await listings.SESSIONS.fetch(
        db, page, learner_id=current_learner_id(), filters={"group_id": group_id}
    )
    return listing.as_json()
