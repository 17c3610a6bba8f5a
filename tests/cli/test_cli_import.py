"""`python -m webapp import-seed-db`: a prototype database (the seed app's schema)
comes across with its ids, counts, timestamps and streak; bad sources and a
non-empty target fail with one clear line and change nothing."""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from tests.helpers import (
    all_items,
    api_client,
    assert_clear_failure,
    build_prototype_db,
    cli_on,
    get,
    migrate_in_process,
    post,
    prototype_time_as_api,
    seed_facts,
    total_items,
)


def _expected(path: Path) -> dict[str, Any]:
    """What the API must show after importing `path`, read straight from the file."""
    source = sqlite3.connect(path)
    try:
        words = {
            row[0]: {"japanese": row[1], "romaji": row[2], "english": row[3]}
            for row in source.execute("SELECT id, japanese, romaji, english FROM words")
        }
        for word_id, correct, wrong in source.execute(
            "SELECT word_id, SUM(CASE WHEN correct THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN correct THEN 0 ELSE 1 END) FROM words_review_items GROUP BY word_id"
        ):
            words[word_id].update(correct_count=correct, wrong_count=wrong)
        for word in words.values():
            word.setdefault("correct_count", 0)
            word.setdefault("wrong_count", 0)
        group_sizes = Counter(g for (g,) in source.execute("SELECT group_id FROM words_groups"))
        groups = {
            group_id: {"name": name, "word_count": group_sizes[group_id]}
            for group_id, name in source.execute("SELECT id, name FROM groups")
        }
        review_times: dict[int, list[str]] = defaultdict(list)
        for session_id, created in source.execute(
            "SELECT study_session_id, created_at FROM words_review_items"
        ):
            review_times[session_id].append(prototype_time_as_api(created))
        sessions = {
            session_id: {
                "group_id": group_id,
                "study_activity_id": activity_id,
                "start_time": prototype_time_as_api(created),
                "review_items_count": len(review_times[session_id]),
                "end_time": max(review_times[session_id], default=None),
            }
            for session_id, group_id, activity_id, created in source.execute(
                "SELECT id, group_id, study_activity_id, created_at FROM study_sessions"
            )
        }
        activities = dict(source.execute("SELECT id, name FROM study_activities").fetchall())
        max_review = source.execute("SELECT MAX(id) FROM words_review_items").fetchone()[0]
    finally:
        source.close()
    return {
        "words": words,
        "groups": groups,
        "sessions": sessions,
        "activities": activities,
        "max_review": max_review,
    }


def _pick(item: dict[str, Any], keys: Any) -> dict[str, Any]:
    return {key: item[key] for key in keys}


async def test_import_into_an_empty_database_keeps_everything(empty_database_url, tmp_path):
    source = tmp_path / "words.db"
    build_prototype_db(source, words=300, groups=6, sessions=40, reviews=2000, streak=5)
    expected = _expected(source)
    await migrate_in_process(empty_database_url)

    run = cli_on(empty_database_url, "import-seed-db", str(source))
    assert run.code == 0, run.err
    assert "2,000" in run.out or "2000" in run.out
    assert "rebuilding the study schedule" in run.out
    checked = cli_on(empty_database_url, "reschedule", "--check")
    assert checked.code == 0, checked.err
    studied = sum(1 for w in expected["words"].values() if w["correct_count"] + w["wrong_count"])
    assert f"{studied:,} cards equal the replay" in checked.out

    async with api_client(empty_database_url) as client:
        words = await all_items(client, "/api/words")
        assert {w["id"]: _pick(w, expected["words"][1]) for w in words} == expected["words"]
        groups = await all_items(client, "/api/groups")
        assert {g["id"]: _pick(g, ("name", "word_count")) for g in groups} == expected["groups"]
        for group_id, group in expected["groups"].items():
            assert await total_items(client, f"/api/groups/{group_id}/words") == group["word_count"]

        sessions = await all_items(client, "/api/study_sessions")
        keys = expected["sessions"][1].keys()
        assert {s["id"]: _pick(s, keys) for s in sessions} == expected["sessions"]
        assert all(s["start_time"].endswith("Z") for s in sessions)

        stats = await get(client, "/api/dashboard/quick_stats?tz=UTC")
        assert stats["study_streak_days"] == 5
        assert stats["total_study_sessions"] == 40
        correct = sum(w["correct_count"] for w in expected["words"].values())
        assert stats["success_rate"] == round(100 * correct / 2000, 1)

        activities = await all_items(client, "/api/study_activities")
        names = {a["id"]: a["name"] for a in activities}
        assert expected["activities"].items() <= names.items()
        flashcards = [a for a in activities if a["activity_type"] == "flashcards"]
        assert [a["name"] for a in flashcards] == ["Flashcards"]

        # sequences moved past the imported ids
        group_id = next(iter(expected["groups"]))
        session = await post(
            client,
            "/api/study_sessions",
            {"group_id": group_id, "study_activity_id": flashcards[0]["id"]},
            status=201,
        )
        assert session["id"] > max(expected["sessions"])
        word_id = next(iter(expected["words"]))
        answer = await post(
            client,
            f"/api/study_sessions/{session['id']}/words/{word_id}/review",
            {"correct": True},
            status=201,
        )
        assert answer["id"] > expected["max_review"]


async def test_import_into_a_non_empty_database_needs_replace(database_url, tmp_path):
    source = tmp_path / "small.db"
    build_prototype_db(source, words=20, groups=3, sessions=6, reviews=30, days=10, streak=2)
    expected = _expected(source)

    refused = cli_on(database_url, "import-seed-db", str(source))
    assert_clear_failure(refused, "--replace")
    async with api_client(database_url) as client:
        assert await total_items(client, "/api/words") == seed_facts().word_count
        assert await total_items(client, "/api/groups") == len(seed_facts().group_names)

    replaced = cli_on(database_url, "import-seed-db", "--replace", str(source))
    assert replaced.code == 0, replaced.err
    async with api_client(database_url) as client:
        words = await all_items(client, "/api/words")
        assert {w["id"] for w in words} == set(expected["words"])
        groups = await all_items(client, "/api/groups")
        assert {g["name"] for g in groups} == {g["name"] for g in expected["groups"].values()}
        assert await total_items(client, "/api/study_sessions") == 6
        activities = await all_items(client, "/api/study_activities")
        assert "flashcards" in {a["activity_type"] for a in activities}


async def test_import_rejects_unusable_sources(database_url, tmp_path):
    text_file = tmp_path / "notes.db"
    text_file.write_text("these are my notes, not a database\n" * 50)
    wrong_schema = tmp_path / "other.db"
    other = sqlite3.connect(wrong_schema)
    other.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
    other.commit()
    other.close()

    assert_clear_failure(cli_on(database_url, "import-seed-db", str(text_file)), "notes.db")
    assert_clear_failure(
        cli_on(database_url, "import-seed-db", str(tmp_path / "missing.db")), "missing.db"
    )
    assert_clear_failure(cli_on(database_url, "import-seed-db", str(wrong_schema)), "words")

    async with api_client(database_url) as client:
        assert await total_items(client, "/api/words") == seed_facts().word_count


async def test_imported_activity_links_that_are_not_web_links_are_shown_as_text(
    empty_database_url, tmp_path
):
    source = tmp_path / "words.db"
    build_prototype_db(source, words=20, groups=2, sessions=4, reviews=20, streak=1)
    with sqlite3.connect(source) as db:
        db.execute(
            "UPDATE study_activities SET launch_url = 'javascript:alert(document.cookie)',"
            " thumbnail_url = 'data:image/svg+xml,<svg onload=alert(1)>' WHERE id = 1"
        )
        db.execute("UPDATE study_activities SET thumbnail_url = '/static/favicon.svg' WHERE id = 2")
    await migrate_in_process(empty_database_url)
    assert cli_on(empty_database_url, "import-seed-db", str(source)).code == 0

    async with api_client(empty_database_url) as client:
        hostile = await get(client, "/api/study_activities/1")
        assert hostile["launch_url"] is None and hostile["thumbnail_url"] is None
        fine = await get(client, "/api/study_activities/2")
        assert fine["launch_url"] == "http://localhost:8081/l"
        assert fine["thumbnail_url"] == "/static/favicon.svg"
        sessions = (await get(client, "/api/study_sessions"))["items"]
        session_id = next(s["id"] for s in sessions if s["study_activity_id"] == 1)
        for path in ("/study_activities", "/study_activities/1", f"/study_sessions/{session_id}"):
            html = await (await client.get(path)).get_data(as_text=True)
            assert 'src="data:' not in html and 'href="javascript:' not in html, path
        page = await (await client.get("/study_activities/1")).get_data(as_text=True)
        assert "<code>javascript:alert(document.cookie)</code>" in page
