"""Every row of spec/api.md answers with the shape the contract gives it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from tests.helpers import (
    ACTIVITY_FIELDS,
    all_items,
    assert_page_shape,
    assert_session_item,
    assert_word_item,
    body_of,
    expect_error,
    flashcards_id,
    get,
    group_id_by_name,
    launch,
    parse_api_time,
    post,
    review,
    seed_facts,
    word_key,
)


def _recent(text: str) -> bool:
    moment = parse_api_time(text)
    now = datetime.now(UTC)
    return now - timedelta(minutes=5) <= moment <= now + timedelta(seconds=5)


async def _session_with_reviews(client, answers=(True, False, True)):
    activity = await flashcards_id(client)
    group = await group_id_by_name(client, seed_facts().group_names[0])
    words = (await get(client, f"/api/groups/{group}/words"))["items"]
    session = await launch(client, group, activity)
    for word, correct in zip(words, answers, strict=False):
        await review(client, session["id"], word["id"], correct)
    return session, group, activity, words[: len(answers)]


async def test_health_reports_healthy(client):
    assert await get(client, "/health") == {"status": "healthy"}


async def test_last_study_session_is_404_json_before_any_session(client):
    await expect_error(client, "GET", "/api/dashboard/last_study_session", 404)


async def test_last_study_session_describes_the_newest_session(client):
    await _session_with_reviews(client, answers=(True,))
    newest, *_ = await _session_with_reviews(client, answers=(True, False, False))
    body = await get(client, "/api/dashboard/last_study_session")
    assert_session_item(body)
    assert body["id"] == newest["id"]
    assert body["created_at"] == body["start_time"] == newest["created_at"]
    assert (body["correct_count"], body["wrong_count"], body["total_reviews"]) == (1, 2, 3)
    assert body["review_items_count"] == 3


async def test_study_progress_fields(client):
    body = await get(client, "/api/dashboard/study_progress")
    assert body["total_words_studied"] == 0
    assert body["total_available_words"] == seed_facts().word_count
    assert body["total_words_available"] == body["total_available_words"]
    assert body["mastery_percentage"] == 0
    assert body["last_studied_date"] is None


async def test_study_progress_after_studying(client):
    await _session_with_reviews(client, answers=(True, True, False, True))
    body = await get(client, "/api/dashboard/study_progress")
    assert body["total_words_studied"] == 4
    # mastery means known (stability >= 21 days): words seen once are not mastered
    assert body["known_words"] == 0
    assert body["mastery_percentage"] == 0.0
    assert body["last_studied_date"] is not None
    parse_api_time(body["last_studied_date"])


async def test_quick_stats_fields(client):
    body = await get(client, "/api/dashboard/quick_stats")
    assert body == {
        **body,
        "success_rate": 0.0,
        "total_study_sessions": 0,
        "total_active_groups": 0,
        "study_streak_days": 0,
    }
    assert isinstance(body["success_rate"], float)


async def test_quick_stats_alias_with_a_hyphen_answers_the_same(client):
    await _session_with_reviews(client, answers=(True, False, False))
    underscore = await get(client, "/api/dashboard/quick_stats?tz=Asia/Tokyo")
    hyphen = await get(client, "/api/dashboard/quick-stats?tz=Asia/Tokyo")
    assert hyphen == underscore
    assert underscore["success_rate"] == 33.3
    assert underscore["total_study_sessions"] == 1
    assert underscore["total_active_groups"] == 1
    assert underscore["study_streak_days"] == 1


async def test_study_activities_list_the_seeded_activities(client):
    body = await get(client, "/api/study_activities")
    assert_page_shape(body)
    assert body["pagination"]["total_items"] == len(seed_facts().activities)
    for item in body["items"]:
        assert set(item) >= ACTIVITY_FIELDS
    expected = {(a["name"], a["activity_type"]) for a in seed_facts().activities}
    assert {(a["name"], a["activity_type"]) for a in body["items"]} == expected


async def test_built_in_activity_launches_inside_the_portal(client):
    activity = await get(client, f"/api/study_activities/{await flashcards_id(client)}")
    assert set(activity) >= ACTIVITY_FIELDS
    assert activity["activity_type"] == "flashcards"
    assert activity["name"] == "Flashcards"
    assert activity["launch_url"].startswith("/")
    assert isinstance(activity["description"], str) and activity["description"]


async def test_activity_study_sessions_lists_only_that_activity(client):
    session, *_ = await _session_with_reviews(client)
    activity = session["study_activity_id"]
    body = await get(client, f"/api/study_activities/{activity}/study_sessions")
    assert_page_shape(body)
    assert [s["id"] for s in body["items"]] == [session["id"]]
    assert_session_item(body["items"][0])


async def test_activity_with_no_sessions_has_an_empty_list(client):
    body = await get(client, f"/api/study_activities/{await flashcards_id(client)}/study_sessions")
    assert body["items"] == []
    assert body["pagination"]["total_items"] == 0


async def test_post_study_activities_starts_a_session(client):
    group = await group_id_by_name(client, seed_facts().group_names[1])
    activity = await flashcards_id(client)
    body = await post(
        client,
        "/api/study_activities",
        {"group_id": group, "study_activity_id": activity},
        status=201,
    )
    assert isinstance(body["id"], int)
    assert (body["group_id"], body["study_activity_id"]) == (group, activity)
    assert _recent(body["created_at"])
    shown = await get(client, f"/api/study_sessions/{body['id']}")
    assert shown["start_time"] == body["created_at"]


async def test_post_study_sessions_alias_starts_a_session(client):
    group = await group_id_by_name(client, seed_facts().group_names[2])
    activity = await flashcards_id(client)
    body = await launch(client, group, activity)
    assert (body["group_id"], body["study_activity_id"]) == (group, activity)
    assert _recent(body["created_at"])
    listed = await get(client, "/api/study_sessions")
    assert [s["id"] for s in listed["items"]] == [body["id"]]


async def test_words_list_items(client):
    body = await get(client, "/api/words")
    assert_page_shape(body)
    assert len(body["items"]) == min(100, seed_facts().word_count)
    for item in body["items"]:
        assert_word_item(item)
        assert word_key(item) in seed_facts().words


async def test_word_show_has_stats_groups_and_top_level_counts(client):
    *_, words = await _session_with_reviews(client, answers=(False,))
    word = await get(client, f"/api/words/{words[0]['id']}")
    assert_word_item(word)
    assert word["stats"] == {"correct_count": 0, "wrong_count": 1}
    assert (word["correct_count"], word["wrong_count"]) == (0, 1)
    names = {g["name"] for g in word["groups"]}
    assert names == seed_facts().groups_of(word_key(word))
    assert all(isinstance(g["id"], int) for g in word["groups"])


async def test_groups_list_items(client):
    body = await get(client, "/api/groups")
    assert_page_shape(body)
    for item in body["items"]:
        assert set(item) >= {"id", "name", "word_count"}
        assert isinstance(item["word_count"], int)
    assert {g["name"] for g in body["items"]} == set(seed_facts().group_names)


async def test_group_show_fields_and_real_created_at(client):
    name = seed_facts().group_names[0]
    group = await get(client, f"/api/groups/{await group_id_by_name(client, name)}")
    count = len(seed_facts().group_words[name])
    assert group["name"] == name
    assert group["stats"] == {"total_word_count": count}
    assert group["total_word_count"] == count
    created = parse_api_time(group["created_at"])
    # seeded when this test run made its template database, not a constant
    assert datetime.now(UTC) - timedelta(hours=6) < created <= datetime.now(UTC)


async def test_group_words_are_the_words_of_its_seed_file(client):
    name = seed_facts().group_names[2]
    group = await group_id_by_name(client, name)
    first = await get(client, f"/api/groups/{group}/words")
    assert_page_shape(first)
    items = await all_items(client, f"/api/groups/{group}/words")
    for item in items:
        assert_word_item(item)
    assert {word_key(w) for w in items} == seed_facts().group_words[name]


async def test_group_study_sessions_lists_only_that_group(client):
    mine, group, *_ = await _session_with_reviews(client)
    other = await group_id_by_name(client, seed_facts().group_names[3])
    await launch(client, other, mine["study_activity_id"])
    body = await get(client, f"/api/groups/{group}/study_sessions")
    assert_page_shape(body)
    assert [s["id"] for s in body["items"]] == [mine["id"]]
    assert_session_item(body["items"][0])
    assert body["items"][0]["review_items_count"] == 3


async def test_study_sessions_list_newest_first(client):
    first, *_ = await _session_with_reviews(client)
    second, *_ = await _session_with_reviews(client, answers=())
    body = await get(client, "/api/study_sessions")
    assert_page_shape(body)
    assert [s["id"] for s in body["items"]] == [second["id"], first["id"]]
    for item in body["items"]:
        assert_session_item(item)


async def test_study_session_show(client):
    session, group, activity, _ = await _session_with_reviews(client)
    body = await get(client, f"/api/study_sessions/{session['id']}")
    assert_session_item(body)
    assert body["id"] == session["id"]
    assert (body["group_id"], body["study_activity_id"]) == (group, activity)
    assert body["group_name"] == seed_facts().group_names[0]
    assert body["activity_name"] == "Flashcards"
    assert body["start_time"] == session["created_at"]
    assert body["review_items_count"] == 3


async def test_study_session_words(client):
    session, _, _, words = await _session_with_reviews(client, answers=(True, False))
    body = await get(client, f"/api/study_sessions/{session['id']}/words")
    assert_page_shape(body)
    for item in body["items"]:
        assert_word_item(item)
    counts = {w["id"]: (w["correct_count"], w["wrong_count"]) for w in body["items"]}
    assert counts == {words[0]["id"]: (1, 0), words[1]["id"]: (0, 1)}


async def test_review_answers_201_with_the_review(client):
    activity = await flashcards_id(client)
    group = await group_id_by_name(client, seed_facts().group_names[0])
    word = (await get(client, f"/api/groups/{group}/words"))["items"][0]
    session = await launch(client, group, activity)
    for correct in (True, False):
        body = await review(client, session["id"], word["id"], correct)
        assert body["success"] is True
        assert isinstance(body["id"], int)
        assert body["word_id"] == word["id"]
        assert body["study_session_id"] == session["id"]
        assert body["correct"] is correct
        assert _recent(body["created_at"])


async def test_reset_history_answers_success(client):
    body = await post(client, "/api/reset_history")
    assert body == {"success": True, "message": "Study history has been reset"}


def _remove_sqlite_file(database_url: str) -> None:
    path = Path(database_url.removeprefix("sqlite:///"))
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


async def _make_unreachable(database_url: str) -> None:
    """Take the database away from under a running app."""
    if database_url.startswith("sqlite"):
        _remove_sqlite_file(database_url)
        return
    base, _, name = database_url.rpartition("/")
    admin = await asyncpg.connect(f"{base}/postgres")
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
    finally:
        await admin.close()


async def test_health_is_503_json_when_the_database_is_gone(client, database_url):
    assert await get(client, "/health") == {"status": "healthy"}
    await _make_unreachable(database_url)
    response = await client.get("/health")
    body = await body_of(response)
    assert response.status_code == 503, body
    assert body["status"] != "healthy"
