"""The OpenAPI 3.1 description of the JSON API, served at GET /api/openapi.json.

Built once from a few shared pieces so that every list, word and session
looks the same wherever it appears.  tests/safety keeps it true: every /api
route is described (and nothing else), responses validate against it, and a
property-based run (schemathesis) finds no undocumented status or shape.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import available_timezones

from .openapi_learners import learner_error_statuses, learner_operations, learner_schemas
from .openapi_schemas import COUNT, INT_ID, PERCENT, TEXT, TEXT_OR_NULL, TIME, TIME_OR_NULL, Schema
from .pagination import MAX_PAGE
from .queries.groups import GROUP_SORTS
from .queries.words import SESSION_WORD_SORTS, WORD_SORTS
from .web import MAX_ID

JSON = "application/json"


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: dict[str, Schema], optional: dict[str, Schema] | None = None) -> Schema:
    """An object with these fields; extra fields are allowed (the contract says so)."""
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
    }


NUMBER: Schema = {"type": "number"}
RATING: Schema = {"enum": ["again", "hard", "good", "easy"]}
SCHEDULE: Schema = {
    "anyOf": [
        {"type": "null"},
        _obj(
            {
                "state": {"enum": ["learning", "review", "relearning"]},
                "due": TIME,
                "stability": NUMBER,
                "difficulty": NUMBER,
                "retrievability": {"type": "number", "minimum": 0, "maximum": 1},
                "last_review": TIME,
            },
            {"known": {"type": "boolean"}},
        ),
    ]
}

WORD_FIELDS: dict[str, Schema] = {
    "id": INT_ID,
    "japanese": TEXT,
    "romaji": TEXT,
    "english": TEXT,
    "parts": {"type": "array", "items": ref("WordPart")},
    "correct_count": COUNT,
    "wrong_count": COUNT,
}
SESSION_FIELDS: dict[str, Schema] = {
    "id": INT_ID,
    "group_id": INT_ID,
    "group_name": TEXT,
    "study_activity_id": INT_ID,
    "activity_name": TEXT,
    "start_time": TIME,
    "end_time": TIME_OR_NULL,
    "review_items_count": COUNT,
}
ACTIVITY_FIELDS: dict[str, Schema] = {
    "id": INT_ID,
    "name": TEXT,
    "description": TEXT,
    "thumbnail_url": TEXT_OR_NULL,
    "activity_type": TEXT,
    "launch_url": TEXT_OR_NULL,
}


@cache
def _zones() -> list[str]:
    """IANA zone names, and "" for "not given"."""
    return ["", *sorted(available_timezones())]


def _page_of(item: str) -> Schema:
    return _obj({"items": {"type": "array", "items": ref(item)}, "pagination": ref("Pagination")})


def _schemas() -> dict[str, Schema]:
    return {
        "Error": _obj({"error": TEXT}),
        "Pagination": _obj(
            {
                "current_page": {"type": "integer", "minimum": 1},
                "total_pages": COUNT,
                "total_items": COUNT,
                "items_per_page": {"type": "integer", "minimum": 1},
            }
        ),
        "WordPart": _obj({"kanji": TEXT, "romaji": {"type": "array", "items": TEXT}}),
        "Word": _obj(WORD_FIELDS, {"kana": TEXT}),
        "WordDetail": _obj(
            {
                **WORD_FIELDS,
                "stats": _obj({"correct_count": COUNT, "wrong_count": COUNT}),
                "groups": {"type": "array", "items": _obj({"id": INT_ID, "name": TEXT})},
                "schedule": SCHEDULE,
            }
        ),
        "WordPage": _page_of("Word"),
        "Group": _obj({"id": INT_ID, "name": TEXT, "word_count": COUNT}, {"created_at": TIME}),
        "GroupDetail": _obj(
            {
                "id": INT_ID,
                "name": TEXT,
                "created_at": TIME,
                "total_word_count": COUNT,
                "stats": _obj({"total_word_count": COUNT}),
            }
        ),
        "GroupPage": _page_of("Group"),
        "Session": _obj(SESSION_FIELDS),
        "SessionPage": _page_of("Session"),
        "LastSession": _obj(
            {
                **SESSION_FIELDS,
                "created_at": TIME,
                "correct_count": COUNT,
                "wrong_count": COUNT,
                "total_reviews": COUNT,
            }
        ),
        "Activity": _obj(ACTIVITY_FIELDS),
        "ActivityPage": _page_of("Activity"),
        "StudyProgress": _obj(
            {
                "total_words_studied": COUNT,
                "total_available_words": COUNT,
                "total_words_available": COUNT,
                "mastery_percentage": PERCENT,
                "last_studied_date": TIME_OR_NULL,
            },
            {"known_words": COUNT},
        ),
        "QuickStats": _obj(
            {
                "success_rate": PERCENT,
                "total_study_sessions": COUNT,
                "total_active_groups": COUNT,
                "study_streak_days": COUNT,
            }
        ),
        "LaunchRequest": _obj(
            {"group_id": INT_ID, "study_activity_id": INT_ID},
            {"mode": {"enum": ["scheduled", "ahead", "missed"]}},
        ),
        "LaunchedSession": _obj(
            {"id": INT_ID, "group_id": INT_ID, "study_activity_id": INT_ID, "created_at": TIME}
        ),
        "ReviewRequest": _obj(
            {"correct": {"type": "boolean"}},
            {
                "client_id": {"type": "string", "minLength": 1, "maxLength": 64},
                "rating": RATING,
                "answer": {"type": "string", "minLength": 1, "maxLength": 500},
            },
        ),
        "Review": _obj(
            {
                "success": {"const": True},
                "id": INT_ID,
                "word_id": INT_ID,
                "study_session_id": INT_ID,
                "correct": {"type": "boolean"},
                "created_at": TIME,
                "schedule": SCHEDULE,
            },
            {"rating": RATING, "client_id": TEXT_OR_NULL},
        ),
        "NextCard": _obj(
            {
                "word": ref("Word"),
                "position": {"type": "integer", "minimum": 1},
                "total": {"type": "integer", "minimum": 1},
                "reason": {"enum": ["due", "new", "ahead", "missed"]},
            },
            {"repeat": {"type": "boolean"}},
        ),
        "Undone": _obj(
            {
                "review": _obj(
                    {
                        "id": INT_ID,
                        "word_id": INT_ID,
                        "study_session_id": INT_ID,
                        "correct": {"type": "boolean"},
                        "created_at": TIME,
                    },
                    {"rating": RATING, "client_id": TEXT_OR_NULL},
                ),
                "schedule": SCHEDULE,
            }
        ),
        "DueSummary": _obj(
            {
                "due_now": COUNT,
                "due_today": COUNT,
                "known_words": COUNT,
                "forecast": {
                    "type": "array",
                    "minItems": 7,
                    "maxItems": 7,
                    "items": _obj({"date": {"type": "string", "format": "date"}, "count": COUNT}),
                },
            },
            {"timezone": TEXT},
        ),
        "StudySettings": _obj(
            {
                "new_words_per_day": {"type": "integer", "minimum": 0, "maximum": 500},
                "session_length": {"type": "integer", "minimum": 1, "maximum": 500},
                "timezone": TEXT_OR_NULL,
            }
        ),
        "StudySettingsUpdate": _obj(
            {},
            {
                "new_words_per_day": {"type": "integer", "minimum": 0, "maximum": 500},
                "session_length": {"type": "integer", "minimum": 1, "maximum": 500},
                # empty or null: not set (the portal's DEFAULT_TIMEZONE applies)
                "timezone": {"anyOf": [{"type": "null"}, {"enum": _zones()}]},
            },
        ),
        "ResetDone": _obj({"success": {"const": True}, "message": TEXT}),
        **_authoring_schemas(),
        "OpenAPI": _obj({"openapi": {"const": "3.1.0"}, "paths": {"type": "object"}}),
        "Health": _obj({"status": {"enum": ["healthy", "unhealthy"]}}, {"error": TEXT}),
        **learner_schemas(),
    }


def _authoring_schemas() -> dict[str, Schema]:
    word_write = {
        "japanese": TEXT,
        "kana": TEXT_OR_NULL,
        "romaji": TEXT_OR_NULL,
        "english": TEXT,
        "parts": {"type": "array", "items": ref("WordPart")},
        "group_ids": {"type": "array", "items": INT_ID},
        "allow_duplicate": {"type": "boolean"},
    }
    summary = _obj(dict.fromkeys(("rows", "add", "link", "update", "skip", "error"), COUNT))
    return {
        "GroupName": _obj({"name": TEXT}),
        "GroupDeleted": _obj(
            {"success": {"const": True}, "id": INT_ID, "words_unlinked": COUNT,
             "study_sessions_kept": COUNT}
        ),
        "Membership": _obj({"group_id": INT_ID, "word_id": INT_ID, "word_count": COUNT}),
        "MembershipRemoved": _obj({"success": {"const": True}, "word_count": COUNT}),
        "WordCreate": _obj({"japanese": TEXT, "english": TEXT}, word_write),
        "WordChange": _obj({}, word_write),
        "WordDeleted": _obj(
            {"success": {"const": True}, "id": INT_ID, "reviews_deleted": COUNT,
             "learners_affected": COUNT}
        ),
        "SeedExport": {"type": "array", "items": _obj(
            {"kanji": TEXT, "kana": TEXT, "romaji": TEXT, "english": TEXT,
             "parts": {"type": "array", "items": ref("WordPart")}}
        )},
        "ImportUpload": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"}, "text": TEXT,
            "group_id": TEXT, "group_name": TEXT, "format": TEXT, "delimiter": TEXT,
            "encoding": TEXT, "mapping": TEXT, "notetype": TEXT, "on_duplicate": TEXT,
        }},
        "ImportChange": {"type": "object", "properties": {
            "mapping": {"type": ["object", "null"]}, "on_duplicate": TEXT_OR_NULL,
            "group_id": {"type": ["integer", "string", "null"]}, "group_name": TEXT_OR_NULL,
            "notetype": TEXT_OR_NULL, "delimiter": TEXT_OR_NULL, "encoding": TEXT_OR_NULL,
        }},
        "ImportPreview": _obj(
            {"id": INT_ID, "status": {"enum": ["preview", "committed"]}, "created_at": TIME,
             "expires_at": TIME, "format": TEXT, "target": {"type": "object"},
             "on_duplicate": TEXT, "columns": {"type": "array"}, "mapping": {"type": "object"},
             "summary": summary, "errors": {"type": "array"}, "items": {"type": "array"},
             "pagination": ref("Pagination")}
        ),
        "ImportCommitted": _obj(
            {"id": INT_ID, "status": {"const": "committed"},
             "group": _obj({"id": INT_ID, "name": TEXT, "word_count": COUNT}),
             "summary": summary}
        ),
        "Success": _obj({"success": {"const": True}}),
    }  # fmt: skip


ERRORS = {
    400: "The query string or body cannot be parsed",
    401: "A learner or admin credential is needed, or the one sent is unknown or revoked",
    429: "Too many attempts from this address (see Retry-After)",
    403: "Refused: a cross-site request, or an admin action without the admin token",
    404: "No such route or id",
    405: "The route does not have this method (see the Allow header)",
    409: "A conflict with the current state (the error says which)",
    413: "The body is over the size limit",
    415: "The body is not JSON",
    422: "The JSON body breaks a rule (the error names the field)",
    503: "The database is not available",
}
# Every operation may answer these: an unsupported method, or the database being down.
ALWAYS = (405, 503)
# Every POST may be refused as cross-site, be too large, or not be JSON.
POST_ERRORS = (403, 413, 415)


def _param(name: str, where: str, schema: Schema) -> Schema:
    return {"name": name, "in": where, "required": where == "path", "schema": schema}


# An empty query parameter (`?page=&sort=`, as a form sends it) means "not given".
def _sorting(sorts: dict[str, str]) -> list[Schema]:
    return [
        _param("sort", "query", {"type": "string", "enum": ["", *sorted(sorts)]}),
        _param("order", "query", {"type": "string", "enum": ["", "asc", "desc"]}),
    ]


PAGE = _param(
    "page",
    "query",
    {"anyOf": [{"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, {"const": ""}]},
)
# Any text: longer text is cut to the search box's length, nothing is refused.
SEARCH = _param("q", "query", TEXT)
GROUP, ACTIVITY, SESSION, WORD = (
    _param(f"{name}_id", "path", INT_ID) for name in ("group", "activity", "session", "word")
)

# (method, path, operationId, summary, parameters, request body schema, 2xx status, schema)
Operation = tuple[str, str, str, str, list[Schema], str | None, int, str]


def _operations() -> list[Operation]:
    # Empty: the learner's zone, else the portal's default.
    tz = _param("tz", "query", {"type": "string", "enum": _zones()})
    launch = ("LaunchRequest", 201, "LaunchedSession")
    return [
        ("get", "/health", "health", "The process and its database answer",
         [], None, 200, "Health"),
        ("get", "/api/openapi.json", "openapi", "This description", [], None, 200, "OpenAPI"),
        ("get", "/api/dashboard/last_study_session", "lastStudySession",
         "The newest study session (404 before the first)", [], None, 200, "LastSession"),
        ("get", "/api/dashboard/study_progress", "studyProgress", "Words studied out of all",
         [], None, 200, "StudyProgress"),
        ("get", "/api/dashboard/quick_stats", "quickStats",
         "Success rate, sessions, active groups and streak", [tz], None, 200, "QuickStats"),
        ("get", "/api/dashboard/quick-stats", "quickStatsAlias", "The same as quick_stats",
         [tz], None, 200, "QuickStats"),
        ("get", "/api/study_activities", "listActivities", "Study activities",
         [PAGE], None, 200, "ActivityPage"),
        ("post", "/api/study_activities", "launchSessionOfActivity",
         "Start a study session (the seed's name)", [], *launch),
        ("get", "/api/study_activities/{activity_id}", "showActivity", "One study activity",
         [ACTIVITY], None, 200, "Activity"),
        ("get", "/api/study_activities/{activity_id}/study_sessions", "listActivitySessions",
         "Sessions of an activity, newest first", [ACTIVITY, PAGE], None, 200, "SessionPage"),
        ("get", "/api/words", "listWords", "Words (q: search, best matches first)",
         [PAGE, SEARCH, *_sorting(WORD_SORTS)],
         None, 200, "WordPage"),
        ("get", "/api/words/{word_id}", "showWord", "One word with its counts and groups",
         [WORD], None, 200, "WordDetail"),
        ("get", "/api/groups", "listGroups", "Word groups", [PAGE, *_sorting(GROUP_SORTS)],
         None, 200, "GroupPage"),
        ("get", "/api/groups/{group_id}", "showGroup", "One group", [GROUP],
         None, 200, "GroupDetail"),
        ("get", "/api/groups/{group_id}/words", "listGroupWords", "Words of a group",
         [GROUP, PAGE, *_sorting(WORD_SORTS)], None, 200, "WordPage"),
        ("get", "/api/groups/{group_id}/study_sessions", "listGroupSessions",
         "Sessions on a group, newest first", [GROUP, PAGE], None, 200, "SessionPage"),
        ("get", "/api/study_sessions", "listSessions", "Study sessions, newest first",
         [PAGE], None, 200, "SessionPage"),
        ("post", "/api/study_sessions", "launchSession", "Start a study session", [], *launch),
        ("get", "/api/study_sessions/{session_id}", "showSession", "One study session",
         [SESSION], None, 200, "Session"),
        ("get", "/api/study_sessions/{session_id}/words", "listSessionWords",
         "Words reviewed in a session, counts within it",
         [SESSION, PAGE, *_sorting(SESSION_WORD_SORTS)], None, 200, "WordPage"),
        ("post", "/api/study_sessions/{session_id}/words/{word_id}/review", "reviewWord",
         "Record one answer", [SESSION, WORD], "ReviewRequest", 201, "Review"),
        ("get", "/api/study_sessions/{session_id}/next", "nextWord",
         "The session's next card (204 when its queue is done)",
         [SESSION], None, 200, "NextCard"),
        ("post", "/api/study_sessions/{session_id}/undo", "undoAnswer",
         "Take back the session's last answer (409 when none is left)",
         [SESSION], None, 200, "Undone"),
        ("get", "/api/dashboard/due", "dueSummary",
         "Due now, due today, known words and a 7-day forecast", [tz], None, 200, "DueSummary"),
        ("get", "/api/study_settings", "showStudySettings", "The learner's study settings",
         [], None, 200, "StudySettings"),
        ("put", "/api/study_settings", "updateStudySettings",
         "Change the learner's study settings", [], "StudySettingsUpdate", 200, "StudySettings"),
        ("post", "/api/reset_history", "resetHistory", "Delete every session and review",
         [], None, 200, "ResetDone"),
        ("post", "/api/full_reset", "fullReset", "Back to the freshly seeded state",
         [], None, 200, "ResetDone"),
        *learner_operations(PAGE, _sorting, _param),
        *_authoring_operations(),
    ]  # fmt: skip


PREVIEW = _param("preview_id", "path", {"type": "integer", "minimum": 1, "maximum": MAX_ID})
FORMAT = _param("format", "query", {"type": "string", "enum": ["csv", "json"]})
# Admin operations (authoring, imports, resets): 401 with a token set, 403 from elsewhere.
ADMIN_ERRORS = (401, 403, 409)
MULTIPART_BODIES = {"ImportUpload"}


def _authoring_operations() -> list[Operation]:
    gw = [GROUP, WORD]
    return [
        ("post", "/api/groups", "createGroup", "Create a group (admin)",
         [], "GroupName", 201, "GroupDetail"),
        ("patch", "/api/groups/{group_id}", "renameGroup", "Rename a group (admin)",
         [GROUP], "GroupName", 200, "GroupDetail"),
        ("delete", "/api/groups/{group_id}", "deleteGroup",
         "Delete a group; its words and sessions stay (admin)", [GROUP], None, 200, "GroupDeleted"),
        ("put", "/api/groups/{group_id}/words/{word_id}", "addGroupWord",
         "Put a word in a group (admin; 200 when already there)", gw, None, 201, "Membership"),
        ("delete", "/api/groups/{group_id}/words/{word_id}", "removeGroupWord",
         "Take a word out of a group (admin)", gw, None, 200, "MembershipRemoved"),
        ("get", "/api/groups/{group_id}/export", "exportGroup",
         "A group's words as CSV (default) or seed JSON", [GROUP, FORMAT], None, 200, "SeedExport"),
        ("post", "/api/words", "createWord", "Create a word (admin)",
         [], "WordCreate", 201, "WordDetail"),
        ("patch", "/api/words/{word_id}", "updateWord", "Change a word (admin)",
         [WORD], "WordChange", 200, "WordDetail"),
        ("delete", "/api/words/{word_id}", "deleteWord", "Delete a word and its answers (admin)",
         [WORD], None, 200, "WordDeleted"),
        ("post", "/api/imports", "createImport", "Upload a word list: a stored preview (admin)",
         [], "ImportUpload", 201, "ImportPreview"),
        ("get", "/api/imports/{preview_id}", "showImport", "An import preview (admin)",
         [PREVIEW, PAGE], None, 200, "ImportPreview"),
        ("patch", "/api/imports/{preview_id}", "changeImport",
         "Change the mapping or duplicate rule without uploading again (admin)",
         [PREVIEW], "ImportChange", 200, "ImportPreview"),
        ("post", "/api/imports/{preview_id}/commit", "commitImport",
         "Import the previewed words, once (admin)", [PREVIEW], None, 200, "ImportCommitted"),
        ("delete", "/api/imports/{preview_id}", "discardImport", "Discard a preview (admin)",
         [PREVIEW], None, 200, "Success"),
    ]  # fmt: skip


# Further answers of some operations: status -> (description, schema or None for no body).
EXTRA_RESPONSES: dict[str, dict[int, tuple[str, str | None]]] = {
    "reviewWord": {200: ("The same client_id again: the first result, nothing recorded", "Review")},
    "nextWord": {204: ("The session's queue is done", None)},
}
# Operations that may answer 409.
CONFLICTS = frozenset({"reviewWord", "undoAnswer"})


def _error_statuses(operation: Operation) -> set[int]:
    method, path, _, _, params, body, _, _ = operation
    statuses = set(ALWAYS)
    if any(p["in"] == "query" for p in params):
        statuses.add(400)
    if any(p["in"] == "path" for p in params) or path.endswith("last_study_session"):
        statuses.add(404)
    if method in ("post", "put", "patch", "delete"):
        statuses.update(POST_ERRORS)
    if operation[2] in CONFLICTS:
        statuses.add(409)
    if body:
        statuses.update({400, 404, 422})  # unparsable JSON, unknown ids, broken rules
    statuses.update(learner_error_statuses(method, path))
    if operation[2] in ADMIN_OPERATIONS:
        statuses.update(ADMIN_ERRORS)
        statuses.update({404, 422})
    return statuses


def _operation(operation: Operation) -> Schema:
    _, path, op_id, summary, params, body, ok, schema = operation
    responses: Schema = {
        str(ok): {"description": summary, "content": {JSON: {"schema": ref(schema)}}}
    }
    for status, (description, extra) in EXTRA_RESPONSES.get(op_id, {}).items():
        responses[str(status)] = {"description": description}
        if extra:
            responses[str(status)]["content"] = {JSON: {"schema": ref(extra)}}
    for status in sorted(_error_statuses(operation)):
        responses[str(status)] = {
            "description": ERRORS[status],
            "content": {JSON: {"schema": ref("Error")}},
        }
    described: Schema = {
        "operationId": op_id,
        "summary": summary,
        "parameters": params,
        "responses": responses,
    }
    if body:
        media = "multipart/form-data" if body in MULTIPART_BODIES else JSON
        described["requestBody"] = {"required": True, "content": {media: {"schema": ref(body)}}}
    if op_id == "exportGroup":
        described["responses"]["200"]["content"]["text/csv"] = {"schema": TEXT}
    if op_id in ADMIN_OPERATIONS or path.endswith("_reset") or path == "/api/reset_history":
        # The admin token when ADMIN_TOKEN is set; without it, only from the portal's machine.
        described["security"] = [{"adminToken": []}, {}]
    return described


ADMIN_OPERATIONS = frozenset(op[2] for op in _authoring_operations() if op[2] != "exportGroup") | {
    "resetHistory",
    "fullReset",
}


@cache
def openapi_document() -> dict[str, Any]:
    paths: dict[str, Schema] = {}
    for operation in _operations():
        paths.setdefault(operation[1], {})[operation[0]] = _operation(operation)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Lang Portal API",
            "version": "1",
            "description": 'Japanese vocabulary study portal. Errors are JSON {"error": ...}.',
        },
        "paths": paths,
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {"adminToken": {"type": "http", "scheme": "bearer"}},
        },
    }
