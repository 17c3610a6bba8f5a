"""The OpenAPI description of learner profiles and the class view (joined into
webapp/openapi.py): their schemas and operations, in that module's shapes."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from .openapi_schemas import COUNT, INT_ID, PERCENT, TEXT, TEXT_OR_NULL, TIME, TIME_OR_NULL, Schema
from .queries.classes import CLASS_SORTS
from .queries.learners import LEARNER_SORTS

# Admin routes besides the resets.
ADMIN_OPERATIONS = {
    ("get", "/api/learners"),
    ("patch", "/api/learners/{learner_id}"),
    ("delete", "/api/learners/{learner_id}"),
    ("post", "/api/learners/{learner_id}/transfer_code"),
    ("get", "/api/groups/{group_id}/class"),
}


def _obj(required: dict[str, Schema], optional: dict[str, Schema] | None = None) -> Schema:
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
    }


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


# What the portal accepts (services/learners.py): 1-40 characters, not only spaces, no
# control characters (they are trimmed and NFC-normalised before the checks).
_NO_CONTROL = "\\x00-\\x1f\\x7f-\\x9f"
NAME: Schema = {
    "type": "string",
    "maxLength": 40,
    "pattern": f"^[^{_NO_CONTROL}]*[^\\s{_NO_CONTROL}][^{_NO_CONTROL}]*$",
}
# 8 Crockford base32 characters; case, spaces and '-' ignored, O/I/L read as 0/1/1.
MOVE_CODE: Schema = {"type": "string", "pattern": "^[\\s-]*(?:[0-9A-TV-Za-tv-z][\\s-]*){8}$"}


def learner_schemas() -> dict[str, Schema]:
    zone: Schema = {"enum": [None, "", *sorted(available_timezones())]}
    profile = {"id": INT_ID, "name": TEXT, "timezone": TEXT_OR_NULL, "created_at": TIME}
    roster_item = {
        "id": INT_ID,
        "name": TEXT,
        "created_at": TIME,
        "last_active_at": TIME_OR_NULL,
        "sessions_count": COUNT,
        "is_default": {"type": "boolean"},
    }
    class_row = {
        "learner_id": INT_ID,
        "name": TEXT,
        "sessions_count": COUNT,
        "words_studied": COUNT,
        "correct_count": COUNT,
        "wrong_count": COUNT,
        "success_rate": PERCENT,
        "due_count": {"type": ["integer", "null"], "minimum": 0},
        "last_active_at": TIME_OR_NULL,
    }
    hard_word = {
        "id": INT_ID,
        "japanese": TEXT,
        "kana": TEXT,
        "romaji": TEXT,
        "english": TEXT,
        "correct_count": COUNT,
        "wrong_count": COUNT,
        "miss_rate": PERCENT,
        "learners_missed": COUNT,
    }
    return {
        "NewLearnerRequest": _obj({"name": NAME}, {"timezone": zone}),
        "NewLearner": _obj({**profile, "token": TEXT}),
        "Me": _obj({**profile, "is_default": {"type": "boolean"}, "devices": COUNT}),
        "LearnerChange": _obj({}, {"name": NAME, "timezone": zone}),
        "LearnerRename": _obj({"name": NAME}),
        "LearnerDeleted": _obj(
            {
                "success": {"const": True},
                "deleted": _obj({"learner_id": INT_ID, "study_sessions": COUNT, "reviews": COUNT}),
            }
        ),
        "MoveCode": _obj({"code": TEXT, "url": TEXT, "expires_at": TIME}),
        "MoveCodeRequest": _obj({"code": MOVE_CODE}),
        "MovedLearner": _obj({"id": INT_ID, "name": TEXT, "token": TEXT}),
        "TokensRevoked": _obj({"revoked": COUNT}),
        "LearnerExport": _obj(
            {
                "learner": _ref("Me"),
                "study_sessions": {"type": "array", "items": {"type": "object"}},
                "reviews": {"type": "array", "items": {"type": "object"}},
            }
        ),
        "RosterItem": _obj(roster_item),
        "RosterPage": _obj(
            {
                "items": {"type": "array", "items": _ref("RosterItem")},
                "pagination": _ref("Pagination"),
            }
        ),
        "ClassView": _obj(
            {
                "group": _obj({"id": INT_ID, "name": TEXT, "word_count": COUNT}),
                "items": {"type": "array", "items": _obj(class_row)},
                "pagination": _ref("Pagination"),
                "hardest_words": {"type": "array", "items": _obj(hard_word)},
                "totals": _obj(
                    {
                        "learners": COUNT,
                        "sessions_count": COUNT,
                        "correct_count": COUNT,
                        "wrong_count": COUNT,
                        "success_rate": PERCENT,
                    }
                ),
            }
        ),
    }


def learner_operations(
    page: Schema, sorting: Any, param: Any
) -> list[tuple[str, str, str, str, list[Schema], str | None, int, str]]:
    learner = param("learner_id", "path", INT_ID)
    group = param("group_id", "path", INT_ID)
    output = param("format", "query", {"type": "string", "enum": ["", "json", "csv"]})
    return [
        ("post", "/api/learners", "createLearner", "Create a learner profile (its token once)",
         [], "NewLearnerRequest", 201, "NewLearner"),
        ("get", "/api/learners", "listLearners", "Every learner (admin)",
         [page, *sorting(LEARNER_SORTS)], None, 200, "RosterPage"),
        ("get", "/api/learners/me", "showMe", "The current learner", [], None, 200, "Me"),
        ("patch", "/api/learners/me", "updateMe", "Rename, or change the time zone",
         [], "LearnerChange", 200, "Me"),
        ("delete", "/api/learners/me", "deleteMe", "Delete this profile and its history",
         [], None, 200, "LearnerDeleted"),
        ("post", "/api/learners/me/transfer_code", "issueMyMoveCode",
         "A one-time code to use this profile on another device", [], None, 201, "MoveCode"),
        ("delete", "/api/learners/me/tokens", "signOutOtherDevices",
         "Revoke every token of this profile but this request's", [], None, 200, "TokensRevoked"),
        ("post", "/api/learners/me/reset_history", "resetMyHistory",
         "Delete this learner's sessions, reviews and schedule", [], None, 200, "ResetDone"),
        ("get", "/api/learners/me/export", "exportMe", "This learner's own data",
         [], None, 200, "LearnerExport"),
        ("post", "/api/learners/transfer", "useMoveCode",
         "Spend a move code: a new token for this device", [], "MoveCodeRequest", 200,
         "MovedLearner"),
        ("patch", "/api/learners/{learner_id}", "renameLearner", "Rename a learner (admin)",
         [learner], "LearnerRename", 200, "RosterItem"),
        ("delete", "/api/learners/{learner_id}", "deleteLearner",
         "Delete a learner and their history (admin)", [learner], None, 200, "LearnerDeleted"),
        ("post", "/api/learners/{learner_id}/transfer_code", "issueMoveCode",
         "A recovery move code for a learner (admin)", [learner], None, 201, "MoveCode"),
        ("get", "/api/groups/{group_id}/class", "classProgress",
         "Each learner's progress on a group (admin; format=csv for a download)",
         [group, page, *sorting(CLASS_SORTS), output], None, 200, "ClassView"),
    ]  # fmt: skip


# Routes that never ask who the learner is (so never answer 401 for a learner).
_NO_LEARNER = {
    "/health",
    "/api/openapi.json",
    "/api/groups",
    "/api/groups/{group_id}",
    "/api/study_activities/{activity_id}",
    "/api/learners/transfer",
}


def learner_error_statuses(method: str, path: str) -> set[int]:
    """What operations may answer because of learner profiles and the admin rule.

    Every route that acts for a learner (or shows a learner's counts) answers 401
    without one, or for a token that is unknown or revoked.
    """
    statuses: set[int] = set()
    never_asks = path in _NO_LEARNER or (method, path) in {
        ("post", "/api/learners"),
        ("get", "/api/study_activities"),
    }
    if not never_asks:
        statuses.add(401)
    if (method, path) in ADMIN_OPERATIONS:
        statuses.update({401, 403})
    if method in ("patch", "delete", "post") and path.startswith("/api/learners"):
        statuses.update({403, 409, 413, 415, 422})
    if path in ("/api/learners", "/api/learners/transfer") and method == "post":
        statuses.add(429)
    if path == "/api/learners/transfer":
        statuses.add(404)
    return statuses
