"""POST /api/reset_history and /api/full_reset, and who may call them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.helpers import (
    all_items,
    assert_error_body,
    body_of,
    flashcards_id,
    get,
    group_id_by_name,
    launch,
    post,
    review,
    seed_facts,
    total_items,
)

TOKEN = "a-long-test-token"
REMOTE = {"client": ("203.0.113.9", 5000)}


async def _study(client) -> dict[str, Any]:
    group = await group_id_by_name(client, seed_facts().group_names[0])
    words = (await get(client, f"/api/groups/{group}/words"))["items"][:3]
    session = await launch(client, group, await flashcards_id(client))
    for word, correct in zip(words, (True, False, True), strict=True):
        await review(client, session["id"], word["id"], correct)
    return session


async def _listings(client) -> dict[str, list[dict[str, Any]]]:
    """Everything a user can list of the content (created_at aside: a reset re-seeds)."""

    def without_created_at(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in item.items() if k != "created_at"} for item in items]

    return {
        "words": await all_items(client, "/api/words"),
        "groups": without_created_at(await all_items(client, "/api/groups")),
        "activities": await all_items(client, "/api/study_activities"),
    }


async def _history_size(client) -> int:
    return await total_items(client, "/api/study_sessions")


# --- reset_history ------------------------------------------------------------------


async def test_reset_history_removes_sessions_and_reviews_only(client):
    before = await _listings(client)
    session = await _study(client)
    body = await post(client, "/api/reset_history")
    assert body == {"success": True, "message": "Study history has been reset"}

    assert await _history_size(client) == 0
    await get(client, f"/api/study_sessions/{session['id']}", status=404)
    await get(client, "/api/dashboard/last_study_session", status=404)
    assert await _listings(client) == before  # words (counts back to 0), groups, activities
    stats = await get(client, "/api/dashboard/quick_stats")
    assert stats == {
        **stats,
        "success_rate": 0.0,
        "total_study_sessions": 0,
        "total_active_groups": 0,
        "study_streak_days": 0,
    }
    progress = await get(client, "/api/dashboard/study_progress")
    assert progress["total_words_studied"] == 0
    assert progress["total_available_words"] == seed_facts().word_count


async def test_study_continues_after_reset_history(client):
    await _study(client)
    await post(client, "/api/reset_history")
    session = await _study(client)
    assert (await get(client, f"/api/study_sessions/{session['id']}"))["review_items_count"] == 3
    assert (await get(client, "/api/dashboard/quick_stats"))["total_study_sessions"] == 1


# --- full_reset ---------------------------------------------------------------------


async def test_full_reset_gives_back_exactly_the_seeded_state(client, conn):
    seeded = await _listings(client)
    await _study(client)
    # something authored since seeding: a word and a group that are not in seeds/
    now = conn.timestamp(datetime.now(UTC))
    await conn.execute(
        "INSERT INTO words (japanese, romaji, english, created_at)"
        " VALUES ('試験', 'shiken', 'exam', :now)",
        {"now": now},
    )
    await conn.execute(
        "INSERT INTO groups (name, created_at) VALUES ('Authored group', :now)", {"now": now}
    )
    assert await total_items(client, "/api/words") == seed_facts().word_count + 1

    body = await post(client, "/api/full_reset")
    assert body == {"success": True, "message": "System has been fully reset"}

    assert await _listings(client) == seeded
    assert await _history_size(client) == 0
    assert (await get(client, "/api/dashboard/study_progress"))["total_words_studied"] == 0


async def test_full_reset_starts_ids_from_one_again(client):
    await _study(client)
    await _study(client)
    await post(client, "/api/full_reset")
    listings = await _listings(client)
    assert min(w["id"] for w in listings["words"]) == 1
    assert sorted(g["id"] for g in listings["groups"]) == list(
        range(1, len(seed_facts().group_names) + 1)
    )
    assert min(a["id"] for a in listings["activities"]) == 1
    session = await _study(client)
    assert session["id"] == 1
    first_review = await review(client, session["id"], listings["words"][0]["id"], True)
    assert first_review["id"] == 4  # _study posted reviews 1 to 3


# --- the admin rule -----------------------------------------------------------------


async def _refused(client, path: str, status: int = 403, **kwargs: Any) -> dict[str, Any]:
    response = await client.post(path, **kwargs)
    body = await body_of(response)
    assert response.status_code == status, (path, kwargs, response.status_code, body)
    assert_error_body(body, status)
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    return body


async def test_in_local_mode_a_client_on_this_machine_may_reset_without_a_token(client):
    await _study(client)
    await post(client, "/api/reset_history")
    assert await _history_size(client) == 0


async def test_in_local_mode_anything_that_looks_like_a_proxy_is_refused(client):
    """A proxy on this machine connects from loopback too: any forwarding header, a
    unix-socket peer, or a Host that is not a loopback name gives it away."""
    await _study(client)
    headers = [
        {"X-Forwarded-For": "198.51.100.7"},
        {"Forwarded": "for=198.51.100.7"},
        {"X-Real-IP": "198.51.100.7"},
        {"X-Forwarded-Proto": "https"},
        {"CF-Connecting-IP": "198.51.100.7"},
        {"Via": "1.1 proxy"},
    ]
    for extra in headers:
        for path in ("/api/reset_history", "/api/full_reset"):
            body = await _refused(client, path, headers=extra)
            assert "ADMIN_TOKEN" in body["error"]
    body = await _refused(client, "/api/full_reset", scope_base={"client": None})
    assert "ADMIN_TOKEN" in body["error"]
    assert await _history_size(client) == 1


async def test_in_local_mode_a_remote_client_is_refused(client):
    await _study(client)
    for path in ("/api/reset_history", "/api/full_reset"):
        body = await _refused(client, path, scope_base=REMOTE)
        assert "ADMIN_TOKEN" in body["error"]
    assert await _history_size(client) == 1


async def test_a_hosted_portal_without_a_token_refuses_admin_actions_even_from_loopback(
    client, client_with
):
    """What a same-host proxy with a bare proxy_pass looks like: loopback, no headers."""
    await _study(client)
    hosted = await client_with(LOCAL_MODE=False)
    for path in ("/api/reset_history", "/api/full_reset"):
        body = await _refused(hosted, path)
        assert "ADMIN_TOKEN" in body["error"] and "turned off" in body["error"]
    assert await _history_size(client) == 1


async def test_with_admin_token_set_a_reset_needs_the_bearer_token(client, client_with):
    await _study(client)
    guarded = await client_with(ADMIN_TOKEN=TOKEN)
    await _refused(guarded, "/api/reset_history", 401)  # local, but the token is now required
    await _refused(
        guarded, "/api/reset_history", 401, headers={"Authorization": "Bearer wrong-token-123"}
    )
    await _refused(guarded, "/api/reset_history", 401, headers={"Authorization": f"Basic {TOKEN}"})
    await _refused(guarded, "/api/full_reset", 401, headers={"Authorization": f"Bearer {TOKEN}x"})
    assert await _history_size(client) == 1

    await post(guarded, "/api/reset_history", headers={"Authorization": f"Bearer {TOKEN}"})
    assert await _history_size(client) == 0


async def test_with_admin_token_a_remote_client_with_the_token_may_reset(client, client_with):
    await _study(client)
    guarded = await client_with(ADMIN_TOKEN=TOKEN, LOCAL_MODE=False)
    await _refused(guarded, "/api/reset_history", 401, scope_base=REMOTE)
    await post(
        guarded,
        "/api/reset_history",
        headers={"Authorization": f"Bearer {TOKEN}", "X-Forwarded-For": "198.51.100.7"},
        scope_base=REMOTE,
    )
    assert await _history_size(client) == 0


async def test_study_writes_need_no_admin_rights(client):
    """Only destructive actions are guarded: a remote learner (with a profile) can study."""
    group = await group_id_by_name(client, seed_facts().group_names[0])
    token = (await post(client, "/api/learners", {"name": "Remote"}, status=201))["token"]
    learner = {"X-Learner-Token": token}
    session = await launch(
        client, group, await flashcards_id(client), scope_base=REMOTE, headers=learner
    )
    word = (await get(client, f"/api/groups/{group}/words"))["items"][0]["id"]
    await post(
        client,
        f"/api/study_sessions/{session['id']}/words/{word}/review",
        {"correct": True},
        status=201,
        scope_base=REMOTE,
        headers=learner,
    )
