"""The error rules of spec/api.md: one status per case, always a JSON
`{"error": "<sentence>"}` body, never a 5xx and never an HTML page under /api."""

from __future__ import annotations

from typing import Any

from tests.helpers import (
    body_of,
    expect_error,
    flashcards_id,
    get,
    group_id_by_name,
    launch,
    post,
    seed_facts,
    total_items,
)

# Every :id route with a placeholder for the id under test (GET unless said).
ID_ROUTES = [
    ("GET", "/api/study_activities/{id}"),
    ("GET", "/api/study_activities/{id}/study_sessions"),
    ("GET", "/api/words/{id}"),
    ("GET", "/api/groups/{id}"),
    ("GET", "/api/groups/{id}/words"),
    ("GET", "/api/groups/{id}/study_sessions"),
    ("GET", "/api/study_sessions/{id}"),
    ("GET", "/api/study_sessions/{id}/words"),
]
LIST_ROUTES = [
    "/api/study_activities",
    "/api/words",
    "/api/groups",
    "/api/study_sessions",
    "/api/groups/1/words",
    "/api/groups/1/study_sessions",
    "/api/study_activities/1/study_sessions",
]
SORTABLE_LISTS = ["/api/words", "/api/groups", "/api/groups/1/words"]
BAD_IDS = ["abc", "1.5", "99999999999999999999", "2147483648", "0", "-1", "%20"]
BAD_PAGES = ["0", "-1", "abc", str(10**12), "1.5", "%C2%B2", "9" * 5000]
TOO_BIG = 100 * 1024


async def _session(client) -> tuple[int, int]:
    """A new session and a word of its group."""
    group = await group_id_by_name(client, seed_facts().group_names[0])
    word = (await get(client, f"/api/groups/{group}/words"))["items"][0]["id"]
    session = await launch(client, group, await flashcards_id(client))
    return session["id"], word


# --- 404 -----------------------------------------------------------------------


async def test_unknown_api_routes_are_404_json(client):
    for path in ("/api/nope", "/api", "/api/", "/api/words/1/nope", "/api/dashboard"):
        await expect_error(client, "GET", path, 404)
    await expect_error(client, "POST", "/api/nope", 404, json={})


async def test_unknown_ids_are_404_on_every_id_route(client):
    for method, route in ID_ROUTES:
        await expect_error(client, method, route.format(id=2147483647), 404)
        await expect_error(client, method, route.format(id=987654), 404)


async def test_malformed_or_out_of_range_ids_are_404_on_every_id_route(client):
    for method, route in ID_ROUTES:
        for bad in BAD_IDS:
            await expect_error(client, method, route.format(id=bad), 404)


async def test_malformed_ids_in_the_review_route_are_404(client):
    session, word = await _session(client)
    for bad in BAD_IDS:
        for path in (
            f"/api/study_sessions/{bad}/words/{word}/review",
            f"/api/study_sessions/{session}/words/{bad}/review",
        ):
            await expect_error(client, "POST", path, 404, json={"correct": True})
    assert (await get(client, f"/api/study_sessions/{session}"))["review_items_count"] == 0


async def test_review_of_unknown_session_or_word_is_404_and_records_nothing(client):
    session, word = await _session(client)
    await expect_error(
        client,
        "POST",
        f"/api/study_sessions/987654/words/{word}/review",
        404,
        json={"correct": True},
    )
    await expect_error(
        client,
        "POST",
        f"/api/study_sessions/{session}/words/987654/review",
        404,
        json={"correct": False},
    )
    assert (await get(client, f"/api/study_sessions/{session}"))["review_items_count"] == 0
    assert (await get(client, "/api/dashboard/quick_stats"))["success_rate"] == 0.0


async def test_launch_with_unknown_group_or_activity_is_404_and_creates_nothing(client):
    group = await group_id_by_name(client, seed_facts().group_names[0])
    activity = await flashcards_id(client)
    # integers that name no row, including those no row can have (0, -1, past the range)
    for unknown in (987654, 0, -1, 2147483648, 10**30):
        for body in (
            {"group_id": unknown, "study_activity_id": activity},
            {"group_id": group, "study_activity_id": unknown},
        ):
            for path in ("/api/study_sessions", "/api/study_activities"):
                response = await expect_error(client, "POST", path, 404, json=body)
                named = next(name for name, value in body.items() if value == unknown)
                assert (await body_of(response))["field"] == named, body
    assert await total_items(client, "/api/study_sessions") == 0


async def test_last_session_is_404_json_when_there_is_none(client):
    await expect_error(client, "GET", "/api/dashboard/last_study_session", 404)


# --- 405 -----------------------------------------------------------------------


async def test_wrong_method_is_405_json_with_allow_header(client):
    cases = [
        ("DELETE", "/api/words", "GET"),
        ("POST", "/api/words", "GET"),
        ("PUT", "/api/words/1", "GET"),
        ("PATCH", "/api/groups/1", "GET"),
        ("DELETE", "/api/study_sessions/1", "GET"),
        ("GET", "/api/study_sessions/1/words/1/review", "POST"),
        ("GET", "/api/reset_history", "POST"),
        ("GET", "/api/full_reset", "POST"),
        ("PUT", "/api/study_sessions", "POST"),
        ("POST", "/api/dashboard/quick_stats", "GET"),
        ("POST", "/health", "GET"),
    ]
    for method, path, allowed in cases:
        response = await expect_error(client, method, path, 405)
        allow = {m.strip() for m in response.headers.get("Allow", "").split(",")}
        assert allowed in allow, (method, path, allow)
        assert method not in allow


# --- 400: query parameters ----------------------------------------------------


async def test_bad_page_is_400_on_every_list(client):
    for path in LIST_ROUTES:
        for page in BAD_PAGES:
            await expect_error(client, "GET", f"{path}?page={page}", 400)


async def test_unknown_sort_is_400(client):
    for path in SORTABLE_LISTS:
        for sort in ("bogus", "id;DROP TABLE words", "created_at desc"):
            await expect_error(client, "GET", f"{path}?sort={sort}", 400)
    assert await total_items(client, "/api/words") == seed_facts().word_count


async def test_bad_order_is_400(client):
    for path in SORTABLE_LISTS:
        for order in ("up", "ascending", "1"):
            await expect_error(client, "GET", f"{path}?order={order}", 400)


async def test_unknown_timezone_is_400(client):
    for tz in ("Mars/Olympus", "America", "Asia", "../../etc/passwd", "%00", "x" * 300):
        for path in ("/api/dashboard/quick_stats", "/api/dashboard/quick-stats"):
            await expect_error(client, "GET", f"{path}?tz={tz}", 400)


async def test_known_timezone_is_accepted(client):
    for tz in ("UTC", "Asia/Tokyo", "America/New_York", "Europe/London"):
        await get(client, f"/api/dashboard/quick_stats?tz={tz}")


# --- bodies ----------------------------------------------------------------------


async def test_non_json_bodies_are_415_or_400(client):
    session, word = await _session(client)
    review_path = f"/api/study_sessions/{session}/words/{word}/review"
    for path in ("/api/study_sessions", "/api/study_activities", review_path):
        for kwargs in (
            {"form": {"group_id": "1", "study_activity_id": "1", "correct": "true"}},
            {"data": "correct=true", "headers": {"Content-Type": "text/plain"}},
            {},
        ):
            response = await client.post(path, **kwargs)
            body = await body_of(response)
            assert response.status_code in (400, 415), (path, kwargs, response.status_code)
            assert isinstance(body.get("error"), str)
    assert await total_items(client, "/api/study_sessions") == 1
    assert (await get(client, f"/api/study_sessions/{session}"))["review_items_count"] == 0


async def test_invalid_json_is_400(client):
    session, word = await _session(client)
    review_path = f"/api/study_sessions/{session}/words/{word}/review"
    bad_bodies = ["{bad", "", '{"correct": true', "[" * 10_000, "\xff"]
    for path in ("/api/study_sessions", review_path):
        for raw in bad_bodies:
            await expect_error(
                client, "POST", path, 400, data=raw, headers={"Content-Type": "application/json"}
            )


async def test_missing_or_mistyped_correct_is_422(client):
    session, word = await _session(client)
    path = f"/api/study_sessions/{session}/words/{word}/review"
    body: dict[str, Any]
    for body in (
        {},
        {"correct": "true"},
        {"correct": 1},
        {"correct": 0},
        {"correct": None},
        {"correct": []},
        {"right": True},
    ):
        response = await expect_error(client, "POST", path, 422, json=body)
        assert (await body_of(response)).get("field", "correct") == "correct"
    assert (await get(client, f"/api/study_sessions/{session}"))["review_items_count"] == 0


async def test_missing_or_mistyped_ids_in_launch_are_422(client):
    group = await group_id_by_name(client, seed_facts().group_names[0])
    activity = await flashcards_id(client)
    bad_values = ["1", 1.5, True, None, [1], {"id": 1}]
    for path in ("/api/study_sessions", "/api/study_activities"):
        for value in bad_values:
            await expect_error(
                client, "POST", path, 422, json={"group_id": value, "study_activity_id": activity}
            )
            await expect_error(
                client, "POST", path, 422, json={"group_id": group, "study_activity_id": value}
            )
        await expect_error(client, "POST", path, 422, json={"study_activity_id": activity})
        await expect_error(client, "POST", path, 422, json={"group_id": group})
    assert await total_items(client, "/api/study_sessions") == 0


async def test_a_json_body_that_is_not_an_object_is_refused(client):
    for raw in ("[1, 2]", '"text"', "42", "null"):
        response = await client.post(
            "/api/study_sessions", data=raw, headers={"Content-Type": "application/json"}
        )
        body = await body_of(response)
        assert response.status_code in (400, 422), (raw, response.status_code)
        assert isinstance(body.get("error"), str)


async def test_unknown_extra_fields_are_ignored(client):
    session, word = await _session(client)
    group = await group_id_by_name(client, seed_facts().group_names[0])
    extra = {"note": "hello", "group_id_2": "x", "nested": {"a": [1, 2]}}
    created = await post(
        client,
        "/api/study_sessions",
        {"group_id": group, "study_activity_id": await flashcards_id(client), **extra},
        status=201,
    )
    assert created["group_id"] == group
    answered = await post(
        client,
        f"/api/study_sessions/{session}/words/{word}/review",
        {"correct": True, **extra},
        status=201,
    )
    assert answered["correct"] is True


async def test_body_over_the_limit_is_413_and_records_nothing(client):
    session, word = await _session(client)
    group = await group_id_by_name(client, seed_facts().group_names[0])
    padding = "x" * TOO_BIG
    for path, body in (
        ("/api/study_sessions", {"group_id": group, "study_activity_id": 1, "pad": padding}),
        (f"/api/study_sessions/{session}/words/{word}/review", {"correct": True, "pad": padding}),
        ("/api/reset_history", {"pad": padding}),
    ):
        await expect_error(client, "POST", path, 413, json=body)
    assert await total_items(client, "/api/study_sessions") == 1
    assert (await get(client, f"/api/study_sessions/{session}"))["review_items_count"] == 0


async def test_errors_under_api_are_json_even_for_html_clients(client):
    headers = {"Accept": "text/html,application/xhtml+xml"}
    await expect_error(client, "GET", "/api/words/987654", 404, headers=headers)
    await expect_error(client, "GET", "/api/nope", 404, headers=headers)
    await expect_error(client, "GET", "/api/words?page=0", 400, headers=headers)


async def test_odd_input_never_causes_a_server_error(client):
    session, word = await _session(client)
    review_path = f"/api/study_sessions/{session}/words/{word}/review"
    requests: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/api/words?page=%C2%B2", {}),
        ("GET", "/api/words?page=" + "9" * 5000, {}),
        ("GET", "/api/words?sort=%00", {}),
        ("GET", "/api/words/" + "9" * 5000, {}),
        ("GET", "/api/dashboard/quick_stats?tz=America", {}),
        ("GET", "/api/groups?order=%E2%80%AE", {}),
        ("POST", review_path, {"json": {"correct": float("inf")}}),
        (
            "POST",
            review_path,
            {"data": "[" * 15000, "headers": {"Content-Type": "application/json"}},
        ),
        ("POST", "/api/study_sessions", {"json": {"group_id": 10**30, "study_activity_id": 1}}),
        ("POST", "/api/study_sessions", {"json": {"group_id": -1, "study_activity_id": 1}}),
        ("POST", "/api/study_sessions", {"json": {"group_id": 0, "study_activity_id": 1}}),
        (
            "POST",
            "/api/study_sessions",
            {"data": b"\xff\xfe{", "headers": {"Content-Type": "application/json"}},
        ),
    ]
    for method, path, kwargs in requests:
        response = await client.open(path, method=method, **kwargs)
        body = await body_of(response)
        assert 400 <= response.status_code < 500, (method, path[:60], response.status_code, body)
        assert isinstance(body.get("error"), str)


async def test_json_with_a_charset_parameter_is_json(client):
    group = await group_id_by_name(client, seed_facts().group_names[0])
    activity = await flashcards_id(client)
    response = await client.post(
        "/api/study_sessions",
        data=f'{{"group_id": {group}, "study_activity_id": {activity}}}'.encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 201, await response.get_data(as_text=True)
