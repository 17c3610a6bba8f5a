"""GET /api/groups, /api/groups/:id and a group's words and sessions."""

from __future__ import annotations

from typing import Any

from quart import request

from ..errors import NotFound
from ..learner import current_learner_id, viewer_learner_id
from ..pagination import parse_page_request
from ..queries import groups, sessions, words
from ..web import ID, conn
from . import api


async def _existing_group(group_id: int) -> dict[str, Any]:
    group = await groups.get_group(await conn(), group_id)
    if group is None:
        raise NotFound(f"Group {group_id} not found")
    return group


@api.get("/groups")
async def list_groups() -> dict[str, Any]:
    page = parse_page_request(request.args, sorts=groups.GROUP_SORTS, default_sort="name")
    db = await conn()
    items = await groups.list_groups_page(
        db, limit=page.limit, offset=page.offset, sort=page.sort, order=page.order
    )
    return {"items": items, "pagination": page.describe(await groups.count_groups(db))}


@api.get(f"/groups/<{ID}:group_id>")
async def show_group(group_id: int) -> dict[str, Any]:
    group = await _existing_group(group_id)
    return {
        "id": group["id"],
        "name": group["name"],
        "created_at": group["created_at"],
        "word_count": group["word_count"],
        "total_word_count": group["word_count"],
        "stats": {"total_word_count": group["word_count"]},
    }


@api.get(f"/groups/<{ID}:group_id>/words")
async def list_group_words(group_id: int) -> dict[str, Any]:
    page = parse_page_request(request.args, sorts=words.WORD_SORTS, default_sort="id")
    await _existing_group(group_id)
    db = await conn()
    items = await words.list_words_page(
        db,
        learner_id=viewer_learner_id(),
        limit=page.limit,
        offset=page.offset,
        sort=page.sort,
        order=page.order,
        group_id=group_id,
    )
    total = await words.count_words(db, group_id=group_id)
    return {"items": items, "pagination": page.describe(total)}


@api.get(f"/groups/<{ID}:group_id>/study_sessions")
async def list_group_sessions(group_id: int) -> dict[str, Any]:
    page = parse_page_request(request.args)
    await _existing_group(group_id)
    db = await conn()
    filters = {"group_id": group_id}
    items = await sessions.list_sessions_page(
        db, learner_id=current_learner_id(), limit=page.limit, offset=page.offset, filters=filters
    )
    total = await sessions.count_sessions(db, learner_id=current_learner_id(), filters=filters)
    return {"items": items, "pagination": page.describe(total)}
