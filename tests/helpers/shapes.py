"""The contract's shapes: what every list page, word and learner session looks like."""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any

PAGE_SIZE = 100
# The API's timestamps: ISO-8601 in UTC with a Z.
ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")

WORD_ITEM_FIELDS = {"id", "japanese", "romaji", "english", "parts", "correct_count", "wrong_count"}
SESSION_ITEM_FIELDS = {
    "id",
    "group_id",
    "group_name",
    "study_activity_id",
    "activity_name",
    "start_time",
    "end_time",
    "review_items_count",
}
ACTIVITY_FIELDS = {"id", "name", "description", "thumbnail_url", "activity_type", "launch_url"}


def parse_api_time(text: str) -> datetime:
    assert ISO_Z.match(text), text
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def assert_page_shape(body: dict[str, Any], *, page: int = 1) -> None:
    pagination = body["pagination"]
    assert set(body) >= {"items", "pagination"}
    assert isinstance(body["items"], list)
    assert pagination["current_page"] == page
    assert pagination["items_per_page"] == PAGE_SIZE
    assert pagination["total_pages"] == math.ceil(pagination["total_items"] / PAGE_SIZE)


def assert_word_item(item: dict[str, Any]) -> None:
    assert set(item) >= WORD_ITEM_FIELDS, item
    assert isinstance(item["id"], int)
    for name in ("japanese", "romaji", "english"):
        assert isinstance(item[name], str) and item[name], item
    for name in ("correct_count", "wrong_count"):
        assert isinstance(item[name], int) and not isinstance(item[name], bool)
        assert item[name] >= 0
    assert isinstance(item["parts"], list)
    for part in item["parts"]:
        assert isinstance(part["kanji"], str)
        assert isinstance(part["romaji"], list)
        assert all(isinstance(r, str) for r in part["romaji"])


def assert_session_item(item: dict[str, Any]) -> None:
    assert set(item) >= SESSION_ITEM_FIELDS, item
    for name in ("id", "group_id", "study_activity_id", "review_items_count"):
        assert isinstance(item[name], int) and not isinstance(item[name], bool), item
    assert isinstance(item["group_name"], str) and item["group_name"]
    assert isinstance(item["activity_name"], str) and item["activity_name"]
    parse_api_time(item["start_time"])
    if item["review_items_count"] == 0:
        assert item["end_time"] is None, item
    else:
        assert parse_api_time(item["end_time"]) >= parse_api_time(item["start_time"])
