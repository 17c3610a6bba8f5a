"""The dashboard's figures: last session, progress, quick stats and the streak."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..db import Conn, utc_now
from ..queries import cards, sessions, stats

# Days the streak probes at first; doubled while the streak fills them (up to what one
# statement may ask about), so the work follows the streak's length, never the size of
# the whole history, and each statement stays within the database's limits.
STREAK_WINDOW_DAYS = 45


async def last_session(conn: Conn, *, learner_id: int) -> dict[str, Any] | None:
    session = await sessions.get_last_session(conn, learner_id)
    if session is None:
        return None
    return {
        **session,
        "created_at": session["start_time"],
        "total_reviews": session["review_items_count"],
    }


async def study_progress(conn: Conn, *, learner_id: int) -> dict[str, Any]:
    totals = await stats.get_learner_stats(conn, learner_id)
    available = await stats.count_words_total(conn)
    studied = totals["words_studied"]
    known = await cards.count_known_words(conn, learner_id)
    latest = await sessions.get_last_session(conn, learner_id)
    return {
        "total_words_studied": studied,
        "total_available_words": available,
        "total_words_available": available,
        # mastery means known (stability >= 21 days), not merely seen
        "known_words": known,
        "mastery_percentage": round(100 * known / available, 1) if available else 0.0,
        "last_studied_date": latest["start_time"] if latest else None,
    }


async def resolve_timezone(
    conn: Conn, requested: str | None, default: str, *, learner_id: int
) -> ZoneInfo:
    """The zone for day boundaries: the request's, else the learner's, else the portal's."""
    name = requested or await stats.get_learner_timezone(conn, learner_id) or default
    return ZoneInfo(name)


async def quick_stats(
    conn: Conn, zone: ZoneInfo, *, learner_id: int, now: datetime | None = None
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
    streak = 0
    checked = 0
    window = STREAK_WINDOW_DAYS
    while True:
        days = [today - timedelta(days=offset) for offset in range(checked, checked + window)]
        active = await sessions.find_days_with_sessions(
            conn, learner_id, [local_day_bounds(day, zone) for day in days]
        )
        for offset, _day in enumerate(days, start=checked):
            if offset - checked in active:
                streak += 1
            elif offset == 0:
                continue  # nothing yet today: the streak may still end yesterday
            else:
                return streak
        checked += window
        window = min(window * 2, sessions.MAX_SPANS_PER_PROBE)


def local_day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants where a local calendar day starts and ends (DST-aware).

    The one rule for every day boundary: streaks, the daily new-word allowance,
    "due today" and the forecast.
    """
    start = datetime.combine(day, time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_today(now: datetime, zone: ZoneInfo) -> date:
    """The learner's calendar date at `now`."""
    return now.astimezone(zone).date()
