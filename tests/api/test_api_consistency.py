"""The consistency rules of spec/api.md: figures that must agree between
endpoints, reviews visible at once everywhere, and counters that equal a
recount from the raw rows (also under concurrent requests)."""

from __future__ import annotations

import asyncio

from tests.helpers import (
    all_items,
    counters_and_recount,
    flashcards_id,
    get,
    group_id_by_name,
    launch,
    parse_api_time,
    review,
    seed_facts,
    total_items,
)


async def _group_and_words(client, index: int = 0, count: int = 10):
    group = await group_id_by_name(client, seed_facts().group_names[index])
    words = (await get(client, f"/api/groups/{group}/words"))["items"][:count]
    return group, [w["id"] for w in words]


async def _study(client) -> dict[str, int]:
    """Three sessions on two groups with a known mix of answers."""
    activity = await flashcards_id(client)
    group_a, words_a = await _group_and_words(client, 0)
    group_b, words_b = await _group_and_words(client, 1)
    plan = [
        (group_a, [(words_a[0], True), (words_a[1], False), (words_a[0], True)]),
        (group_a, [(words_a[2], True), (words_a[0], False)]),
        (group_b, [(words_b[0], True), (words_b[1], True), (words_b[2], False)]),
    ]
    for group, answers in plan:
        session = await launch(client, group, activity)
        for word, correct in answers:
            await review(client, session["id"], word, correct)
    return {"sessions": 3, "groups": 2, "correct": 5, "wrong": 3, "words": 6}


# --- figures that must agree ------------------------------------------------------


async def test_total_available_words_equals_the_words_list_total(client):
    progress = await get(client, "/api/dashboard/study_progress")
    listed = await total_items(client, "/api/words")
    assert progress["total_available_words"] == listed == seed_facts().word_count
    assert progress["total_words_available"] == listed


async def test_total_study_sessions_equals_the_sessions_list_total(client):
    done = await _study(client)
    stats = await get(client, "/api/dashboard/quick_stats")
    assert stats["total_study_sessions"] == await total_items(client, "/api/study_sessions")
    assert stats["total_study_sessions"] == done["sessions"]
    assert stats["total_active_groups"] == done["groups"]


async def test_success_rate_agrees_with_the_word_counts(client):
    done = await _study(client)
    words = await all_items(client, "/api/words")
    correct = sum(w["correct_count"] for w in words)
    wrong = sum(w["wrong_count"] for w in words)
    assert (correct, wrong) == (done["correct"], done["wrong"])
    stats = await get(client, "/api/dashboard/quick_stats")
    assert stats["success_rate"] == round(100 * correct / (correct + wrong), 1) == 62.5


async def test_words_studied_counts_distinct_words_with_a_review(client):
    done = await _study(client)
    words = await all_items(client, "/api/words")
    reviewed = [w for w in words if w["correct_count"] + w["wrong_count"] > 0]
    progress = await get(client, "/api/dashboard/study_progress")
    assert progress["total_words_studied"] == len(reviewed) == done["words"]


async def test_group_word_counts_agree_everywhere(client):
    listed = {g["id"]: g for g in await all_items(client, "/api/groups")}
    assert len(listed) == len(seed_facts().group_names)
    for group_id, item in listed.items():
        shown = await get(client, f"/api/groups/{group_id}")
        words_total = await total_items(client, f"/api/groups/{group_id}/words")
        expected = len(seed_facts().group_words[item["name"]])
        assert shown["stats"]["total_word_count"] == item["word_count"] == words_total == expected


async def test_session_counts_agree_between_lists_and_show(client):
    await _study(client)
    for session in await all_items(client, "/api/study_sessions"):
        shown = await get(client, f"/api/study_sessions/{session['id']}")
        assert shown == session
        words = await all_items(client, f"/api/study_sessions/{session['id']}/words")
        reviews = sum(w["correct_count"] + w["wrong_count"] for w in words)
        assert reviews == session["review_items_count"]
        in_group = await all_items(client, f"/api/groups/{session['group_id']}/study_sessions")
        assert session in in_group


# --- a review is visible at once --------------------------------------------------


async def test_end_time_is_null_until_the_first_review(client):
    group, _ = await _group_and_words(client)
    session = await launch(client, group, await flashcards_id(client))
    shown = await get(client, f"/api/study_sessions/{session['id']}")
    assert shown["end_time"] is None
    assert shown["review_items_count"] == 0
    listed = (await get(client, "/api/study_sessions"))["items"][0]
    assert listed["end_time"] is None
    assert (await get(client, "/api/dashboard/last_study_session"))["end_time"] is None
    assert (await get(client, f"/api/study_sessions/{session['id']}/words"))["items"] == []


async def test_a_review_shows_at_once_in_word_session_and_dashboard(client):
    group, words = await _group_and_words(client)
    session = await launch(client, group, await flashcards_id(client))
    before = await get(client, f"/api/words/{words[0]}")

    posted = await review(client, session["id"], words[0], correct=False)

    word = await get(client, f"/api/words/{words[0]}")
    assert word["wrong_count"] == before["wrong_count"] + 1
    assert word["stats"]["wrong_count"] == word["wrong_count"]
    assert word["correct_count"] == before["correct_count"]
    listed = next(
        w for w in (await get(client, f"/api/groups/{group}/words"))["items"] if w["id"] == words[0]
    )
    assert (listed["correct_count"], listed["wrong_count"]) == (0, 1)
    shown = await get(client, f"/api/study_sessions/{session['id']}")
    assert shown["review_items_count"] == 1
    assert shown["end_time"] == posted["created_at"]
    last = await get(client, "/api/dashboard/last_study_session")
    assert (last["id"], last["total_reviews"], last["wrong_count"]) == (session["id"], 1, 1)
    progress = await get(client, "/api/dashboard/study_progress")
    assert progress["total_words_studied"] == 1
    stats = await get(client, "/api/dashboard/quick_stats")
    assert stats["success_rate"] == 0.0
    await review(client, session["id"], words[1], correct=True)
    assert (await get(client, "/api/dashboard/quick_stats"))["success_rate"] == 50.0


async def test_end_time_is_the_time_of_the_last_review(client):
    group, words = await _group_and_words(client)
    session = await launch(client, group, await flashcards_id(client))
    times = [(await review(client, session["id"], w, True))["created_at"] for w in words[:3]]
    shown = await get(client, f"/api/study_sessions/{session['id']}")
    assert shown["end_time"] == max(times)
    assert parse_api_time(shown["end_time"]) >= parse_api_time(shown["start_time"])


async def test_session_words_count_only_that_sessions_reviews(client):
    group, words = await _group_and_words(client)
    activity = await flashcards_id(client)
    first = await launch(client, group, activity)
    second = await launch(client, group, activity)
    await review(client, first["id"], words[0], True)
    await review(client, first["id"], words[0], True)
    await review(client, first["id"], words[1], False)
    await review(client, second["id"], words[0], False)

    in_first = await get(client, f"/api/study_sessions/{first['id']}/words")
    counts = {w["id"]: (w["correct_count"], w["wrong_count"]) for w in in_first["items"]}
    assert counts == {words[0]: (2, 0), words[1]: (0, 1)}
    in_second = await get(client, f"/api/study_sessions/{second['id']}/words")
    counts = {w["id"]: (w["correct_count"], w["wrong_count"]) for w in in_second["items"]}
    assert counts == {words[0]: (0, 1)}
    overall = await get(client, f"/api/words/{words[0]}")
    assert (overall["correct_count"], overall["wrong_count"]) == (2, 1)


async def test_counters_equal_a_recount_after_studying(client, conn):
    await _study(client)
    kept, recounted = await counters_and_recount(conn)
    assert kept == recounted
    assert any(row[2] or row[3] for row in kept["learner_words"]), "the study left no counts"


# --- concurrency ----------------------------------------------------------------


async def test_concurrent_reviews_are_all_counted_once(client, conn):
    group, words = await _group_and_words(client, count=5)
    session = await launch(client, group, await flashcards_id(client))
    answers = [(words[i % 5], i % 3 != 0) for i in range(50)]

    async def post_one(word: int, correct: bool) -> int:
        response = await client.post(
            f"/api/study_sessions/{session['id']}/words/{word}/review", json={"correct": correct}
        )
        return response.status_code

    statuses = await asyncio.gather(*(post_one(w, c) for w, c in answers))
    assert statuses == [201] * 50

    correct = sum(1 for _, c in answers if c)
    shown = await get(client, f"/api/study_sessions/{session['id']}")
    assert shown["review_items_count"] == 50
    in_session = await get(client, f"/api/study_sessions/{session['id']}/words")
    assert sum(w["correct_count"] for w in in_session["items"]) == correct
    assert sum(w["wrong_count"] for w in in_session["items"]) == 50 - correct
    for word in words:
        item = await get(client, f"/api/words/{word}")
        expected = [c for w, c in answers if w == word]
        assert item["correct_count"] == sum(expected)
        assert item["wrong_count"] == len(expected) - sum(expected)
    progress = await get(client, "/api/dashboard/study_progress")
    assert progress["total_words_studied"] == 5
    stats = await get(client, "/api/dashboard/quick_stats")
    assert stats["success_rate"] == round(100 * correct / 50, 1)
    kept, recounted = await counters_and_recount(conn)
    assert kept == recounted


async def test_concurrent_launches_count_every_session_and_the_group_once(client, conn):
    group, _ = await _group_and_words(client, index=3)
    activity = await flashcards_id(client)

    async def launch_one() -> int:
        response = await client.post(
            "/api/study_sessions", json={"group_id": group, "study_activity_id": activity}
        )
        return response.status_code

    statuses = await asyncio.gather(*(launch_one() for _ in range(20)))
    assert statuses == [201] * 20
    stats = await get(client, "/api/dashboard/quick_stats")
    assert stats["total_study_sessions"] == 20 == await total_items(client, "/api/study_sessions")
    assert stats["total_active_groups"] == 1
    kept, recounted = await counters_and_recount(conn)
    assert kept == recounted
