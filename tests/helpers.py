"""Helpers shared by the API, CLI and data tests.

Expectations come from the seed files (read here, independently of the app's
seeding code) or from what a test did itself; nothing here mirrors the SQL.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

from quart import Quart
from quart.testing import QuartClient

from webapp import create_app
from webapp.db import Conn, Database
from webapp.queries.stats import fetch_counter_snapshot, recount_all

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PAGE_SIZE = 100
# The API's timestamps: ISO-8601 in UTC with a Z.
ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
# The tests act as the person who started the portal on their own machine (local mode);
# the hosted refusals are tested with LOCAL_MODE=False.
TEST_CONFIG = {"SECRET_KEY": "test-secret-key", "TESTING": True, "LOCAL_MODE": True}
# The test client's requests come from this machine, as a browser at localhost would.
LOOPBACK_CLIENT = ("127.0.0.1", 50000)

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


class LoopbackTestClient(QuartClient):
    """Quart's test client with a loopback peer address.

    Quart's own has no peer at all, which the portal treats like a unix socket
    (a proxy), not like a browser on this machine.  `scope_base` still wins.
    """

    async def open(  # type: ignore[override]
        self, path: str, *, scope_base: dict | None = None, **kwargs: Any
    ) -> Any:
        return await super().open(
            path, scope_base={"client": LOOPBACK_CLIENT, **(scope_base or {})}, **kwargs
        )


def build_app(config: dict[str, Any]) -> Quart:
    """The portal with the test settings (`config` on top), its test client on loopback."""
    app = create_app({**TEST_CONFIG, **config})
    app.test_client_class = LoopbackTestClient
    return app


@asynccontextmanager
async def api_client(database_url: str, **config: Any) -> AsyncIterator[Any]:
    """A test client of an app on `database_url` with extra settings."""
    app = build_app({"DATABASE_URL": database_url, **config})
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


async def migrate_in_process(database_url: str) -> None:
    """The schema without a subprocess (for tests whose subject is another command)."""
    from webapp.migrations import migrate

    async with connect(database_url) as conn:
        await migrate(conn)


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
    """Rows as plain tuples, timestamps as instants (the drivers differ in types)."""

    def value(v: Any) -> Any:
        if isinstance(v, datetime):
            return v.astimezone(UTC)
        if isinstance(v, str):  # SQLite's timestamp text
            return datetime.fromisoformat(v.replace("Z", "+00:00")).astimezone(UTC)
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


# --- the CLI --------------------------------------------------------------------


@dataclass
class CliRun:
    code: int
    out: str
    err: str


def run_cli(*args: str, database_url: str, timeout: float = 300) -> CliRun:
    """`python -m webapp <args>` with DATABASE_URL set, as an operator runs it."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key"}
    done = subprocess.run(
        [sys.executable, "-m", "webapp", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return CliRun(done.returncode, done.stdout, done.stderr)


def cli_on(database_url: str, *args: str, timeout: float = 300) -> CliRun:
    return run_cli(*args, database_url=database_url, timeout=timeout)


def assert_clear_failure(run: CliRun, *fragments: str) -> None:
    """Non-zero, one short message naming the problem, no traceback."""
    assert run.code != 0, (run.out, run.err)
    message = run.err.strip()
    assert message, run.out
    assert "Traceback" not in run.err + run.out, run.err
    assert len(message.splitlines()) == 1, message
    for fragment in fragments:
        assert fragment.lower() in message.lower(), (fragment, message)


# --- databases of the prototype's schema (for import-seed-db) -------------------

PROTOTYPE_SCHEMA = """
CREATE TABLE words (id INTEGER PRIMARY KEY AUTOINCREMENT, japanese TEXT NOT NULL,
    romaji TEXT NOT NULL, english TEXT NOT NULL, parts TEXT NOT NULL);
CREATE TABLE groups (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE);
CREATE TABLE words_groups (id INTEGER PRIMARY KEY AUTOINCREMENT, word_id INTEGER NOT NULL,
    group_id INTEGER NOT NULL, UNIQUE(word_id, group_id));
CREATE TABLE study_activities (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,
    description TEXT, thumbnail_url TEXT, activity_type TEXT NOT NULL, launch_url TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE study_sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, group_id INTEGER NOT NULL,
    study_activity_id INTEGER NOT NULL, created_at DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE words_review_items (id INTEGER PRIMARY KEY AUTOINCREMENT,
    word_id INTEGER NOT NULL, study_session_id INTEGER NOT NULL, correct BOOLEAN NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP);
"""
KANA = [
    ("か", "ka"),
    ("き", "ki"),
    ("さ", "sa"),
    ("し", "shi"),
    ("た", "ta"),
    ("ち", "chi"),
    ("な", "na"),
    ("の", "no"),
    ("ま", "ma"),
    ("み", "mi"),
    ("ら", "ra"),
    ("ん", "n"),
]


def _prototype_time(moment: datetime, style: int) -> str:
    """The forms the prototype's databases hold (SQLAlchemy text, ISO, offsets)."""
    if style == 0:
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy, naive UTC
    if style == 1:
        return moment.strftime("%Y-%m-%dT%H:%M:%S")
    if style == 2:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.astimezone(timezone(timedelta(hours=9))).isoformat()  # +09:00


def build_prototype_db(
    path: Path,
    *,
    words: int = 300,
    groups: int = 6,
    sessions: int = 40,
    reviews: int = 2000,
    days: int = 60,
    streak: int = 5,
    seed: int = 7,
) -> None:
    """A SQLite file of the prototype's schema; the study streak ends today (UTC)
    and is exactly `streak` days long. Activities include no flashcards."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    source = sqlite3.connect(path)
    source.executescript(PROTOTYPE_SCHEMA)
    for word_id in range(1, words + 1):
        morae = [rng.choice(KANA) for _ in range(rng.randint(2, 4))]
        parts = json.dumps([{"kanji": k, "romaji": [r]} for k, r in morae], ensure_ascii=False)
        source.execute(
            "INSERT INTO words VALUES (?, ?, ?, ?, ?)",
            (
                word_id,
                "".join(k for k, _ in morae),
                "".join(r for _, r in morae),
                f"meaning {word_id}",
                parts,
            ),
        )
    members: dict[int, list[int]] = {g: [] for g in range(1, groups + 1)}
    for group_id in members:
        source.execute("INSERT INTO groups VALUES (?, ?)", (group_id, f"Imported group {group_id}"))
    for word_id in range(1, words + 1):
        for group_id in rng.sample(sorted(members), rng.randint(1, 2)):
            members[group_id].append(word_id)
            source.execute(
                "INSERT INTO words_groups (word_id, group_id) VALUES (?, ?)", (word_id, group_id)
            )
    source.executemany(
        "INSERT INTO study_activities VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                1,
                "Typing Tutor",
                "Type the romaji",
                "/t.png",
                "typing",
                "http://localhost:8081/t",
                "2024-01-01 09:00:00",
            ),
            (
                2,
                "Listening Quiz",
                None,
                None,
                "listening",
                "http://localhost:8081/l",
                "2024-01-01 09:00:00",
            ),
        ],
    )
    offsets = list(range(streak)) + [
        rng.randrange(streak + 1, days) for _ in range(sessions - streak)
    ]
    starts = []
    for offset in offsets:
        day = midnight - timedelta(days=offset)
        if offset == 0:  # today, but never in the future
            start = max(midnight, now - timedelta(minutes=rng.randint(1, 30)))
        else:
            start = day + timedelta(seconds=rng.randrange(0, 86_000))
        starts.append(start)
    starts.sort()
    plan = []
    for session_id, start in enumerate(starts, start=1):
        group_id = rng.randint(1, groups)
        plan.append((session_id, group_id, start))
        source.execute(
            "INSERT INTO study_sessions VALUES (?, ?, ?, ?)",
            (
                session_id,
                group_id,
                rng.randint(1, 2),
                _prototype_time(start.replace(tzinfo=UTC), session_id % 4),
            ),
        )
    for review_id in range(1, reviews + 1):
        session_id, group_id, start = plan[(review_id - 1) % len(plan)]
        at = min(start + timedelta(seconds=review_id % 50 + 1), now)
        source.execute(
            "INSERT INTO words_review_items VALUES (?, ?, ?, ?, ?)",
            (
                review_id,
                rng.choice(members[group_id] or [1]),
                session_id,
                1 if rng.random() < 0.7 else 0,
                _prototype_time(at.replace(tzinfo=UTC), review_id % 4),
            ),
        )
    source.commit()
    source.close()


def prototype_time_as_api(text: str) -> str:
    """What the API must show for a prototype timestamp: UTC to the second, with Z."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
