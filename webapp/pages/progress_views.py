"""What the schedule means on the pages: the dashboard's "Due" card (with its
forecast chart) and times shown in the learner's own time zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from quart import Response

from ..charts import forecast_chart
from ..db import Conn, parse_timestamp
from ..learner import current_learner_id
from ..queries import stats
from ..response_cache import cached
from ..services import dashboard, progress
from ..web import conn, settings
from . import pages
from .rendering import MONTHS, render_page


async def learner_zone(db: Conn) -> tuple[ZoneInfo, bool]:
    """The zone the learner's times are shown in, and whether the learner chose it."""
    learner_id = current_learner_id()
    chosen = await stats.get_learner_timezone(db, learner_id)
    zone = await dashboard.resolve_timezone(
        db, None, settings().default_timezone, learner_id=learner_id
    )
    return zone, bool(chosen)


async def due_card_context(db: Conn) -> dict[str, Any]:
    zone, chosen = await learner_zone(db)
    due = await progress.due_summary(db, learner_id=current_learner_id(), zone=zone)
    return {"due": due | {"chart": forecast_chart(due["forecast"]), "zone_chosen": chosen}}


def local_datetime(value: str | datetime | None, zone: str) -> str:
    """A UTC time in the learner's zone: '3 Dec 2026, 18:14 (Asia/Tokyo)'."""
    if not value:
        return ""
    local = parse_timestamp(value).astimezone(ZoneInfo(zone))
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H:%M} ({zone})"


pages.add_app_template_filter(local_datetime, "local_datetime")


@pages.get("/dashboard/cards/due")
@cached()
async def due_card() -> Response:
    """The "Due" card alone: it refreshes itself in place."""
    return await render_page("_dashboard_due.html", **await due_card_context(await conn()))
