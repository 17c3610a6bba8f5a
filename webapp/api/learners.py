"""Learner profiles: create, me, move codes, sign-out, delete; the admin's roster."""

from __future__ import annotations

import json
from typing import Any

from quart import Response, request

from ..errors import NotFound
from ..learner import current_learner_id, current_token_id, move_url
from ..learner_limits import (
    count_move_code_failure,
    count_profile_creation,
    move_codes_blocked,
)
from ..response_cache import cached
from ..security import require_admin
from ..services import DEFAULT_LEARNER_ID, learner_export, listings
from ..services import learners as profiles
from ..web import ID, conn, json_body
from . import api


def _code_body(issued: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": issued["code"],
        "url": move_url(issued["plain_code"]),
        "expires_at": issued["expires_at"],
    }


def _roster_item(learner: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "name", "created_at", "last_active_at", "sessions_count", "is_default")
    return {key: learner[key] for key in keys}


@api.post("/learners")
async def create_learner() -> tuple[dict[str, Any], int]:
    body = await json_body()
    db = await conn()
    # Validate first: a typo in a name should not use up the school's allowance.
    profiles.clean_name(body.get("name"))
    profiles.clean_timezone(body.get("timezone"))
    await count_profile_creation(db)
    created = await profiles.create_learner(
        db, name=body.get("name"), timezone=body.get("timezone")
    )
    learner = created.learner
    return {
        "id": learner["id"],
        "name": learner["name"],
        "timezone": learner["timezone"],
        "created_at": learner["created_at"],
        "token": created.token,
    }, 201


@api.get("/learners/me")
@cached()
async def show_me() -> dict[str, Any]:
    return await profiles.profile(await conn(), current_learner_id())


@api.patch("/learners/me")
async def update_me() -> dict[str, Any]:
    body = await json_body()
    return await profiles.update_learner(await conn(), current_learner_id(), body)


@api.delete("/learners/me")
async def delete_me() -> dict[str, Any]:
    deleted = await profiles.delete_learner(await conn(), current_learner_id())
    return {"success": True, "deleted": deleted}


@api.post("/learners/me/transfer_code")
async def issue_my_code() -> tuple[dict[str, Any], int]:
    issued = await profiles.issue_move_code(await conn(), current_learner_id())
    return _code_body(issued), 201


@api.post("/learners/transfer")
async def redeem_code() -> dict[str, Any]:
    body = await json_body()
    code = profiles.normalise_code(body.get("code"))
    db = await conn()
    await move_codes_blocked(db)
    redeemed = await profiles.redeem_move_code(db, code)
    if redeemed is None:
        await count_move_code_failure(db)
        raise NotFound(
            "That move code is unknown, already used or expired: ask for a new one", field="code"
        )
    learner = redeemed.learner
    return {"id": learner["id"], "name": learner["name"], "token": redeemed.token}


@api.delete("/learners/me/tokens")
async def sign_out_others() -> dict[str, Any]:
    learner_id = current_learner_id()
    revoked = await profiles.sign_out_other_devices(await conn(), learner_id, current_token_id())
    return {"revoked": revoked}


@api.post("/learners/me/reset_history")
async def reset_my_history() -> dict[str, Any]:
    await profiles.reset_learner_history(await conn(), current_learner_id())
    return {"success": True, "message": "Your study history has been reset"}


@api.get("/learners/me/export")
async def export_me() -> Response:
    learner_id = current_learner_id()
    document = await learner_export.export_learner(await conn(), learner_id)
    response = Response(json.dumps(document, ensure_ascii=False), mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="lang-portal-learner-{learner_id}.json"'
    )
    return response


# --- the admin's roster -------------------------------------------------------


@api.get("/learners")
async def list_learners() -> dict[str, Any]:
    require_admin()
    page = listings.LEARNERS.parse(request.args)
    listing = await listings.LEARNERS.fetch(await conn(), page, default_id=DEFAULT_LEARNER_ID)
    return {**listing.as_json(), "items": [_roster_item(i) for i in listing.items]}


@api.patch(f"/learners/<{ID}:learner_id>")
async def rename_learner(learner_id: int) -> dict[str, Any]:
    require_admin()
    body = await json_body()
    await profiles.update_learner(await conn(), learner_id, {"name": body.get("name")})
    return _roster_item(await profiles.get_learner(await conn(), learner_id))


@api.delete(f"/learners/<{ID}:learner_id>")
async def delete_learner(learner_id: int) -> dict[str, Any]:
    require_admin()
    deleted = await profiles.delete_learner(await conn(), learner_id)
    return {"success": True, "deleted": deleted}


@api.post(f"/learners/<{ID}:learner_id>/transfer_code")
async def issue_code_for(learner_id: int) -> tuple[dict[str, Any], int]:
    require_admin()
    issued = await profiles.issue_move_code(await conn(), learner_id)
    return _code_body(issued), 201
