"""Unsafe /api requests from another site are refused and record nothing;
same-origin requests, scripts without Origin, and ALLOWED_ORIGINS pass."""

from __future__ import annotations

from typing import Any

from tests.helpers import (
    assert_error_body,
    body_of,
    flashcards_id,
    get,
    group_id_by_name,
    launch,
    post,
    seed_facts,
    total_items,
)

EVIL = "https://evil.example"
PARTNER = "https://study-app.example"


async def _targets(client) -> tuple[int, int, int]:
    group = await group_id_by_name(client, seed_facts().group_names[0])
    word = (await get(client, f"/api/groups/{group}/words"))["items"][0]["id"]
    return group, await flashcards_id(client), word


async def _assert_refused(client, path: str, body: Any, headers: dict[str, str]) -> None:
    response = await client.post(path, json=body, headers=headers)
    payload = await body_of(response)
    assert response.status_code == 403, (path, headers, response.status_code, payload)
    assert_error_body(payload, 403)


async def test_cross_site_writes_are_refused_and_record_nothing(client):
    group, activity, word = await _targets(client)
    session = await launch(client, group, activity)
    launch_body = {"group_id": group, "study_activity_id": activity}
    review_path = f"/api/study_sessions/{session['id']}/words/{word}/review"
    for path, body in (
        ("/api/study_sessions", launch_body),
        ("/api/study_activities", launch_body),
        (review_path, {"correct": True}),
        ("/api/reset_history", {}),
        ("/api/full_reset", {}),
    ):
        await _assert_refused(client, path, body, {"Origin": EVIL})
    assert await total_items(client, "/api/study_sessions") == 1
    assert (await get(client, f"/api/study_sessions/{session['id']}"))["review_items_count"] == 0
    assert (await get(client, f"/api/words/{word}"))["correct_count"] == 0


async def test_refusal_names_the_other_site(client):
    group, activity, _ = await _targets(client)
    response = await client.post(
        "/api/study_sessions",
        json={"group_id": group, "study_activity_id": activity},
        headers={"Origin": EVIL},
    )
    assert response.status_code == 403
    assert "refused" in (await body_of(response))["error"].lower()


async def test_sec_fetch_site_cross_site_is_refused(client):
    group, activity, _ = await _targets(client)
    body = {"group_id": group, "study_activity_id": activity}
    await _assert_refused(client, "/api/study_sessions", body, {"Sec-Fetch-Site": "cross-site"})
    await _assert_refused(client, "/api/study_sessions", body, {"Origin": "null"})
    assert await total_items(client, "/api/study_sessions") == 0


async def test_same_origin_and_scripts_without_origin_pass(client):
    group, activity, _ = await _targets(client)
    await launch(client, group, activity, headers={"Origin": "http://localhost"})
    await launch(client, group, activity, headers={"Sec-Fetch-Site": "same-origin"})
    await launch(client, group, activity)
    assert await total_items(client, "/api/study_sessions") == 3


async def test_a_look_alike_origin_is_not_the_same_site(client):
    group, activity, _ = await _targets(client)
    body = {"group_id": group, "study_activity_id": activity}
    for origin in ("http://localhost.evil.example", "https://localhost", "http://localhost:8080"):
        await _assert_refused(client, "/api/study_sessions", body, {"Origin": origin})
    assert await total_items(client, "/api/study_sessions") == 0


async def test_reading_from_another_site_is_not_refused_but_gets_no_cors(client):
    response = await client.get("/api/words", headers={"Origin": EVIL})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_an_allowed_origin_passes_and_gets_cors_headers(client, client_with):
    group, activity, word = await _targets(client)
    partner = await client_with(ALLOWED_ORIGINS=PARTNER)
    headers = {"Origin": PARTNER}
    response = await partner.post(
        "/api/study_sessions",
        json={"group_id": group, "study_activity_id": activity},
        headers=headers,
    )
    assert response.status_code == 201, await response.get_data(as_text=True)
    assert response.headers.get("Access-Control-Allow-Origin") == PARTNER
    assert "Origin" in response.headers.get("Vary", "")
    session = (await body_of(response))["id"]
    answered = await post(
        partner,
        f"/api/study_sessions/{session}/words/{word}/review",
        {"correct": True},
        status=201,
        headers=headers,
    )
    assert answered["correct"] is True
    listed = await partner.get("/api/words", headers=headers)
    assert listed.headers.get("Access-Control-Allow-Origin") == PARTNER


async def test_allowed_origins_do_not_open_the_door_to_others(client, client_with):
    group, activity, _ = await _targets(client)
    partner = await client_with(ALLOWED_ORIGINS=PARTNER)
    body = {"group_id": group, "study_activity_id": activity}
    await _assert_refused(partner, "/api/study_sessions", body, {"Origin": EVIL})
    response = await partner.post("/api/study_sessions", json=body, headers={"Origin": EVIL})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert await total_items(client, "/api/study_sessions") == 0


async def test_an_allowed_origin_still_cannot_reset_from_afar(client, client_with):
    await launch(client, *(await _targets(client))[:2])
    partner = await client_with(ALLOWED_ORIGINS=PARTNER)
    response = await partner.post(
        "/api/reset_history", headers={"Origin": PARTNER}, scope_base={"client": ("203.0.113.9", 1)}
    )
    assert response.status_code == 403
    assert await total_items(client, "/api/study_sessions") == 1


async def test_a_preflight_from_an_allowed_origin_permits_a_json_post(client_with):
    partner = await client_with(ALLOWED_ORIGINS=PARTNER)
    response = await partner.options(
        "/api/study_sessions",
        headers={
            "Origin": PARTNER,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code in (200, 204)
    assert response.headers.get("Access-Control-Allow-Origin") == PARTNER
    assert "POST" in response.headers.get("Access-Control-Allow-Methods", "")
    assert "content-type" in response.headers.get("Access-Control-Allow-Headers", "").lower()
    other = await partner.options(
        "/api/study_sessions",
        headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"},
    )
    assert "Access-Control-Allow-Origin" not in other.headers


ROUTING_ERRORS = [
    ("GET", "/api/no_such_list", 404),
    ("GET", "/api/words/abc", 404),  # not an id: the route's converter refuses it
    ("GET", "/api/words/" + "9" * 30, 404),  # beyond the id range
    ("GET", "/api/words/0", 404),
    ("DELETE", "/api/words", 405),
    ("GET", "/api/full_reset", 405),
]


async def test_routing_errors_carry_cors_headers_for_an_allowed_origin(client_with):
    """A browser app must read these JSON errors, not 'blocked by CORS policy'."""
    partner = await client_with(ALLOWED_ORIGINS=PARTNER)
    for method, path, status in ROUTING_ERRORS:
        response = await partner.open(path, method=method, headers={"Origin": PARTNER})
        body = await body_of(response)
        assert response.status_code == status, (method, path, response.status_code, body)
        assert_error_body(body, status)
        assert response.headers.get("Access-Control-Allow-Origin") == PARTNER, (method, path)
        assert "Origin" in response.headers.get("Vary", ""), (method, path)
        other = await partner.open(path, method=method, headers={"Origin": EVIL})
        assert "Access-Control-Allow-Origin" not in other.headers, (method, path)


async def test_preflights_for_urls_no_route_answers_succeed_for_an_allowed_origin(client_with):
    partner = await client_with(ALLOWED_ORIGINS=PARTNER)
    for method, path, _ in ROUTING_ERRORS:
        preflight = {"Origin": PARTNER, "Access-Control-Request-Method": method}
        response = await partner.options(path, headers=preflight)
        assert response.status_code in (200, 204), (path, response.status_code)
        assert response.headers.get("Access-Control-Allow-Origin") == PARTNER, path
        other = await partner.options(path, headers={**preflight, "Origin": EVIL})
        assert "Access-Control-Allow-Origin" not in other.headers, path
