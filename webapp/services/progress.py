"""What the schedule means for a learner: due counts, the forecast, one word's state.

Day boundaries come from services/dashboard.py (`local_day_bounds`), the one rule
for every "today" in the learner's zone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..db import Conn, utc_now
from ..queries import cards
from ..scheduling import schedule_item
from .dashboard import local_day_bounds, local_today

FORECAST_DAYS = 7


async def due_summary(
    conn: Conn, *, learner_id: int, zone: ZoneInfo, now: datetime | None = None
) -> dict[str, Any]:
    """`due_now`, `due_today` (before the next local midnight, overdue included),
    `known_words` (stability >= 21 days) and a 7-day `forecast` of local dates:
    day 0 is due_today, day i the cards whose due time falls on today + i."""
    now = now or utc_now()
    today = local_today(now, zone)
    days = [today + timedelta(days=offset) for offset in range(FORECAST_DAYS)]
    ends = [local_day_bounds(day, zone)[1] for day in days]
    counts = await cards.count_due_windows(conn, learner_id, now=now, bounds=ends)
    until = [counts[f"until_{index}"] for index in range(FORECAST_DAYS)]
    forecast = [
        {"date": day.isoformat(), "count": until[index] - (until[index - 1] if index else 0)}
        for index, day in enumerate(days)
    ]
    return {
        "due_now": counts["due_now"],
        "due_today": until[0],
        "known_words": await cards.count_known_words(conn, learner_id),
        "forecast": forecast,
        "timezone": zone.key,
    }


async def word_schedule(
    conn: Conn, *, learner_id: int, word_id: int, now: datetime | None = None
) -> dict[str, Any] | None:
    """The word page's and API's `schedule` for the learner (None: never studied):
    state, due, stability, difficulty, retrievability (now), last_review, known."""
    row = await cards.get_card_row(conn, learner_id, word_id)
    card = None if row is None else cards.card_from_row(row)
    return schedule_item(card, now or utc_now())
