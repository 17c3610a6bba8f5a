"""study_streak_days: consecutive local days with a session, ending today (or
yesterday when there is none yet today), with the day boundary in the
learner's zone (?tz=, else the learner's setting, else DEFAULT_TIMEZONE).

The API cannot backdate a session, so past sessions are inserted directly and
the maintained counters recounted (helpers.insert_sessions)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tests.helpers import flashcards_id, get, group_id_by_name, insert_sessions, launch, seed_facts
from webapp.db import Conn


def _days_ago(days: int, at: time = time(12, 0)) -> datetime:
    today = datetime.now(UTC).date()
    return datetime.combine(today - timedelta(days=days), at, tzinfo=UTC)


async def _ids(client) -> tuple[int, int]:
    return await group_id_by_name(client, seed_facts().group_names[0]), await flashcards_id(client)


async def _sessions_on(client, conn: Conn, moments: list[datetime]) -> tuple[int, int]:
    group, activity = await _ids(client)
    await insert_sessions(conn, group, activity, moments)
    return group, activity


async def _streak(client, query: str = "?tz=UTC") -> int:
    return (await get(client, f"/api/dashboard/quick_stats{query}"))["study_streak_days"]


async def _split_by_the_date_line(client, conn: Conn) -> None:
    """Two sessions on one UTC day (yesterday, 00:30 and 23:30 UTC): one day in
    UTC, but two days in Tokyo (09:30 that day and 08:30 the next)."""
    await _sessions_on(client, conn, [_days_ago(1, time(0, 30)), _days_ago(1, time(23, 30))])


async def test_no_sessions_no_streak(client):
    assert await _streak(client) == 0


async def test_consecutive_days_ending_today(client, conn):
    group, activity = await _sessions_on(client, conn, [_days_ago(2), _days_ago(1)])
    await launch(client, group, activity)  # today, now
    assert await _streak(client) == 3
    assert (await get(client, "/api/dashboard/quick_stats"))["total_study_sessions"] == 3


async def test_consecutive_days_ending_yesterday_count_when_none_today(client, conn):
    await _sessions_on(client, conn, [_days_ago(3), _days_ago(2), _days_ago(1)])
    assert await _streak(client) == 3


async def test_a_gap_breaks_the_streak(client, conn):
    group, activity = await _sessions_on(
        client, conn, [_days_ago(6), _days_ago(5), _days_ago(4), _days_ago(3), _days_ago(1)]
    )
    await launch(client, group, activity)
    assert await _streak(client) == 2


async def test_last_session_two_days_ago_means_no_streak(client, conn):
    await _sessions_on(client, conn, [_days_ago(4), _days_ago(3), _days_ago(2)])
    assert await _streak(client) == 0


async def test_several_sessions_on_one_day_count_as_one_day(client, conn):
    group, activity = await _sessions_on(
        client, conn, [_days_ago(1, time(1)), _days_ago(1, time(9)), _days_ago(1, time(22))]
    )
    await launch(client, group, activity)
    await launch(client, group, activity)
    assert await _streak(client) == 2


async def test_a_streak_longer_than_three_months(client, conn):
    await _sessions_on(client, conn, [_days_ago(days) for days in range(1, 101)])
    assert await _streak(client) == 100


async def test_a_streak_of_more_than_two_years(client, conn):
    """800 days: more days than SQLite lets one statement probe (it once answered 500)."""
    group, activity = await _sessions_on(client, conn, [_days_ago(days) for days in range(1, 801)])
    assert await _streak(client) == 800
    await launch(client, group, activity)
    assert await _streak(client) == 801


async def test_day_boundary_follows_the_tz_parameter(client, conn):
    await _split_by_the_date_line(client, conn)
    assert await _streak(client, "?tz=UTC") == 1
    assert await _streak(client, "?tz=Asia/Tokyo") == 2
    assert await _streak(client, "?tz=Africa/Abidjan") == 1  # UTC+0 all year


async def test_default_zone_comes_from_default_timezone(client, conn, client_with):
    await _split_by_the_date_line(client, conn)
    tokyo = await client_with(DEFAULT_TIMEZONE="Asia/Tokyo")
    assert await _streak(tokyo, "") == 2
    assert await _streak(tokyo, "?tz=UTC") == 1
    assert await _streak(client, "") == 1  # no setting at all: UTC


async def test_the_learners_zone_beats_default_timezone(client, conn, client_with):
    await _split_by_the_date_line(client, conn)
    await conn.execute("UPDATE learners SET timezone = 'Asia/Tokyo'")
    abidjan = await client_with(DEFAULT_TIMEZONE="Africa/Abidjan")
    assert await _streak(abidjan, "") == 2
    assert await _streak(abidjan, "?tz=Africa/Abidjan") == 1


async def test_local_midnight_moves_with_daylight_saving_time(client, conn):
    """250 days always include a DST change in New York. One session a day, close
    to local midnight (00:30 and 23:30 alternately): a day boundary off by the
    DST hour would move one of them into its neighbour's day and break the streak."""
    zone = ZoneInfo("America/New_York")
    today = datetime.now(zone).date()
    moments = [
        datetime.combine(
            today - timedelta(days=days), time(0, 30) if days % 2 else time(23, 30), tzinfo=zone
        )
        for days in range(1, 251)
    ]
    await _sessions_on(client, conn, moments)
    assert await _streak(client, "?tz=America/New_York") == 250
