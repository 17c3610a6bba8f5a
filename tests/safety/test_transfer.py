"""`python -m webapp export` / `import`: a portal moves between databases without a difference.

SQLite → the test's backend (PostgreSQL in CI) → SQLite again: every listing
and figure of the API is the same at each stop, and the second export is the
first one byte for byte apart from its `exported_at`.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from pathlib import Path
from typing import Any

from tests.helpers import build_app, run_cli
from webapp.db import Database
from webapp.services import reviews, study


async def make_history(url: str) -> None:
    """Sessions on several groups with reviews, and a learner time zone, written as users do."""
    database = Database(url)
    await database.connect()
    try:
        async with database.connection() as conn:
            await conn.execute("UPDATE learners SET timezone = 'Asia/Tokyo' WHERE id = 1")
            for n in range(12):
                session = await study.launch_session(
                    conn, learner_id=1, group_id=1 + n % 4, activity_id=1
                )
                for k in range(n % 5 + 1):
                    await reviews.record_review(
                        conn, learner_id=1, session_id=session["id"], word_id=1 + (n * 7 + k) % 60,
                        correct=(n + k) % 3 != 0,
                    )  # fmt: skip
    finally:
        await database.disconnect()


async def api_answers(url: str) -> dict[str, Any]:
    """Every listing and figure a user can see through the API."""
    app = build_app({"DATABASE_URL": url})
    answers: dict[str, Any] = {}
    async with app.test_app() as test_app:
        client = test_app.test_client()

        async def get(path: str) -> Any:
            response = await client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return await response.get_json()

        async def every(path: str) -> list[Any]:
            items, page = [], 1
            while True:
                sep = "&" if "?" in path else "?"
                body = await get(f"{path}{sep}page={page}")
                items += body["items"]
                if page >= body["pagination"]["total_pages"]:
                    return items
                page += 1

        answers["words"] = await every("/api/words")
        answers["due"] = await get("/api/dashboard/due?tz=Asia/Tokyo")
        answers["schedules"] = [
            {k: v for k, v in ((await get(f"/api/words/{w}"))["schedule"] or {}).items()
             if k != "retrievability"}  # computed at the time of asking
            for w in range(1, 61)
        ]  # fmt: skip
        answers["words_by_wrong"] = await every("/api/words?sort=wrong_count&order=desc")
        answers["groups"] = await every("/api/groups")
        for group in answers["groups"]:
            answers[f"group {group['id']}"] = await get(f"/api/groups/{group['id']}")
            answers[f"group {group['id']} words"] = await every(f"/api/groups/{group['id']}/words")
            answers[f"group {group['id']} sessions"] = await every(
                f"/api/groups/{group['id']}/study_sessions"
            )
        answers["sessions"] = await every("/api/study_sessions")
        for session in answers["sessions"]:
            answers[f"session {session['id']} words"] = await every(
                f"/api/study_sessions/{session['id']}/words"
            )
        answers["activities"] = await every("/api/study_activities")
        answers["word 1"] = await get("/api/words/1")
        last = await client.get("/api/dashboard/last_study_session")  # 404 before any session
        answers["last_study_session"] = (last.status_code, await last.get_json())
        for name in ("study_progress", "quick_stats"):
            answers[name] = await get(f"/api/dashboard/{name}")
    return answers


async def summary(url: str) -> dict[str, Any]:
    """A quick look: first pages, totals and the dashboard."""
    app = build_app({"DATABASE_URL": url})
    async with app.test_app() as test_app:
        client = test_app.test_client()
        paths = ("/api/words", "/api/groups", "/api/study_sessions", "/api/groups/1/words",
                 "/api/dashboard/study_progress", "/api/dashboard/quick_stats")  # fmt: skip
        return {path: await (await client.get(path)).get_json() for path in paths}


def without_exported_at(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["format"] == "lang-portal-export" and header["version"] == 1
    assert header["exported_at"].endswith("Z")
    del header["exported_at"]
    return [json.dumps(header, sort_keys=True), *lines[1:]]


def cli(*args: str, url: str) -> str:
    result = run_cli(*args, database_url=url)
    assert result.code == 0, result.err + result.out
    return result.out


async def test_sqlite_to_backend_to_sqlite_changes_nothing(backend, templates, tmp_path):
    source = await templates.fresh_url("sqlite")
    middle = await templates.fresh_url(backend, empty=True)
    final = await templates.fresh_url("sqlite", empty=True)
    await make_history(source)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"

    out = await asyncio.to_thread(cli, "export", str(first), url=source)
    assert "words_review_items" in out and "✓ exported" in out
    await asyncio.to_thread(cli, "migrate", url=middle)
    out = await asyncio.to_thread(cli, "import", str(first), url=middle)
    assert "✓ imported" in out and "recounting" in out
    await asyncio.to_thread(cli, "export", str(second), url=middle)
    await asyncio.to_thread(cli, "migrate", url=final)
    await asyncio.to_thread(cli, "import", str(second), url=final)

    original = await api_answers(source)
    assert original["quick_stats"]["total_study_sessions"] == 12
    assert original["last_study_session"][0] == 200
    assert await api_answers(middle) == original
    assert await api_answers(final) == original
    # the import rebuilt the study cards from the history
    for url in (middle, final):
        checked = await asyncio.to_thread(cli, "reschedule", "--check", url=url)
        assert "cards equal the replay" in checked and not checked.startswith("0 cards")
    assert without_exported_at(second) == without_exported_at(first)
    header = json.loads(first.read_text(encoding="utf-8").splitlines()[0])
    assert header["counts"]["study_sessions"] == 12
    assert header["counts"]["words_review_items"] == sum(n % 5 + 1 for n in range(12))

    # New rows after an import get fresh ids (PostgreSQL's sequences were moved on).
    app = build_app({"DATABASE_URL": middle})
    async with app.test_app() as test_app:
        client = test_app.test_client()
        launched = await client.post(
            "/api/study_sessions", json={"group_id": 2, "study_activity_id": 1}
        )
        assert launched.status_code == 201
        assert (await launched.get_json())["id"] == 13


async def test_import_refuses_to_mix_and_keeps_the_target_on_a_bad_file(database_url, tmp_path):
    export = tmp_path / "portal.jsonl.gz"
    await asyncio.to_thread(cli, "export", str(export), url=database_url)
    before = await summary(database_url)

    refused = await asyncio.to_thread(run_cli, "import", str(export), database_url=database_url)
    assert refused.code == 1
    assert "--replace" in refused.err and "Traceback" not in refused.err

    lines = (await asyncio.to_thread(_gunzip_lines, export))[:-40]
    truncated = tmp_path / "truncated.jsonl"
    truncated.write_text("\n".join(lines) + "\n", encoding="utf-8")
    broken = await asyncio.to_thread(
        run_cli, "import", "--replace", str(truncated), database_url=database_url
    )
    assert broken.code == 1 and "ends early" in broken.err, broken.err
    assert await summary(database_url) == before

    other = tmp_path / "other.jsonl"
    other.write_text('{"hello": "world"}\n', encoding="utf-8")
    wrong = await asyncio.to_thread(run_cli, "import", str(other), database_url=database_url)
    assert wrong.code == 1 and "not a Lang Portal export" in wrong.err

    replaced = await asyncio.to_thread(
        run_cli, "import", "--replace", str(export), database_url=database_url
    )
    assert replaced.code == 0, replaced.err
    assert await summary(database_url) == before


def _gunzip_lines(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as source:
        return source.read().splitlines()
