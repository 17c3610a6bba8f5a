"""`python -m webapp backup FILE` copies a live SQLite database; migrate keeps a copy first."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from tests.helpers import run_cli
from webapp import migrations
from webapp.db import Database, sqlite_path
from webapp.services import reviews, study

from .checks import assert_counters_equal_recount


async def count_reviews(url: str) -> int:
    database = Database(url)
    await database.connect()
    try:
        async with database.connection() as conn:
            return int(await conn.fetch_val("SELECT COUNT(*) FROM words_review_items"))
    finally:
        await database.disconnect()


async def test_backup_of_a_database_being_written_is_whole_and_consistent(
    backend, database_url, conn, tmp_path
):
    target = tmp_path / "copies" / "portal-backup.db"
    if backend != "sqlite":
        refused = await asyncio.to_thread(run_cli, "backup", str(target), database_url=database_url)
        assert refused.code == 1
        assert "pg_dump" in refused.err and "export" in refused.err
        assert not target.exists()
        return

    session = await study.launch_session(conn, learner_id=1, group_id=1, activity_id=1)
    stop = asyncio.Event()

    async def keep_reviewing() -> int:
        written = 0
        while not stop.is_set():
            await reviews.record_review(
                conn,
                learner_id=1,
                session_id=session["id"],
                word_id=1 + written % 30,
                correct=written % 2 == 0,
            )
            written += 1
            await asyncio.sleep(0)
        return written

    writer = asyncio.create_task(keep_reviewing())
    await asyncio.sleep(0.2)
    result = await asyncio.to_thread(run_cli, "backup", str(target), database_url=database_url)
    stop.set()
    written = await writer
    assert result.code == 0, result.err
    assert "✓ backed up" in result.out

    copy_url = f"sqlite:///{target}"
    copied = await count_reviews(copy_url)
    assert 0 < copied <= written
    copy = Database(copy_url)
    await copy.connect()
    try:
        async with copy.connection() as copy_conn:
            assert await copy_conn.fetch_val("PRAGMA integrity_check") == "ok"
            await assert_counters_equal_recount(copy_conn)
            shown = await copy_conn.fetch_val(
                "SELECT correct_count + wrong_count FROM study_sessions WHERE id = :id",
                {"id": session["id"]},
            )
            assert shown == copied
    finally:
        await copy.disconnect()

    same = await asyncio.to_thread(
        run_cli, "backup", str(sqlite_path(database_url)), database_url=database_url
    )
    assert same.code == 1 and "must not be the database itself" in same.err


def _next_version() -> int:
    """The version the next real migration would take."""
    return 1 + max(int(path.name[:4]) for path in migrations.MIGRATIONS_DIR.glob("*.sql"))


def _migrations_with_extra(folder: Path, extra: int) -> Path:
    folder.mkdir(exist_ok=True)
    for path in migrations.MIGRATIONS_DIR.glob("*.sql"):
        shutil.copyfile(path, folder / path.name)
    for n in range(_next_version(), _next_version() + extra):
        (folder / f"{n:04d}_extra_{n}.sqlite.sql").write_text(
            f"CREATE TABLE extra_{n} (id INTEGER PRIMARY KEY);\n"
        )
    return folder


@pytest.fixture
def pending_migrations(monkeypatch, tmp_path):
    """Pretend the next release brings `extra` new migrations."""
    real = migrations.discover

    def with_extra(extra: int) -> None:
        folder = _migrations_with_extra(tmp_path / f"migrations_{extra}", extra)
        monkeypatch.setattr(migrations, "discover", lambda dialect: real(dialect, folder))

    return with_extra


async def migrate(url: str) -> list:
    database = Database(url)
    await database.connect()
    try:
        async with database.connection() as conn:
            return await migrations.migrate(conn)
    finally:
        await database.disconnect()


async def test_migrate_copies_an_existing_database_first_and_keeps_five(
    templates, pending_migrations
):
    url = await templates.fresh_url("sqlite")
    path = sqlite_path(url)
    backups = path.parent / "backups"
    shutil.rmtree(backups, ignore_errors=True)
    words_before = await _count_words(url)

    pending_migrations(1)
    applied = await migrate(url)
    first = _next_version()
    assert [m.version for m in applied] == [f"{first:04d}"]
    copies = sorted(backups.glob(f"{path.stem}-*-before-{first:04d}.db"))
    assert len(copies) == 1
    # The copy is the database as it was: the words, and not yet the new table.
    assert await _count_words(f"sqlite:///{copies[0]}") == words_before
    assert not await _has_table(f"sqlite:///{copies[0]}", f"extra_{first}")
    assert await _has_table(url, f"extra_{first}")

    assert await migrate(url) == []  # nothing pending: no copy
    assert len(list(backups.glob("*.db"))) == 1

    for extra in range(2, 8):
        pending_migrations(extra)
        await migrate(url)
    kept = sorted(p.name for p in backups.glob("*.db"))
    assert len(kept) == 5
    # each round adds one more migration than the last: the newest five copies stay
    assert [name.rsplit("-before-", 1)[1] for name in kept] == [
        f"{first + n:04d}.db" for n in range(2, 7)
    ]


async def test_migrate_of_a_new_database_makes_no_copy(templates, pending_migrations):
    url = await templates.fresh_url("sqlite", empty=True)
    pending_migrations(1)
    assert len(await migrate(url)) == _next_version()  # every real one, plus the extra
    assert not (sqlite_path(url).parent / "backups").exists() or not list(
        (sqlite_path(url).parent / "backups").glob(f"{sqlite_path(url).stem}-*")
    )


async def _count_words(url: str) -> int:
    database = Database(url)
    await database.connect()
    try:
        async with database.connection() as conn:
            return int(await conn.fetch_val("SELECT COUNT(*) FROM words"))
    finally:
        await database.disconnect()


async def _has_table(url: str, name: str) -> bool:
    database = Database(url)
    await database.connect()
    try:
        async with database.connection() as conn:
            found = await conn.fetch_val(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :n",
                {"n": name},
            )
            return bool(found)
    finally:
        await database.disconnect()
