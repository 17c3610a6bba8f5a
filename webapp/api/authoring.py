"""Authoring under /api (admin only): groups, memberships and words."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from quart import Response, jsonify, request

from ..errors import InvalidInput
from ..learner import viewer_learner_id
from ..security import require_admin
from ..services import authoring
from ..web import ID, conn, json_body
from . import api


def group_show(group: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": group["id"],
        "name": group["name"],
        "created_at": group["created_at"],
        "word_count": group["word_count"],
        "total_word_count": group["word_count"],
        "stats": {"total_word_count": group["word_count"]},
    }


def _created(body: dict[str, Any]) -> Response:
    response = jsonify(body)
    response.status_code = 201
    return response


@api.post("/groups")
async def create_group() -> Response:
    require_admin()
    body = await json_body()
    group = await authoring.create_group(await conn(), body.get("name"))
    return _created(group_show(group))


async def rename_group(group_id: int) -> dict[str, Any]:
    require_admin()
    body = await json_body()
    return group_show(await authoring.rename_group(await conn(), group_id, body.get("name")))


async def delete_group(group_id: int) -> dict[str, Any]:
    require_admin()
    result = await authoring.delete_group(await conn(), group_id)
    return {k: result[k] for k in ("success", "id", "words_unlinked", "study_sessions_kept")}


# One rule per path (here and in words.py/groups.py): with two rules on a path, Werkzeug
# answers an out-of-range id with 405 (the other rule's methods) instead of 404.
@api.route(f"/groups/<{ID}:group_id>/words/<{ID}:word_id>", methods=["PUT", "DELETE"])
async def group_word(group_id: int, word_id: int) -> Response | dict[str, Any]:
    if request.method == "DELETE":
        return await remove_group_word(group_id, word_id)
    require_admin()
    added, count = await authoring.add_word_to_group(await conn(), group_id, word_id)
    response = jsonify({"group_id": group_id, "word_id": word_id, "word_count": count})
    response.status_code = 201 if added else 200
    return response


async def remove_group_word(group_id: int, word_id: int) -> dict[str, Any]:
    require_admin()
    count = await authoring.remove_word_from_group(await conn(), group_id, word_id)
    return {"success": True, "word_count": count}


def _allow_duplicate(body: dict[str, Any]) -> bool:
    value = body.get("allow_duplicate", False)
    if not isinstance(value, bool):
        raise InvalidInput("allow_duplicate must be true or false", field="allow_duplicate")
    return value


@api.post("/words")
async def create_word() -> Response:
    require_admin()
    body = await json_body()
    word = await authoring.create_word(
        await conn(),
        body,
        group_ids=authoring.clean_group_ids(body.get("group_ids")),
        allow_duplicate=_allow_duplicate(body),
        learner_id=viewer_learner_id(),
    )
    return _created(word)


async def update_word(word_id: int) -> dict[str, Any]:
    require_admin()
    body = await json_body()
    fields = ("japanese", "kana", "romaji", "english", "parts")
    changes: dict[str, Any] = {k: body[k] for k in fields if k in body}
    return await authoring.update_word(
        await conn(),
        word_id,
        changes,
        group_ids=authoring.clean_group_ids(body.get("group_ids")),
        allow_duplicate=_allow_duplicate(body),
        learner_id=viewer_learner_id(),
    )


async def delete_word(word_id: int) -> dict[str, Any]:
    require_admin()
    result = await authoring.delete_word(await conn(), word_id)
    return {k: result[k] for k in ("success", "id", "reviews_deleted", "learners_affected")}


# Writes on /api/groups/:id and /api/words/:id, dispatched from the one rule of each path.
Write = Callable[[int], Awaitable[dict[str, Any]]]
GROUP_WRITES: dict[str, Write] = {"PATCH": rename_group, "DELETE": delete_group}
WORD_WRITES: dict[str, Write] = {"PATCH": update_word, "DELETE": delete_word}
