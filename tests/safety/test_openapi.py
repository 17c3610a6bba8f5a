"""GET /api/openapi.json describes exactly the API there is, and the API answers as described."""

from __future__ import annotations

import re
from typing import Any

import jsonschema_rs

from webapp.openapi import openapi_document

_CONVERTER = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>")
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def described_operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in document["paths"].items() for method in item}


def routed_operations(app) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for rule in app.url_map.iter_rules():
        if not (rule.rule.startswith("/api/") or rule.rule == "/health"):
            continue
        path = _CONVERTER.sub(r"{\1}", rule.rule)
        found.update((method, path) for method in rule.methods - IGNORED_METHODS)
    return found


async def test_the_description_is_served_as_openapi_3_1(client):
    response = await client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = await response.get_json()
    assert document["openapi"].startswith("3.1")
    assert document == openapi_document()


async def test_every_api_route_is_described_and_nothing_else(app):
    routed = routed_operations(app.app)
    described = described_operations(openapi_document())
    assert routed - described == set(), "routes missing from webapp/openapi.py"
    assert described - routed == set(), "described operations that do not exist"


def _validator(status_schema: dict[str, Any]) -> Any:
    document = openapi_document()
    return jsonschema_rs.validator_for(
        {**status_schema, "components": document["components"]}, validate_formats=True
    )


def response_schema(method: str, template: str, status: int) -> dict[str, Any]:
    responses = openapi_document()["paths"][template][method.lower()]["responses"]
    assert str(status) in responses, f"{method} {template} answered {status}, not described"
    return responses[str(status)]["content"]["application/json"]["schema"]


# (method, concrete path, description's path, JSON body): together they reach every
# operation with a success and most with an error.
EXCHANGES: list[tuple[str, str, str, Any]] = [
    ("GET", "/health", "/health", None),
    ("GET", "/api/openapi.json", "/api/openapi.json", None),
    ("GET", "/api/dashboard/last_study_session", "/api/dashboard/last_study_session", None),
    ("POST", "/api/study_sessions", "/api/study_sessions", {"group_id": 1, "study_activity_id": 1}),
    ("POST", "/api/study_activities", "/api/study_activities",
     {"group_id": 2, "study_activity_id": 1}),
    ("POST", "/api/study_sessions", "/api/study_sessions", {"group_id": 1}),
    ("POST", "/api/study_sessions", "/api/study_sessions",
     {"group_id": 99999, "study_activity_id": 1}),
    ("POST", "/api/study_sessions/1/words/1/review",
     "/api/study_sessions/{session_id}/words/{word_id}/review", {"correct": True}),
    ("POST", "/api/study_sessions/1/words/2/review",
     "/api/study_sessions/{session_id}/words/{word_id}/review", {"correct": False}),
    ("POST", "/api/study_sessions/1/words/2/review",
     "/api/study_sessions/{session_id}/words/{word_id}/review", {"correct": "yes"}),
    ("POST", "/api/study_sessions/99999/words/2/review",
     "/api/study_sessions/{session_id}/words/{word_id}/review", {"correct": True}),
    ("POST", "/api/study_sessions/1/words/3/review",
     "/api/study_sessions/{session_id}/words/{word_id}/review",
     {"correct": True, "client_id": "answer-1", "rating": "easy"}),
    ("POST", "/api/study_sessions/1/words/3/review",
     "/api/study_sessions/{session_id}/words/{word_id}/review",
     {"correct": True, "client_id": "answer-1", "rating": "easy"}),
    ("GET", "/api/study_sessions/1/next", "/api/study_sessions/{session_id}/next", None),
    ("POST", "/api/study_sessions/1/undo", "/api/study_sessions/{session_id}/undo", None),
    ("POST", "/api/study_sessions/1/words/3/review",
     "/api/study_sessions/{session_id}/words/{word_id}/review",
     {"correct": True, "client_id": "answer-1"}),
    ("POST", "/api/study_sessions/99999/undo", "/api/study_sessions/{session_id}/undo", None),
    ("GET", "/api/dashboard/due?tz=Asia/Tokyo", "/api/dashboard/due", None),
    ("GET", "/api/study_settings", "/api/study_settings", None),
    ("PUT", "/api/study_settings", "/api/study_settings", {"session_length": 15}),
    ("PUT", "/api/study_settings", "/api/study_settings", {"session_length": 0}),
    ("GET", "/api/dashboard/last_study_session", "/api/dashboard/last_study_session", None),
    ("GET", "/api/dashboard/study_progress", "/api/dashboard/study_progress", None),
    ("GET", "/api/dashboard/quick_stats?tz=Asia/Tokyo", "/api/dashboard/quick_stats", None),
    ("GET", "/api/dashboard/quick_stats?tz=Mars/Base", "/api/dashboard/quick_stats", None),
    ("GET", "/api/dashboard/quick-stats", "/api/dashboard/quick-stats", None),
    ("GET", "/api/study_activities", "/api/study_activities", None),
    ("GET", "/api/study_activities/1", "/api/study_activities/{activity_id}", None),
    ("GET", "/api/study_activities/999", "/api/study_activities/{activity_id}", None),
    ("GET", "/api/study_activities/1/study_sessions",
     "/api/study_activities/{activity_id}/study_sessions", None),
    ("GET", "/api/words?page=2&sort=english&order=desc", "/api/words", None),
    ("GET", "/api/words?sort=nope", "/api/words", None),
    ("GET", "/api/words/1", "/api/words/{word_id}", None),
    ("GET", "/api/words/99999", "/api/words/{word_id}", None),
    ("GET", "/api/groups?sort=word_count", "/api/groups", None),
    ("GET", "/api/groups/1", "/api/groups/{group_id}", None),
    ("GET", "/api/groups/1/words?sort=romaji", "/api/groups/{group_id}/words", None),
    ("GET", "/api/groups/1/study_sessions", "/api/groups/{group_id}/study_sessions", None),
    ("GET", "/api/groups/99999/study_sessions", "/api/groups/{group_id}/study_sessions", None),
    ("GET", "/api/study_sessions", "/api/study_sessions", None),
    ("GET", "/api/study_sessions?page=0", "/api/study_sessions", None),
    ("GET", "/api/study_sessions/1", "/api/study_sessions/{session_id}", None),
    ("GET", "/api/study_sessions/1/words", "/api/study_sessions/{session_id}/words", None),
    ("DELETE", "/api/study_sessions/1", "/api/study_sessions/{session_id}", None),
    ("POST", "/api/reset_history", "/api/reset_history", None),
    ("POST", "/api/full_reset", "/api/full_reset", None),
    ("POST", "/api/full_reset", "/api/full_reset", None),
]  # fmt: skip


# Learner profiles: (method, path, template, body, as whom). "token" sends the token the
# first POST /api/learners returned, "stale" a revoked one; "{code}" in a body is the
# move code issued last.  Admin routes go as this machine (local mode).
LEARNER_EXCHANGES: list[tuple[str, str, str, Any, str | None]] = [
    ("POST", "/api/learners", "/api/learners", {"name": "Aiko"}, None),
    ("POST", "/api/learners", "/api/learners", {"name": "aiko"}, None),
    ("POST", "/api/learners", "/api/learners", {"name": ""}, None),
    ("GET", "/api/learners/me", "/api/learners/me", None, "token"),
    ("GET", "/api/learners/me", "/api/learners/me", None, "stale"),
    ("PATCH", "/api/learners/me", "/api/learners/me", {"timezone": "Asia/Tokyo"}, "token"),
    ("POST", "/api/learners/me/transfer_code", "/api/learners/me/transfer_code", None, "token"),
    ("POST", "/api/learners/transfer", "/api/learners/transfer", {"code": "{code}"}, None),
    ("POST", "/api/learners/transfer", "/api/learners/transfer", {"code": "{code}"}, None),
    ("POST", "/api/learners/transfer", "/api/learners/transfer", {"code": "no"}, None),
    ("DELETE", "/api/learners/me/tokens", "/api/learners/me/tokens", None, "token"),
    ("POST", "/api/learners/me/reset_history", "/api/learners/me/reset_history", None, "token"),
    ("GET", "/api/learners/me/export", "/api/learners/me/export", None, "token"),
    ("GET", "/api/learners?sort=last_active_at", "/api/learners", None, None),
    ("PATCH", "/api/learners/2", "/api/learners/{learner_id}", {"name": "Aiko K."}, None),
    ("PATCH", "/api/learners/99", "/api/learners/{learner_id}", {"name": "Nobody"}, None),
    ("POST", "/api/learners/2/transfer_code", "/api/learners/{learner_id}/transfer_code",
     None, None),
    ("GET", "/api/groups/1/class?sort=success_rate", "/api/groups/{group_id}/class", None, None),
    ("GET", "/api/groups/999/class", "/api/groups/{group_id}/class", None, None),
    ("DELETE", "/api/learners/1", "/api/learners/{learner_id}", None, None),
    ("DELETE", "/api/learners/me", "/api/learners/me", None, "token"),
    ("POST", "/api/learners", "/api/learners", {"name": "Ren"}, None),
    ("DELETE", "/api/learners/3", "/api/learners/{learner_id}", None, None),
]  # fmt: skip


def _all_exchanges() -> list[tuple[str, str, str, Any, str | None]]:
    return [(*exchange, None) for exchange in EXCHANGES] + LEARNER_EXCHANGES


async def test_answers_validate_against_the_description(client):
    reached: set[tuple[str, str]] = set()
    statuses: set[int] = set()
    sent = {"token": "", "stale": "lpl_revoked-or-never-issued", "code": ""}
    for method, path, template, body, as_whom in _all_exchanges():
        if isinstance(body, dict) and body.get("code") == "{code}":
            body = {"code": sent["code"]}
        kwargs: dict[str, Any] = {"json": body} if body is not None else {}
        if as_whom:
            kwargs["headers"] = {"X-Learner-Token": sent[as_whom]}
        response = await client.open(path, method=method, **kwargs)
        payload = await response.get_json()
        if response.status_code == 201 and template == "/api/learners" and not sent["token"]:
            sent["token"] = payload["token"]
        if response.status_code == 201 and template.endswith("transfer_code"):
            sent["code"] = payload["code"]
        assert response.mimetype == "application/json", (method, path)
        # a method a route lacks (405) is described with the route's GET
        operations = openapi_document()["paths"][template]
        described_method = method if method.lower() in operations else "GET"
        schema = response_schema(described_method, template, response.status_code)
        errors = [str(e) for e in _validator(schema).iter_errors(payload)]
        assert not errors, (method, path, response.status_code, errors[:3])
        if 200 <= response.status_code < 300:
            reached.add((method, template))
        statuses.add(response.status_code)
    assert described_operations(openapi_document()) == reached
    assert {200, 201, 400, 404, 405, 409, 422} <= statuses
