"""The dashboard's figures: last session, progress, quick stats and the streak."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..db import Conn, parse_timestamp, utc_now
from ..queries import sessions, stats
from . import DEFAULT_LEARNER_ID

# First window of history the streak looks at; doubled while the streak fills it,
# so the work follows the streak's length, never the size of the whole history.
STREAK_WINDOW_DAYS = 45


async def last_session(conn: Conn, learner_id: int = DEFAULT_LEARNER_ID) -> dict[str, Any] | None:
    session = await sessions.get_last_session(conn, learner_id)
    if session is None:
        return None
    return {
        **session,
        "created_at": session["start_time"],
        "total_reviews": session["review_items_count"],
    }


async def study_progress(conn: Conn, learner_id: int = DEFAULT_LEARNER_ID) -> dict[str, Any]:
    totals = await stats.get_learner_stats(conn, learner_id)
    available = await stats.count_words_total(conn)
    studied = totals["words_studied"]
    latest = await sessions.get_last_session(conn, learner_id)
    return {
        "total_words_studied": studied,
        "total_available_words": available,
        "total_words_available": available,
        "mastery_percentage": round(100 * studied / available, 1) if available else 0.0,
        "last_studied_date": latest["start_time"] if latest else None,
    }


async def resolve_timezone(conn: Conn, requested: str | None, default: str) -> ZoneInfo:
    """The zone for day boundaries: the request's, else the learner's, else the portal's."""
    name = requested or await stats.get_learner_timezone(conn, DEFAULT_LEARNER_ID) or default
    return ZoneInfo(name)


async def quick_stats(
    conn: Conn, zone: ZoneInfo, learner_id: int = DEFAULT_LEARNER_ID, now: datetime | None = None
) -> dict[str, Any]:
    totals = await stats.get_learner_stats(conn, learner_id)
    answered = totals["correct_count"] + totals["wrong_count"]
    return {
        "success_rate": round(100 * totals["correct_count"] / answered, 1) if answered else 0.0,
        "total_study_sessions": totals["sessions_count"],
        "total_active_groups": totals["active_groups"],
        "study_streak_days": await study_streak_days(conn, zone, learner_id, now or utc_now()),
    }


async def study_streak_days(conn: Conn, zone: ZoneInfo, learner_id: int, now: datetime) -> int:
    """Consecutive local days with a session, ending today (or yesterday if none yet today)."""
    today = now.astimezone(zone).date()
    window = STREAK_WINDOW_DAYS
    while True:
        first_day = today - timedelta(days=window)
        since = datetime.combine(first_day, time(), tzinfo=zone)
        times = await sessions.list_session_times_since(conn, learner_id, since)
        days = {parse_timestamp(t).astimezone(zone).date() for t in times}
        streak = _count_back(days, today)
        if streak < window:
            return streak
        window *= 2


def _count_back(days: set[date], today: date) -> int:
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak
