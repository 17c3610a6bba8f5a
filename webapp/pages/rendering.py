"""Rendering helpers: the one page-or-fragment decision, shared template context, filters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from jinja2 import Environment
from quart import Blueprint, Response, current_app, g, get_flashed_messages, request

from ..db import parse_timestamp, utc_now
from ..learner import resolved
from ..pagination import PageRequest
from ..queries.learners import get_learner_name
from ..security import admin_mode, csrf_token, is_admin
from ..web import PARTIAL_VARY, add_vary, conn, is_partial_request

THEMES = ("light", "dark", "system")
THEME_COOKIE = "theme"
PAGE_SIZE = 50


def current_theme() -> str:
    theme = request.cookies.get(THEME_COOKIE, "system")
    return theme if theme in THEMES else "system"


def chosen_sort(page: PageRequest) -> dict[str, Any]:
    """A sortable table's `sort` and `order` for its template: None unless the address
    chose them, so the table's links stay as short as the address was."""
    return {
        "sort": request.args.get("sort") and page.sort,
        "order": request.args.get("order") and page.order,
    }


def hx_target_id() -> str:
    """The id of the element an htmx request will swap (`HX-Target: div#words-table`)."""
    return request.headers.get("HX-Target", "").rpartition("#")[2]


SYNC_TEMPLATES = "lang_portal.sync_templates"


def sync_templates() -> Environment:
    """The app's template environment, compiled for plain synchronous rendering.

    Quart renders Jinja in async mode, where every macro call and block goes through
    an await chain; templates here do no I/O (views pass them ready data), so a
    synchronous overlay of the same environment (same loader, filters, globals)
    renders the same HTML without that cost.  Its own cache: compiled async
    templates cannot be rendered synchronously.
    """
    env = current_app.extensions.get(SYNC_TEMPLATES)
    if env is None:
        env = current_app.jinja_env.overlay(enable_async=False, cache_size=400)
        current_app.extensions[SYNC_TEMPLATES] = env
    return env


async def render_template(template: str, **context: Any) -> str:
    """Quart's `render_template` (context processors included), rendered synchronously."""
    await current_app.update_template_context(context)
    return sync_templates().get_template(template).render(context)


async def render_page(
    template: str,
    fragments: dict[str, str] | None = None,
    *,
    status: int = 200,
    **context: Any,
) -> Response:
    """The full page, or for a targeted htmx swap only the fragment it targets.

    `fragments` maps a region's element id to its fragment template; the first is
    the default when the target names none of them.  Either way the response
    varies on the htmx headers, so caches keep the two apart.
    """
    chosen = template
    if fragments and is_partial_request():
        chosen = fragments.get(hx_target_id(), next(iter(fragments.values())))
    html = await render_template(chosen, **context)
    return add_vary(current_app.response_class(html, status=status), PARTIAL_VARY)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_datetime(value: str | datetime) -> str:
    """ISO UTC → '25 Nov 2026, 09:14 UTC' (a stable, unambiguous form).

    The API's own form (2026-11-25T09:14:03Z) is sliced rather than parsed: tables
    show two per row, and parsing was a visible part of rendering them.
    """
    if isinstance(value, str) and len(value) == 20 and value[10] == "T" and value[-1] == "Z":
        day, month, year = int(value[8:10]), int(value[5:7]), value[:4]
        return f"{day} {MONTHS[month - 1]} {year}, {value[11:16]} UTC"
    return parse_timestamp(value).strftime("%d %b %Y, %H:%M UTC").lstrip("0")


def time_ago(value: str | datetime, now: datetime | None = None) -> str:
    """'just now', '5 minutes ago', '2 days ago' (the exact time goes in a title)."""
    moment = parse_timestamp(value)
    seconds = max(0, int(((now or utc_now()) - moment).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"


def install_template_helpers(blueprint: Blueprint) -> None:
    @blueprint.app_context_processor
    async def every_page() -> dict[str, Any]:
        messages = get_flashed_messages(with_categories=True)
        learner_id = resolved().learner_id
        g.learner_used = True  # every page names its learner: no shared cache may keep it
        learner_name = await get_learner_name(await conn(), learner_id) if learner_id else None
        return {
            # the header's name linking to Settings; None for a visitor without a profile
            "current_learner": {"id": learner_id, "name": learner_name} if learner_id else None,
            "nav_admin": is_admin(),
            "theme": current_theme(),
            "csrf_token": csrf_token(),
            "flash_messages": list(messages),
            "admin_mode": admin_mode(),
            "is_admin": is_admin(),
        }

    blueprint.add_app_template_filter(format_datetime, "datetime")
    blueprint.add_app_template_filter(time_ago, "ago")
