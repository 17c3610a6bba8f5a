"""`python -m webapp`: help, migrate, seed and reset, run as an operator runs them
(a subprocess with DATABASE_URL), on both databases. Each run costs about a
second, so each test does one flow and checks what the operator would see."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.helpers import (
    all_items,
    api_client,
    assert_clear_failure,
    cli_on,
    connect,
    flashcards_id,
    get,
    group_id_by_name,
    launch,
    migrate_in_process,
    review,
    seed_facts,
    total_items,
)

COMMANDS = ("init", "migrate", "seed", "reset", "import-seed-db")


async def _schema(database_url: str) -> dict[str, Any]:
    """Tables, columns, indexes and the migrations recorded, as the database reports them."""
    async with connect(database_url) as conn:
        if conn.is_sqlite:
            objects = await conn.fetch_all(
                "SELECT type, name, tbl_name, sql FROM sqlite_master"
                " WHERE substr(name, 1, 7) <> 'sqlite_' ORDER BY type, name"
            )
        else:
            objects = await conn.fetch_all(
                "SELECT table_name, column_name, data_type, is_nullable, column_default"
                " FROM information_schema.columns WHERE table_schema = 'public'"
                " ORDER BY table_name, column_name"
            ) + await conn.fetch_all(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
                " ORDER BY indexname"
            )
        migrations = await conn.fetch_all(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
        )
    return {"objects": objects, "migrations": migrations}


async def _content(database_url: str) -> dict[str, Any]:
    async with api_client(database_url) as client:
        return {
            "words": await all_items(client, "/api/words"),
            "groups": await all_items(client, "/api/groups"),
            "activities": await all_items(client, "/api/study_activities"),
            "sessions": await total_items(client, "/api/study_sessions"),
        }


def test_help_lists_every_command(tmp_path):
    run = cli_on(f"sqlite:///{tmp_path / 'unused.db'}", "--help")
    assert run.code == 0, run.err
    for command in COMMANDS:
        assert command in run.out, command
    assert not (tmp_path / "unused.db").exists()


async def test_migrate_twice_the_second_run_applies_nothing(empty_database_url):
    first = cli_on(empty_database_url, "migrate")
    assert first.code == 0, first.err
    assert "applied 0001" in first.out
    schema = await _schema(empty_database_url)
    assert schema["migrations"], "migrate recorded nothing"

    second = cli_on(empty_database_url, "migrate")
    assert second.code == 0, second.err
    assert "applied 0001" not in second.out
    assert "(0 applied" in second.out
    assert await _schema(empty_database_url) == schema


async def test_seed_twice_the_second_run_changes_nothing(empty_database_url):
    facts = seed_facts()
    await migrate_in_process(empty_database_url)  # `migrate` has its own test
    first = cli_on(empty_database_url, "seed")
    assert first.code == 0, first.err
    for figure in (facts.word_count, len(facts.group_names), facts.membership_count):
        assert str(figure) in first.out, (figure, first.out)
    seeded = await _content(empty_database_url)
    assert len(seeded["words"]) == facts.word_count
    assert {g["name"]: g["word_count"] for g in seeded["groups"]} == {
        name: len(keys) for name, keys in facts.group_words.items()
    }

    second = cli_on(empty_database_url, "seed")
    assert second.code == 0, second.err
    assert "nothing changed" in second.out
    assert await _content(empty_database_url) == seeded


async def _study(database_url: str) -> int:
    async with api_client(database_url) as client:
        group = await group_id_by_name(client, seed_facts().group_names[0])
        words = (await get(client, f"/api/groups/{group}/words"))["items"][:2]
        session = await launch(client, group, await flashcards_id(client))
        for word in words:
            await review(client, session["id"], word["id"], True)
        return session["id"]


async def test_reset_deletes_history_and_keeps_content(database_url):
    before = await _content(database_url)
    await _study(database_url)
    run = cli_on(database_url, "reset")
    assert run.code == 0, run.err
    assert "reset" in run.out
    after = await _content(database_url)
    assert after == before
    assert after["sessions"] == 0


async def test_reset_full_goes_back_to_the_seeded_state(database_url):
    seeded = await _content(database_url)
    await _study(database_url)
    async with connect(database_url) as conn:
        await conn.execute(
            "INSERT INTO groups (name, created_at) VALUES ('Authored', :now)",
            {"now": conn.timestamp(datetime.now(UTC))},
        )
    run = cli_on(database_url, "reset", "--full")
    assert run.code == 0, run.err
    after = await _content(database_url)

    def without_created_at(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in g.items() if k != "created_at"} for g in groups]

    assert without_created_at(after.pop("groups")) == without_created_at(seeded.pop("groups"))
    assert after == seeded
    assert await _study(database_url) == 1


@pytest.mark.parametrize(
    "url, fragments",
    [
        ("postgresql://postgres@127.0.0.1:1/x", ("postgresql", "127.0.0.1:1")),
        ("mysql://root@127.0.0.1/x", ("DATABASE_URL",)),
    ],
)
def test_an_unusable_database_url_fails_clearly(url, fragments):
    assert_clear_failure(cli_on(url, "migrate"), *fragments)
