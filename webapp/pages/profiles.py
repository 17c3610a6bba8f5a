"""Pages of learner profiles: "What's your name?", the share-link start card,
moving a profile to another device, and the profile section of Settings."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from quart import Response, flash, jsonify, redirect, request
from quart.typing import ResponseTypes

from ..errors import InvalidInput, NotFound, PortalError
from ..learner import (
    LearnerRequired,
    current_learner_id,
    current_token_id,
    forget_on_this_device,
    move_url,
    remember_on_this_device,
    resolved,
)
from ..learner_limits import count_move_code_failure, count_profile_creation, move_codes_blocked
from ..queries import activities
from ..services import learners as profiles
from ..services import study
from ..web import ID, conn, error_body
from . import pages
from .groups import shown_group
from .rendering import render_page

RESET_CONFIRMATION = "reset me"
DELETE_CONFIRMATION = "delete me"


def safe_next(raw: str | None) -> str:
    """Only a path on this site (never //other.example or a scheme) is a place to return to."""
    target = (raw or "").strip()
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return "/dashboard"
    return target


def _here() -> str:
    if request.method == "GET":
        query = request.query_string.decode("latin1")
        return request.path + (f"?{query}" if query else "")
    return "/dashboard"


async def render_name_page(
    *, status: int = 200, next_url: str, error: str | None = None, name: str = "", note: str = ""
) -> Response:
    return await render_page(
        "welcome.html",
        status=status,
        nav=None,
        breadcrumbs=[("What's your name?", None)],
        next_url=next_url,
        error=error,
        name=name,
        note=note,
    )


@pages.app_errorhandler(LearnerRequired)
async def learner_required(error: LearnerRequired) -> Response:
    """401 without a learner: JSON under /api; for pages the "What's your name?" page,
    which returns the visitor where they were."""
    if request.path.startswith("/api"):
        response = jsonify(error_body(error))
        response.status_code = 401
        return response
    note = ""
    if error.detail.get("code") == "learner_token_invalid":
        note = "This device was signed out of its profile. Type your name, or use a move code."
    return await render_name_page(status=401, next_url=_here(), note=note)


async def _create_profile_here(name: str) -> tuple[dict[str, Any], PortalError | None]:
    """Create a profile and carry it in this browser's cookie; (learner, the refusal)."""
    db = await conn()
    try:
        profiles.clean_name(name)
        await count_profile_creation(db)
        created = await profiles.create_learner(db, name=name)
    except PortalError as refusal:
        return {}, refusal
    remember_on_this_device(created.token)
    return created.learner, None


@pages.get("/welcome")
async def name_page() -> ResponseTypes:
    next_url = safe_next(request.args.get("next"))
    if resolved().learner_id is not None:  # already has a profile here: nothing to ask
        return redirect(next_url, 303)
    return await render_name_page(next_url=next_url)


@pages.post("/welcome")
async def create_profile() -> ResponseTypes:
    form = await request.form
    next_url = safe_next(form.get("next"))
    name = form.get("name", "")
    learner, problem = await _create_profile_here(name)
    if problem:
        return await render_name_page(
            status=problem.status, next_url=next_url, error=problem.message, name=name
        )
    await flash(f"Welcome, {learner['name']}! This browser now keeps your progress.", "success")
    return redirect(next_url, 303)


# --- two clicks from a share link ---------------------------------------------------


async def _start_page(group: dict[str, Any], *, status: int, error: str, name: str) -> Response:
    return await render_page(
        "start.html",
        status=status,
        nav="groups",
        breadcrumbs=[("Word Groups", "/groups"), (group["name"], f"/groups/{group['id']}")],
        group=group,
        onboarding_error=error,
        onboarding_name=name,
    )


@pages.post(f"/groups/<{ID}:group_id>/start")
async def start_group(group_id: int) -> ResponseTypes:
    """The share link's card: name → profile, cookie, Flashcards on the group, first card."""
    db = await conn()
    group = await shown_group(db, group_id)
    flashcards = await activities.get_first_activity_of_type(db, "flashcards")
    if flashcards is None:
        raise NotFound("This portal has no Flashcards activity to start.")
    form = await request.form
    name = form.get("name", "")
    learner_id = resolved().learner_id
    if learner_id is None:
        learner, problem = await _create_profile_here(name)
        if problem:
            return await _start_page(group, status=problem.status, error=problem.message, name=name)
        learner_id = learner["id"]
    created = await study.launch_session(
        db, group_id=group_id, activity_id=flashcards["id"], learner_id=learner_id
    )
    return redirect(f"/study_sessions/{created['id']}/flashcards", 303)


# --- moving a profile to this device ---------------------------------------------------


async def _move_page(code: str, *, status: int = 200, error: str = "") -> Response:
    found = None
    try:
        normalised = profiles.normalise_code(code)
    except InvalidInput:
        normalised = ""
    if normalised and not error:
        found = await profiles.peek_move_code(await conn(), normalised)
    return await render_page(
        "move.html",
        status=status if found or error else 404,
        nav="settings",
        breadcrumbs=[("Settings", "/settings"), ("Use a profile here", None)],
        code=normalised or code[:20],
        found=found,
        error=error,
    )


@pages.get("/move/<code>")
async def move_page(code: str) -> Response:
    """Shows whose profile the code moves; a GET never spends it (link previews fetch)."""
    return await _move_page(code)


async def _redeem_here(raw_code: str) -> str | None:
    """Spend a code on this device; the learner's name, or None (the error is raised)."""
    code = profiles.normalise_code(raw_code)
    db = await conn()
    await move_codes_blocked(db)
    redeemed = await profiles.redeem_move_code(db, code)
    if redeemed is None:
        await count_move_code_failure(db)
        return None
    remember_on_this_device(redeemed.token)
    return str(redeemed.learner["name"])


@pages.post("/move/<code>")
async def use_move_code(code: str) -> ResponseTypes:
    try:
        name = await _redeem_here(code)
    except PortalError as refusal:
        return await _move_page(code, status=refusal.status, error=refusal.message)
    if name is None:
        return await _move_page(code, status=404, error="That code is unknown, used or expired.")
    await flash(f"This device now studies as {name}.", "success")
    return redirect("/dashboard", 303)


# --- Settings: Your profile ------------------------------------------------------------


async def profile_context() -> dict[str, Any]:
    """What the Settings page shows of the current learner (None without one)."""
    learner_id = resolved().learner_id
    if learner_id is None:
        return {"profile": None}
    return {"profile": await profiles.profile(await conn(), learner_id)}


async def _settings(status: int = 200, **extra: Any) -> Response:
    from .settings import settings_page

    return await settings_page(status=status, **extra)


@pages.post("/settings/profile")
async def save_profile() -> ResponseTypes:
    form = await request.form
    learner_id = current_learner_id()
    changes = {"name": form.get("name", "")}
    try:
        await profiles.update_learner(await conn(), learner_id, changes)
    except PortalError as refusal:
        field = str(refusal.detail.get("field", "name"))
        return await _settings(
            status=refusal.status, errors={f"profile_{field}": refusal.message}, values=changes
        )
    await flash("Your profile is saved.", "success")
    return redirect("/settings", 303)


@pages.post("/settings/profile/move_code")
async def issue_move_code() -> Response:
    issued = await profiles.issue_move_code(await conn(), current_learner_id())
    return await _settings(
        move_code={**issued, "url": move_url(issued["plain_code"])},
    )


@pages.post("/settings/profile/use_code")
async def use_code_from_settings() -> ResponseTypes:
    form = await request.form
    typed = form.get("code", "")
    try:
        name = await _redeem_here(typed)
    except PortalError as refusal:
        return await _settings(
            status=refusal.status, errors={"use_code": refusal.message}, values={"code": typed}
        )
    if name is None:
        return await _settings(
            status=404,
            errors={"use_code": "That code is unknown, used or expired: ask for a new one."},
            values={"code": typed},
        )
    await flash(f"This device now studies as {name}.", "success")
    return redirect("/dashboard", 303)


@pages.post("/settings/profile/sign_out_others")
async def sign_out_others() -> ResponseTypes:
    learner_id = current_learner_id()
    revoked = await profiles.sign_out_other_devices(await conn(), learner_id, current_token_id())
    await flash(f"Signed out {revoked} other device{'s' if revoked != 1 else ''}.", "success")
    return redirect("/settings", 303)


async def _typed(expected: str, form_key: str) -> Response | None:
    form = await request.form
    typed = form.get("confirm", "")
    if typed.strip().lower() == expected:
        return None
    return await _settings(
        status=422,
        errors={form_key: f'Type "{expected}" to confirm; nothing was changed.'},
        values={form_key: typed},
    )


@pages.post("/settings/profile/reset_history")
async def reset_my_history() -> ResponseTypes:
    learner_id = current_learner_id()
    refusal = await _typed(RESET_CONFIRMATION, "my_reset")
    if refusal is not None:
        return refusal
    counts = await profiles.reset_learner_history(await conn(), learner_id)
    await flash(
        f"Your history is reset: {counts['study_sessions']} sessions and "
        f"{counts['reviews']} answers deleted.",
        "success",
    )
    return redirect("/settings", 303)


@pages.post("/settings/profile/delete")
async def delete_my_profile() -> ResponseTypes:
    learner_id = current_learner_id()
    refusal = await _typed(DELETE_CONFIRMATION, "my_delete")
    if refusal is not None:
        return refusal
    try:
        await profiles.delete_learner(await conn(), learner_id)
    except PortalError as conflict:
        return await _settings(status=conflict.status, errors={"my_delete": conflict.message})
    forget_on_this_device()
    await flash("Your profile and its history are deleted.", "success")
    return redirect("/groups", 303)
