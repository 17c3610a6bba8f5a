"""Helpers shared by the API, CLI and data tests.

Expectations come from the seed files (read here, independently of the app's
seeding code) or from what a test did itself; nothing here mirrors the SQL.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from webapp import create_app
from webapp.db import Conn, Database
from webapp.queries.stats import fetch_counter_snapshot, recount_all

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PAGE_SIZE = 100
# The API's timestamps: ISO-8601 in UTC with a Z.
ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
TEST_CONFIG = {"SECRET_KEY": "test-secret-key", "TESTING": True}

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


# --- the seed files, read on their own --------------------------------------


@dataclass
class SeedFacts:
    """What seeding must produce, counted from seeds/ by the tests themselves."""

    group_names: list[str]
    # group name -> {(japanese, romaji)} (a word listed twice in a file is one word)
    group_words: dict[str, set[tuple[str, str]]]
    # (japanese, romaji) -> the first entry of that word in the files
    words: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    activities: list[dict[str, Any]] = field(default_factory=list)

    @property
    def word_count(self) -> int:
        return len(self.words)

    @property
    def membership_count(self) -> int:
        return sum(len(keys) for keys in self.group_words.values())

    def groups_of(self, key: tuple[str, str]) -> set[str]:
        return {name for name, keys in self.group_words.items() if key in keys}


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def seed_facts() -> SeedFacts:
    manifest = _read(SEEDS / "manifest.json")
    facts = SeedFacts(group_names=[], group_words={})
    for entry in manifest["groups"]:
        keys: set[tuple[str, str]] = set()
        for word in _read(SEEDS / entry["file"]):
            key = (word["kanji"], word["romaji"])
            keys.add(key)
            facts.words.setdefault(key, word)
        facts.group_names.append(entry["name"])
        facts.group_words[entry["name"]] = keys
    facts.activities = _read(SEEDS / manifest.get("activities", "activities.json"))
    return facts


def word_key(item: dict[str, Any]) -> tuple[str, str]:
    return (item["japanese"], item["romaji"])


# --- HTTP -------------------------------------------------------------------


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


# --- apps on a database of the test's choosing ---------------------------------


@asynccontextmanager
async def api_client(database_url: str, **config: Any) -> AsyncIterator[Any]:
    """A test client of an app on `database_url` with extra settings."""
    app = create_app({"DATABASE_URL": database_url, **TEST_CONFIG, **config})
    async with app.test_app() as running:
        yield running.test_client()


@asynccontextmanager
async def connect(database_url: str) -> AsyncIterator[Conn]:
    database = Database(database_url)
    await database.connect()
    try:
        async with database.connection() as conn:
            yield conn
    finally:
        await database.disconnect()


# --- behind the API -------------------------------------------------------------


async def insert_session(conn: Conn, group_id: int, activity_id: int, when: datetime) -> int:
    """A session at a chosen time (the API has no way to backdate).

    Callers run `recount_all` afterwards so the maintained counters stay right.
    """
    return int(
        await conn.fetch_val(
            "INSERT INTO study_sessions (group_id, study_activity_id, learner_id, created_at)"
            " VALUES (:group_id, :activity_id, 1, :created_at) RETURNING id",
            {
                "group_id": group_id,
                "activity_id": activity_id,
                "created_at": conn.timestamp(when),
            },
        )
    )


async def insert_sessions(
    conn: Conn, group_id: int, activity_id: int, times: Iterable[datetime]
) -> list[int]:
    async with conn.transaction():
        ids = [await insert_session(conn, group_id, activity_id, when) for when in times]
        await recount_all(conn)
    return ids


class _RollBack(Exception):
    pass


def _comparable(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Rows as plain tuples, timestamps as instants (drivers differ in types)."""
    from webapp.db import parse_timestamp

    def value(v: Any) -> Any:
        if isinstance(v, datetime | str) and v is not None:
            try:
                return parse_timestamp(v)
            except ValueError:
                return v
        return int(v) if isinstance(v, bool) else v

    return {
        table: [tuple(value(v) for v in row.values()) for row in rows]
        for table, rows in snapshot.items()
    }


async def counters_and_recount(conn: Conn) -> tuple[dict[str, Any], dict[str, Any]]:
    """The maintained counters, and what a recount from raw rows makes of them.

    The recount runs in a transaction that is rolled back, so the database is
    left exactly as the API made it.
    """
    kept = _comparable(await fetch_counter_snapshot(conn))
    recounted: dict[str, Any] = {}
    try:
        async with conn.transaction():
            await recount_all(conn)
            recounted = _comparable(await fetch_counter_snapshot(conn))
            raise _RollBack
    except _RollBack:
        pass
    assert _comparable(await fetch_counter_snapshot(conn)) == kept, "the recount was not undone"
    return kept, recounted


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
