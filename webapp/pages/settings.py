"""/settings: theme, admin sign-in, and the two resets behind a typed confirmation."""

from __future__ import annotations

from typing import Any

from quart import Response, flash, redirect, request
from quart.typing import ResponseTypes

from ..admin_auth import sign_in_allowed
from ..errors import Forbidden, InvalidInput, TooManyRequests, Unauthorized
from ..learner import current_learner_id, resolved
from ..response_cache import cached
from ..security import (
    admin_mode,
    end_admin_session,
    is_admin,
    require_admin,
    signed_in,
    start_admin_session,
)
from ..services import resets, study_settings
from ..web import conn
from . import pages
from .rendering import THEME_COOKIE, THEMES, render_page

CONFIRMATION = "reset me"
THEME_MAX_AGE = 365 * 24 * 3600


async def settings_page(
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    from .profiles import profile_context

    return await render_page(
        "settings.html",
        status=status,
        nav="settings",
        breadcrumbs=[("Settings", None)],
        signed_in=signed_in(),
        errors=errors or {},
        values=values or {},
        # a visitor without a profile has no study settings yet (the page still works)
        study=await study_settings.get_study_settings(await conn(), learner_id=learner_id)
        if (learner_id := resolved().learner_id) is not None
        else None,
        **(await profile_context()),
        **extra,
    )


_settings_page = settings_page


@pages.get("/settings")
@cached()
async def show_settings() -> Response:
    return await _settings_page()


@pages.post("/settings/theme")
async def save_theme() -> ResponseTypes:
    form = await request.form
    theme = form.get("theme", "")
    if theme not in THEMES:
        await flash("Choose Light, Dark or System.", "error")
        return await _settings_page(status=422)
    await flash(f"Theme set to {theme}.", "success")
    response = redirect("/settings", 303)
    response.set_cookie(
        THEME_COOKIE,
        theme,
        max_age=THEME_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=request.scheme == "https",
    )
    return response


@pages.post("/settings/study")
async def save_study_settings() -> ResponseTypes:
    form = await request.form
    given = {name: form.get(name, "") for name in ("new_words_per_day", "session_length")}
    given["timezone"] = form.get("timezone", "")
    try:
        await study_settings.update_study_settings(
            await conn(), learner_id=current_learner_id(), given=given
        )
    except InvalidInput as error:
        field = str(error.detail.get("field", "new_words_per_day"))
        return await _settings_page(status=422, errors={field: error.message}, values=given)
    await flash("Study settings saved.", "success")
    return redirect("/settings", 303)


@pages.post("/settings/sign_in")
async def sign_in() -> ResponseTypes:
    form = await request.form
    if admin_mode() != "token":
        return await _settings_page(
            status=422, errors={"token": "This portal has no admin token to sign in with."}
        )
    try:
        right = await sign_in_allowed(form.get("token", ""))
    except TooManyRequests as refusal:
        response = await _settings_page(status=429, errors={"token": refusal.message})
        response.headers.update(refusal.headers)
        return response
    if not right:
        return await _settings_page(status=422, errors={"token": "That is not the admin token."})
    start_admin_session()
    await flash("Signed in as admin.", "success")
    return redirect("/settings", 303)


@pages.post("/settings/sign_out")
async def sign_out() -> ResponseTypes:
    end_admin_session()
    await flash("Signed out.", "success")
    return redirect("/settings", 303)


async def _confirmed_reset(form_key: str, action: Any, done: str) -> ResponseTypes:
    form = await request.form
    typed = form.get("confirm", "")
    if typed.strip().lower() != CONFIRMATION:
        return await _settings_page(
            status=422,
            errors={form_key: f'Type "{CONFIRMATION}" to confirm; nothing was reset.'},
            values={form_key: typed},
        )
    if not is_admin():
        try:
            require_admin()
        except (Forbidden, Unauthorized) as refusal:
            return await _settings_page(status=refusal.status, errors={form_key: refusal.message})
    await action(await conn())
    await flash(done, "success")
    return redirect("/settings", 303)


@pages.post("/settings/reset_history")
async def reset_history() -> ResponseTypes:
    return await _confirmed_reset(
        "reset_history", resets.reset_history, "Study history has been reset."
    )


@pages.post("/settings/full_reset")
async def full_reset() -> ResponseTypes:
    return await _confirmed_reset(
        "full_reset", resets.full_reset, "The portal has been fully reset to its seed content."
    )
