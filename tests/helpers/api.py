"""Requests through a Quart test client: send, check the status, read the JSON."""

from __future__ import annotations

import json
from typing import Any


async def body_of(response: Any) -> Any:
    """The JSON body; fails when the response is not JSON (an HTML page, say)."""
    content_type = response.headers.get("Content-Type", "")
    text = await response.get_data(as_text=True)
    assert content_type.startswith("application/json"), (
        f"{response.status_code} is not JSON ({content_type}): {text[:200]}"
    )
    return json.loads(text)


async def call(
    client: Any,
    method: str,
    path: str,
    *,
    status: int = 200,
    json_body: Any = None,
    **kwargs: Any,
) -> Any:
    """Send a request, check its status, return its JSON body."""
    if json_body is not None:
        kwargs["json"] = json_body
    response = await client.open(path, method=method, **kwargs)
    body = await body_of(response)
    assert response.status_code == status, f"{method} {path}: {response.status_code} {body}"
    return body


async def get(client: Any, path: str, status: int = 200, **kwargs: Any) -> Any:
    return await call(client, "GET", path, status=status, **kwargs)


async def post(
    client: Any, path: str, json_body: Any = None, status: int = 200, **kwargs: Any
) -> Any:
    return await call(client, "POST", path, status=status, json_body=json_body, **kwargs)


def assert_error_body(body: Any, status: int) -> None:
    """`{"error": "<human sentence>"}` (detail fields allowed)."""
    assert isinstance(body, dict), body
    message = body.get("error")
    assert isinstance(message, str) and len(message) >= 8 and " " in message, (status, body)


async def expect_error(client: Any, method: str, path: str, status: int, **kwargs: Any) -> Any:
    """The request fails with `status` and the one JSON error shape; returns the response."""
    response = await client.open(path, method=method, **kwargs)
    body = await body_of(response)
    assert response.status_code == status, f"{method} {path}: {response.status_code} {body}"
    assert_error_body(body, status)
    return response


async def all_items(client: Any, path: str) -> list[dict[str, Any]]:
    """Every item of a paginated list, page after page until total_pages."""
    separator = "&" if "?" in path else "?"
    first = await get(client, f"{path}{separator}page=1")
    pagination = first["pagination"]
    items = list(first["items"])
    for page in range(2, pagination["total_pages"] + 1):
        body = await get(client, f"{path}{separator}page={page}")
        assert body["pagination"]["total_items"] == pagination["total_items"]
        items.extend(body["items"])
    return items


async def total_items(client: Any, path: str) -> int:
    return (await get(client, path))["pagination"]["total_items"]


async def flashcards_id(client: Any) -> int:
    activities = await all_items(client, "/api/study_activities")
    return next(a["id"] for a in activities if a["activity_type"] == "flashcards")


async def group_id_by_name(client: Any, name: str) -> int:
    groups = await all_items(client, "/api/groups")
    return next(g["id"] for g in groups if g["name"] == name)


async def launch(client: Any, group_id: int, activity_id: int, **kwargs: Any) -> dict[str, Any]:
    return await post(
        client,
        "/api/study_sessions",
        {"group_id": group_id, "study_activity_id": activity_id},
        status=201,
        **kwargs,
    )


async def review(client: Any, session_id: int, word_id: int, correct: bool) -> dict[str, Any]:
    return await post(
        client,
        f"/api/study_sessions/{session_id}/words/{word_id}/review",
        {"correct": correct},
        status=201,
    )
