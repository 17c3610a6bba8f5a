"""A learner's week of study on a simulated clock: what each session shows, when,
and what the dashboard's due figures say around local midnight and DST."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.helpers import all_items, call, flashcards_id, get, launch, post
from webapp.db import Conn
from webapp.services.reschedule import reschedule

TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")


async def _settings(client: Any, **values: Any) -> dict[str, Any]:
    return await call(client, "PUT", "/api/study_settings", json_body=values)


async def _next(client: Any, session_id: int) -> dict[str, Any] | None:
    response = await client.get(f"/api/study_sessions/{session_id}/next")
    if response.status_code == 204:
        return None
    assert response.status_code == 200, await response.get_data(as_text=True)
    return await response.get_json()


async def _answer(
    client: Any, session_id: int, word_id: int, correct: bool, **extra: Any
) -> dict[str, Any]:
    return await post(
        client,
        f"/api/study_sessions/{session_id}/words/{word_id}/review",
        {"correct": correct, **extra},
        status=201,
    )


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def _largest_group(client: Any) -> dict[str, Any]:
    groups = await all_items(client, "/api/groups")
    return max(groups, key=lambda g: (g["word_count"], -g["id"]))


async def test_a_week_of_study_serves_the_right_words_at_the_right_time(client, conn, clock):
    await _settings(client, new_words_per_day=4, session_length=8, timezone="Asia/Tokyo")
    group = await _largest_group(client)
    assert group["word_count"] >= 28, "the week needs 4 new words a day"
    activity = await flashcards_id(client)
    monday_9am = datetime(2026, 11, 23, 9, tzinfo=TOKYO).astimezone(UTC)
    new_per_day: Counter[str] = Counter()
    due_served = 0
    repeats = 0
    for day in range(7):
        clock.set(monday_9am + timedelta(days=day))
        local_day = clock.now.astimezone(TOKYO).date().isoformat()
        for _sitting in range(6):
            session = await launch(client, group["id"], activity)
            served: list[dict[str, Any]] = []
            missed: set[int] = set()
            while (card := await _next(client, session["id"])) is not None:
                word_id = card["word"]["id"]
                before = (await get(client, f"/api/words/{word_id}"))["schedule"]
                if card["repeat"]:
                    assert word_id in missed, "only a word answered Again comes back"
                    repeats += 1
                elif card["reason"] == "new":
                    assert before is None, "a new word has never been studied"
                    new_per_day[local_day] += 1
                else:
                    assert card["reason"] == "due"
                    assert _time(before["due"]) <= clock.now, "nothing is shown before it is due"
                    due_served += 1
                served.append({**card, "due": before["due"] if before else None})
                correct = (word_id + day) % 3 != 0 or card["repeat"]
                if not correct:
                    missed.add(word_id)
                await _answer(client, session["id"], word_id, correct)
                clock.advance(seconds=20)
            first_pass = [c for c in served if not c["repeat"]]
            reasons = [c["reason"] for c in first_pass]
            assert reasons == sorted(reasons, key=lambda r: r != "due"), "due words come first"
            dues = [c["due"] for c in first_pass if c["reason"] == "due"]
            assert dues == sorted(dues), "most overdue first"
            assert {c["word"]["id"] for c in served if c["repeat"]} == missed
            assert len(first_pass) <= 8, "a session holds at most session_length words"
            if not served:
                break
            clock.advance(minutes=15)  # learning steps (1 and 10 minutes) come due
        assert new_per_day[local_day] == 4, f"the daily allowance on {local_day}"
    assert due_served > 0 and repeats > 0
    report = await reschedule(conn, check=True)
    assert report.differences == [], "the replay of the week equals the live cards"


async def test_an_again_brings_a_planned_card_back_once(client, clock):
    await _settings(client, new_words_per_day=2, session_length=2)
    group = await _largest_group(client)
    clock.set(datetime(2026, 11, 23, 9, tzinfo=UTC))
    session = await launch(client, group["id"], await flashcards_id(client))
    first = await _next(client, session["id"])
    assert first is not None and (first["position"], first["total"]) == (1, 2)
    word_id = first["word"]["id"]
    await _answer(client, session["id"], word_id, False)
    second = await _next(client, session["id"])
    assert second is not None and (second["position"], second["total"]) == (2, 3)
    # an answer to a word the queue does not hold serves nothing and adds nothing
    others = [w["id"] for w in await all_items(client, f"/api/groups/{group['id']}/words")]
    stray = next(w for w in others if w not in (word_id, second["word"]["id"]))
    await _answer(client, session["id"], stray, False)
    assert (await _next(client, session["id"])) == second
    await _answer(client, session["id"], second["word"]["id"], True)
    repeat = await _next(client, session["id"])
    assert repeat is not None and repeat["repeat"] and repeat["word"]["id"] == word_id
    assert (repeat["reason"], repeat["position"], repeat["total"]) == ("due", 3, 3)
    # missed again on its repeat: not queued a third time
    await _answer(client, session["id"], word_id, False)
    assert await _next(client, session["id"]) is None


async def test_the_new_word_allowance_follows_the_learners_midnight(client, clock):
    await _settings(client, new_words_per_day=2, session_length=10, timezone="America/New_York")
    group = await _largest_group(client)
    activity = await flashcards_id(client)

    async def new_words_now() -> int:
        session = await launch(client, group["id"], activity)
        count = 0
        while (card := await _next(client, session["id"])) is not None:
            count += card["reason"] == "new"
            await _answer(client, session["id"], card["word"]["id"], True)
        return count

    # 23:50 and 23:58 in New York are the same local day; 00:05 is the next one,
    # although all three instants fall on the same UTC date (2026-11-24)
    clock.set(datetime(2026, 11, 23, 23, 50, tzinfo=NEW_YORK).astimezone(UTC))
    assert await new_words_now() == 2
    clock.set(datetime(2026, 11, 23, 23, 58, tzinfo=NEW_YORK).astimezone(UTC))
    assert await new_words_now() == 0
    clock.set(datetime(2026, 11, 24, 0, 5, tzinfo=NEW_YORK).astimezone(UTC))
    assert await new_words_now() == 2


async def test_an_unfinished_queue_reserves_its_new_words(client, clock):
    await _settings(client, new_words_per_day=3, session_length=10, timezone="UTC")
    group = await _largest_group(client)
    activity = await flashcards_id(client)
    clock.set(datetime(2026, 11, 23, 9, tzinfo=UTC))
    first = await launch(client, group["id"], activity)
    card = await _next(client, first["id"])
    assert card is not None and (card["position"], card["total"]) == (1, 3)
    second = await launch(client, group["id"], activity)
    assert await _next(client, second["id"]) is None, "today's 3 new words are taken"
    # the first tab still has its three words, in a stable order
    assert (await _next(client, first["id"]))["word"]["id"] == card["word"]["id"]  # type: ignore[index]


async def test_when_nothing_is_due_the_modes_offer_study_ahead_and_missed_words(client, clock):
    await _settings(client, new_words_per_day=3, session_length=10)
    group = await _largest_group(client)
    activity = await flashcards_id(client)
    clock.set(datetime(2026, 11, 23, 9, tzinfo=UTC))
    session = await launch(client, group["id"], activity)
    answered: list[int] = []
    while (card := await _next(client, session["id"])) is not None:
        word_id = card["word"]["id"]
        correct = bool(answered) or card["repeat"]  # the first word is missed once
        await _answer(client, session["id"], word_id, correct, rating="easy" if correct else None)
        answered.append(word_id)
    clock.advance(minutes=1)
    again = await launch(client, group["id"], activity)
    assert await _next(client, again["id"]) is None, "nothing due, no new words left today"

    ahead = await post(
        client,
        "/api/study_sessions",
        {"group_id": group["id"], "study_activity_id": activity, "mode": "ahead"},
        status=201,
    )
    card = await _next(client, ahead["id"])
    assert card is not None and card["reason"] == "ahead"
    missed = await post(
        client,
        "/api/study_sessions",
        {"group_id": group["id"], "study_activity_id": activity, "mode": "missed"},
        status=201,
    )
    card = await _next(client, missed["id"])
    assert card is not None and card["reason"] == "missed" and card["word"]["id"] == answered[0]
    await post(
        client,
        "/api/study_sessions",
        {"group_id": group["id"], "study_activity_id": activity, "mode": "sideways"},
        status=422,
    )


async def _due_at(client: Any, tz: str) -> dict[str, Any]:
    return await get(client, f"/api/dashboard/due?tz={tz}")


def _expected(dues: list[datetime], now: datetime, zone: ZoneInfo) -> dict[str, Any]:
    """Due figures computed here from local dates (zoneinfo), independently of the portal."""
    today = now.astimezone(zone).date()
    local = [due.astimezone(zone).date() for due in dues]
    return {
        "due_now": sum(due <= now for due in dues),
        "due_today": sum(day <= today for day in local),
        "forecast": [
            {
                "date": (today + timedelta(days=i)).isoformat(),
                "count": sum(
                    (day <= today) if i == 0 else (day == today + timedelta(days=i))
                    for day in local
                ),
            }
            for i in range(7)
        ],
    }


async def test_due_today_and_the_forecast_use_local_days_around_midnight_and_dst(client, clock):
    await _settings(client, new_words_per_day=10, session_length=10)
    group = await _largest_group(client)
    activity = await flashcards_id(client)
    session = await launch(client, group["id"], activity)
    dues: list[datetime] = []

    async def study_one(at: datetime) -> None:
        clock.set(at)
        card = await _next(client, session["id"])
        assert card is not None
        result = await _answer(client, session["id"], card["word"]["id"], True)
        dues.append(_time(result["schedule"]["due"]))

    # 23:55 on Saturday 31 October in New York (EDT): due ten minutes later, after midnight
    await study_one(datetime(2026, 10, 31, 23, 55, tzinfo=NEW_YORK).astimezone(UTC))
    clock.advance(minutes=1)
    for zone in (NEW_YORK, TOKYO):
        body = await _due_at(client, zone.key)
        assert {k: body[k] for k in ("due_now", "due_today", "forecast")} == _expected(
            dues, clock.now, zone
        )
    assert (await _due_at(client, NEW_YORK.key))["due_today"] == 0
    assert (await _due_at(client, TOKYO.key))["due_today"] == 1

    # Sunday 1 November lasts 25 hours in New York (EDT -> EST): 23:30 that evening
    # is still Sunday, although it is more than 24 hours after Sunday's midnight
    await study_one(datetime(2026, 11, 1, 23, 20, tzinfo=NEW_YORK).astimezone(UTC))
    clock.advance(minutes=1)
    for zone in (NEW_YORK, TOKYO):
        body = await _due_at(client, zone.key)
        assert {k: body[k] for k in ("due_now", "due_today", "forecast")} == _expected(
            dues, clock.now, zone
        )
    new_york = await _due_at(client, NEW_YORK.key)
    assert (new_york["due_now"], new_york["due_today"]) == (1, 2)
    assert new_york["forecast"][0] == {"date": "2026-11-01", "count": 2}
    assert (await _due_at(client, TOKYO.key))["forecast"][0]["date"] == "2026-11-02"
    # an unknown zone is refused, naming the parameter
    response = await client.get("/api/dashboard/due?tz=Mars/Base")
    assert response.status_code == 400


async def test_known_words_need_stability_of_21_days(client, conn: Conn, clock):
    group = await _largest_group(client)
    activity = await flashcards_id(client)
    clock.set(datetime(2026, 11, 23, 9, tzinfo=UTC))
    session = await launch(client, group["id"], activity)
    card = await _next(client, session["id"])
    word_id = card["word"]["id"]  # type: ignore[index]
    result = await _answer(client, session["id"], word_id, True, rating="easy")
    assert result["schedule"]["state"] == "review" and result["schedule"]["stability"] < 21
    assert (await _due_at(client, "UTC"))["known_words"] == 0
    for _ in range(3):  # answered Easy whenever it is due, its stability passes 21 days
        clock.set(_time((await get(client, f"/api/words/{word_id}"))["schedule"]["due"]))
        again = await launch(client, group["id"], activity)
        card = await _next(client, again["id"])
        assert card["word"]["id"] == word_id and card["reason"] == "due"  # type: ignore[index]
        result = await _answer(client, again["id"], word_id, True, rating="easy")
    assert result["schedule"]["stability"] >= 21
    assert (await _due_at(client, "UTC"))["known_words"] == 1
    progress = await get(client, "/api/dashboard/study_progress")
    assert progress["known_words"] == 1 and progress["mastery_percentage"] > 0
