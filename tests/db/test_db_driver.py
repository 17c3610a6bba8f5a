"""What webapp/db.py relies on in its drivers, and "rows changed" on both databases.

db.py uses a few private parts of `databases` and `aiosqlite` (each in one named
function, saying why): these tests exercise exactly those parts, so an upgrade that
renames or changes them fails here, by name, instead of somewhere in a request.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from tests.helpers import insert_session
from webapp import db as portal_db
from webapp.db import Conn, Database
from webapp.queries.cards import learner_lock_key
from webapp.services import DEFAULT_LEARNER_ID


async def test_rows_changed_means_the_same_on_both_databases(conn: Conn) -> None:
    assert await conn.execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY, n INTEGER)") == 0
    assert await conn.execute("INSERT INTO scratch (id, n) VALUES (1, 1), (2, 2), (3, 3)") == 3
    assert await conn.execute("INSERT INTO scratch (id, n) SELECT id + 10, n FROM scratch") == 3
    assert await conn.execute("UPDATE scratch SET n = n + 1 WHERE n >= 2") == 4
    assert await conn.execute("UPDATE scratch SET n = 0 WHERE id = :id", {"id": 99}) == 0
    assert await conn.execute("DELETE FROM scratch WHERE id > :id", {"id": 10}) == 3
    assert await conn.execute("SELECT n FROM scratch") == 0  # reads change nothing
    assert await conn.fetch_val("SELECT COUNT(*) FROM scratch") == 3


async def test_rows_changed_leaves_out_what_triggers_changed(conn: Conn) -> None:
    """Recording a review also updates counters (a trigger): one row changed, not more."""
    word = await conn.fetch_val("SELECT MIN(word_id) FROM words_groups")
    group = await conn.fetch_val(
        "SELECT group_id FROM words_groups WHERE word_id = :w", {"w": word}
    )
    activity = await conn.fetch_val("SELECT MIN(id) FROM study_activities")
    session = await insert_session(conn, group, activity, datetime(2026, 1, 5, 9, tzinfo=UTC))
    changed = await conn.execute(
        "INSERT INTO words_review_items (word_id, study_session_id, correct, created_at)"
        " VALUES (:word, :session, :correct, :at)",
        {
            "word": word,
            "session": session,
            "correct": True,
            "at": conn.timestamp(datetime(2026, 1, 5, 9, 1, tzinfo=UTC)),
        },
    )
    assert changed == 1


async def test_each_acquired_connection_is_its_own_even_in_one_task(database_url: str) -> None:
    """`databases` keys its public connection() by task; the pool needs one per request."""
    database = Database(database_url)
    await database.connect()
    try:
        first, second = await database.acquire(), await database.acquire()
        try:
            assert first.driver_connection is not second.driver_connection
            async with first.transaction():
                await first.execute("CREATE TABLE only_in_first (x INTEGER)")
                assert await second.fetch_val("SELECT 1") == 1
            assert await second.fetch_val("SELECT COUNT(*) FROM only_in_first") == 0
        finally:
            await database.release(first, reusable=False)
            await database.release(second, reusable=False)
    finally:
        await database.disconnect()


async def test_a_connection_released_mid_transaction_hands_on_nothing(database_url: str) -> None:
    """A request that dies mid-write (cancelled, a failed COMMIT) leaves no open
    transaction behind: whichever connection the next requests get, none sees the
    write, none is still inside it.  (On PostgreSQL asyncpg rolls back on release;
    the portal skips only its session-state reset query.)"""
    database = Database(database_url)
    await database.connect()
    try:
        async with database.connection() as setup:
            await setup.execute("CREATE TABLE half_written (x INTEGER)")
        dying = await database.acquire()
        await dying.driver_connection.execute("BEGIN")
        await dying.driver_connection.execute("INSERT INTO half_written VALUES (1)")
        await database.release(dying)
        held = [await database.acquire() for _ in range(10)]  # the whole pool
        try:
            for conn in held:
                assert await conn.fetch_val("SELECT COUNT(*) FROM half_written WHERE x = 1") == 0
                async with conn.transaction():  # a new transaction starts cleanly
                    await conn.execute("INSERT INTO half_written VALUES (2)")
        finally:
            for conn in held:
                await database.release(conn)
        async with database.connection() as check:
            assert await check.fetch_val("SELECT COUNT(*) FROM half_written") == 10
    finally:
        await database.disconnect()


@asynccontextmanager
async def two_workers(url: str, table: str) -> AsyncIterator[tuple[Database, Database]]:
    """Two Database objects on one database, as two worker processes have, with
    `table` (one scratch table) created first."""
    first, second = Database(url), Database(url)
    await first.connect()
    await second.connect()
    try:
        async with first.connection() as setup:
            await setup.execute(f"CREATE TABLE {table}")
        yield first, second
    finally:
        await first.disconnect()
        await second.disconnect()


async def test_sqlite_writers_of_two_processes_take_turns_and_an_outside_writer_still_counts(
    tmp_path: Path,
) -> None:
    """Two portal processes (two Database objects: each has its own turn file handle)
    write the same file at once and every write lands; a writer that takes no turn
    (here plain sqlite3, as another tool would) still holds the portal's writers off
    until it commits, since SQLite's lock decides, the turn only saves retries."""
    url = f"sqlite:///{tmp_path / 'turns.db'}"
    async with two_workers(url, "tally (who TEXT, n INTEGER)") as (first, second):

        async def write(database: Database, who: str) -> None:
            for n in range(40):
                async with database.connection() as conn, conn.transaction():
                    await conn.execute("INSERT INTO tally VALUES (:who, :n)", {"who": who, "n": n})

        outside = sqlite3.connect(tmp_path / "turns.db", isolation_level=None)
        outside.execute("BEGIN IMMEDIATE")
        outside.execute("INSERT INTO tally VALUES ('outside', 0)")
        writers = asyncio.gather(write(first, "first"), write(second, "second"))
        await asyncio.sleep(0.2)
        async with first.connection() as check:  # the portal has written nothing yet
            assert await check.fetch_val("SELECT COUNT(*) FROM tally") == 0
        outside.execute("COMMIT")
        outside.close()
        await asyncio.wait_for(writers, 30)
        async with first.connection() as check:
            rows = await check.fetch_all("SELECT who, COUNT(*) AS n FROM tally GROUP BY who")
        assert {row["who"]: row["n"] for row in rows} == {"outside": 1, "first": 40, "second": 40}


async def test_a_learners_lock_holds_off_their_next_writer_even_inside_an_outer_transaction(
    database_url: str,
) -> None:
    """`transaction(advisory_lock=…)` joined to a transaction already open still takes
    the lock: a second writer of the same learner (another worker's connection)
    starts only after the first commits, and then sees its write."""
    key = learner_lock_key(DEFAULT_LEARNER_ID)
    async with two_workers(database_url, "answered (n INTEGER)") as (first, second):
        seen: list[int] = []

        async def next_writer() -> None:
            async with second.connection() as conn, conn.transaction(advisory_lock=key):
                seen.append(await conn.fetch_val("SELECT COUNT(*) FROM answered"))
                await conn.execute("INSERT INTO answered VALUES (2)")

        async with (
            first.connection() as conn,
            conn.transaction(),
            conn.transaction(advisory_lock=key),  # joins the outer one
        ):
            await conn.execute("INSERT INTO answered VALUES (1)")
            waiting = asyncio.create_task(next_writer())
            await asyncio.sleep(0.3)
            assert not waiting.done() and seen == []  # held off until COMMIT
        await asyncio.wait_for(waiting, 15)
        assert seen == [1]


async def test_sqlite_work_runs_on_aiosqlites_thread_with_its_connection(tmp_path: Path) -> None:
    """The one-job hop db.py uses for every SQLite statement (private in aiosqlite)."""
    async with aiosqlite.connect(tmp_path / "probe.db") as driver:
        await driver.execute("CREATE TEMP TABLE probe (x INTEGER)")  # this connection only
        await driver.execute("INSERT INTO probe VALUES (7)")

        def work(connection: sqlite3.Connection) -> tuple[int, int]:
            row = connection.execute("SELECT x FROM temp.probe").fetchone()
            return threading.get_ident(), row[0]

        thread, value = await portal_db._on_sqlite_thread(driver, work)
    assert value == 7
    assert thread != threading.get_ident(), "the work ran on the event loop's thread"
