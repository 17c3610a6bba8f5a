"""/dashboard and its three cards (each also a fragment route of its own)."""

from __future__ import annotations

from typing import Any

from quart import Response

from ..learner import current_learner_id
from ..response_cache import cached
from ..services import dashboard
from ..web import conn, settings
from . import pages
from .progress_views import due_card_context
from .rendering import render_page

CARDS = {
    "last_session": "_dashboard_last_session.html",
    "progress": "_dashboard_progress.html",
    "stats": "_dashboard_stats.html",
}


async def _dashboard_context() -> dict[str, Any]:
    db = await conn()
    zone = await dashboard.resolve_timezone(
        db, None, settings().default_timezone, learner_id=current_learner_id()
    )
    return {
        "last_session": await dashboard.last_session(db, learner_id=current_learner_id()),
        "progress": await dashboard.study_progress(db, learner_id=current_learner_id()),
        "stats": await dashboard.quick_stats(db, zone, learner_id=current_learner_id()),
        **await due_card_context(db),
    }


@pages.get("/dashboard")
@cached()
async def show_dashboard() -> Response:
    return await render_page(
        "dashboard.html",
        nav="dashboard",
        breadcrumbs=[("Dashboard", None)],
        **await _dashboard_context(),
    )


@pages.get("/dashboard/cards/<any(last_session, progress, stats):card>")
@cached()
async def dashboard_card(card: str) -> Response:
    """One card alone: the card refreshes itself in place."""
    db = await conn()
    context: dict[str, Any]
    if card == "last_session":
        context = {
            "last_session": await dashboard.last_session(db, learner_id=current_learner_id())
        }
    elif card == "progress":
        context = {"progress": await dashboard.study_progress(db, learner_id=current_learner_id())}
    else:
        zone = await dashboard.resolve_timezone(
            db, None, settings().default_timezone, learner_id=current_learner_id()
        )
        context = {"stats": await dashboard.quick_stats(db, zone, learner_id=current_learner_id())}
    return await render_page(CARDS[card], **context)
