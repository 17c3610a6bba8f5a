"""Migrating a portal with history to the study engine keeps that history: per-learner
counts come from the existing reviews and every studied word gets its card."""

from __future__ import annotations

import asyncio

from tests.helpers import api_client, cli_on, connect, get
from webapp.migrations import discover

BEFORE_ENGINE = "0005"


async def _migrate_to_just_before_the_engine(url: str) -> None:
    async with connect(url) as conn:
        await conn.execute(
            "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, name TEXT NOT NULL,"
            f" applied_at {'TEXT' if conn.is_sqlite else 'TIMESTAMPTZ'} NOT NULL)"
        )
        for migration in discover(conn.dialect):
            if migration.version >= BEFORE_ENGINE:
                break
            async with conn.transaction():
                await conn.execute_script(migration.statements())
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at)"
                    " VALUES (:v, :n, CURRENT_TIMESTAMP)",
                    {"v": migration.version, "n": migration.name},
                )


async def _old_history(url: str) -> None:
    """Two learners' sessions and reviews, written as the portal before the engine did."""
    async with connect(url) as conn:
        at = "'2026-11-20T09:00:00.000000Z'" if conn.is_sqlite else "'2026-11-20T09:00:00Z'"
        yes, no = ("1", "0") if conn.is_sqlite else ("TRUE", "FALSE")
        statements = [
            f"INSERT INTO learners (id, name, created_at) VALUES (2, 'Second', {at})",
            "INSERT INTO learner_stats (learner_id) VALUES (2)",
            f"INSERT INTO groups (id, name, created_at) VALUES (1, 'Old', {at})",
            f"INSERT INTO study_activities (id, name, activity_type, created_at)"
            f" VALUES (1, 'Flashcards', 'flashcards', {at})",
        ]
        statements += [
            f"INSERT INTO words (id, japanese, kana, romaji, english, created_at)"
            f" VALUES ({i}, 'w{i}', '', 'w', 'word {i}', {at})"
            for i in range(1, 6)
        ]
        statements += [
            f"INSERT INTO words_groups (word_id, group_id) VALUES ({i}, 1)" for i in range(1, 6)
        ]
        statements += [
            f"INSERT INTO study_sessions (id, group_id, study_activity_id, learner_id, created_at)"
            f" VALUES ({sid}, 1, 1, {learner}, {at})"
            for sid, learner in ((1, 1), (2, 2), (3, 2))
        ]
        reviews = [(1, 1, yes), (1, 2, no), (1, 1, no), (2, 1, yes), (2, 3, yes), (3, 3, no)]
        statements += [
            f"INSERT INTO words_review_items (word_id, study_session_id, correct, created_at)"
            f" VALUES ({word}, {sid}, {ok}, {at})"
            for sid, word, ok in reviews
        ]
        await conn.execute_script(statements)
        if not conn.is_sqlite:
            for table in ("learners", "groups", "study_activities", "words", "study_sessions"):
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT MAX(id) FROM {table}))"
                )


async def test_migrating_keeps_the_history_per_learner_and_builds_the_cards(empty_database_url):
    url = empty_database_url
    await _migrate_to_just_before_the_engine(url)
    await _old_history(url)

    run = await asyncio.to_thread(cli_on, url, "migrate")
    assert run.code == 0, run.err
    assert "applied 0005_study_engine" in run.out and "study schedule built: 4 cards" in run.out
    checked = await asyncio.to_thread(cli_on, url, "reschedule", "--check")
    assert checked.code == 0 and "4 cards equal the replay" in checked.out

    async with connect(url) as conn:
        counts = await conn.fetch_all(
            "SELECT learner_id, word_id, correct_count, wrong_count FROM learner_words"
            " ORDER BY learner_id, word_id"
        )
        assert [tuple(r.values()) for r in counts] == [
            (1, 1, 1, 1), (1, 2, 0, 1), (2, 1, 1, 0), (2, 3, 1, 1),
        ]  # fmt: skip
        stats = await conn.fetch_all(
            "SELECT learner_id, correct_count, wrong_count, sessions_count, words_studied,"
            " active_groups FROM learner_stats ORDER BY learner_id"
        )
        assert [tuple(r.values()) for r in stats] == [(1, 1, 2, 1, 2, 1), (2, 2, 1, 2, 2, 1)]

    async with api_client(url) as client:
        word = await get(client, "/api/words/1")
        assert (word["correct_count"], word["wrong_count"]) == (1, 1)
        assert word["schedule"] is not None and word["schedule"]["last_review"].startswith(
            "2026-11-20T09:00:00"
        )
        assert (await get(client, "/api/words/3"))["schedule"] is None, "only learner 2's word"
