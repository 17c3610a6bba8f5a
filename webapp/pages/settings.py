"""/settings: theme, admin sign-in, and the two resets behind a typed confirmation."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from typing import Any

from quart import Response, flash, redirect, request, session
from quart.typing import ResponseTypes

from ..errors import Forbidden, InvalidInput
from ..learner import current_learner_id
from ..security import is_admin, require_admin, token_matches
from ..services import resets, study_settings
from ..web import conn
from . import pages
from .rendering import THEME_COOKIE, THEMES, render_page

CONFIRMATION = "reset me"
THEME_MAX_AGE = 365 * 24 * 3600
# Sign-in attempts allowed per client address per window (kept per worker process).
SIGN_IN_ATTEMPTS = 5
SIGN_IN_WINDOW_SECONDS = 60
_sign_in_attempts: dict[str, deque[float]] = defaultdict(deque)


async def _settings_page(
    status: int = 200, errors: dict[str, str] | None = None, values: dict[str, str] | None = None
) -> Response:
    return await render_page(
        "settings.html",
        status=status,
        nav="settings",
        breadcrumbs=[("Settings", None)],
        signed_in=bool(session.get("admin")),
        errors=errors or {},
        values=values or {},
        study=await study_settings.get_study_settings(
            await conn(), learner_id=current_learner_id()
        ),
    )


@pages.get("/settings")
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
async def save_study_settings() -> Response:
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


def _too_many_attempts(address: str) -> bool:
    now = time.monotonic()
    attempts = _sign_in_attempts[address]
    while attempts and now - attempts[0] > SIGN_IN_WINDOW_SECONDS:
        attempts.popleft()
    attempts.append(now)
    return len(attempts) > SIGN_IN_ATTEMPTS


@pages.post("/settings/sign_in")
async def sign_in() -> ResponseTypes:
    form = await request.form
    if _too_many_attempts(request.remote_addr or "?"):
        return await _settings_page(
            status=429, errors={"token": "Too many attempts: wait a minute and try again."}
        )
    if not token_matches(form.get("token", "")):
        return await _settings_page(status=422, errors={"token": "That is not the admin token."})
    session["admin"] = True
    await flash("Signed in as admin.", "success")
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
        except Forbidden as refusal:
            return await _settings_page(status=403, errors={form_key: refusal.message})
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
