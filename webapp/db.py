"""The one place that knows `databases`: connecting, per-connection pragmas,
write transactions, and turning rows into plain dicts.

`databases` 0.9 has no SQLite pool (every connection opens the file in a new
thread) and starts transactions with a deferred BEGIN, so two SQLite writers
that both read first would fail with SQLITE_BUSY that busy_timeout cannot wait
out.  Write transactions here therefore start with BEGIN IMMEDIATE on SQLite.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite
import databases
from databases.core import Connection as _DatabasesConnection

from .writer_turn import WriterTurn

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT = "PRAGMA busy_timeout = 10000"
SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    SQLITE_BUSY_TIMEOUT,
    "PRAGMA synchronous = NORMAL",
)
WRITE_LOCK_WAIT_SECONDS = 10.0
SQLITE_IDLE_CONNECTIONS = 8
ISO_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
STORED_LENGTH = len("2026-11-25T09:14:03.123456Z")


class DatabaseUnavailable(RuntimeError):
    """The database could not be reached or opened; the message says why."""


_clock: Callable[[], datetime] | None = None


def utc_now() -> datetime:
    """The server's clock (aware UTC); every write that stores a time reads it here."""
    return _clock() if _clock is not None else datetime.now(UTC)


def set_clock(clock: Callable[[], datetime] | None) -> None:
    """Replace the server's clock (tests simulate days and weeks with it); None restores it.

    The clock must return aware datetimes; it is process-wide, so only tests and
    the benchmark's simulations set it.
    """
    global _clock
    _clock = clock


def format_timestamp(value: datetime) -> str:
    """The stored SQLite text form: fixed width, so text order is time order."""
    return value.astimezone(UTC).strftime(ISO_FORMAT)


def parse_timestamp(value: str | datetime) -> datetime:
    """Read a stored or imported timestamp (naive means UTC)."""
    if isinstance(value, datetime):
        parsed = value
    else:
        text = value.strip().replace(" ", "T", 1)
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def to_api_timestamp(value: str | datetime | None) -> str | None:
    """ISO-8601 in UTC with a Z, to the second, as the API sends it."""
    if value is None:
        return None
    if isinstance(value, str) and len(value) == STORED_LENGTH and value[10] == "T":
        return value[:19] + "Z"  # already UTC in the stored fixed-width form
    return parse_timestamp(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def sqlite_path(url: str) -> Path:
    return Path(url[len("sqlite:///") :])


# --- the private parts of `databases` and `aiosqlite` used here, one function each ---
# Each says why no public call does; tests/db/test_db_driver.py fails loudly when an
# upgrade changes them.


def _new_databases_connection(db: databases.Database) -> _DatabasesConnection:
    """A `databases` connection of its own (opened and closed by the caller).

    `Database.connection()`, the public way, hands every caller in one asyncio task
    the same connection; the SQLite pool below passes connections from request to
    request (task to task) and needs one per request, which only the constructor
    gives, and it takes the private `Database._backend`.
    """
    return _DatabasesConnection(db, db._backend)


async def _keep_postgres_session(connection: Any) -> None:
    """asyncpg's pool hook for a connection coming back: nothing to undo.

    Before calling it asyncpg rolls back a transaction left open and drops
    listeners.  Its default hook then sends `pg_advisory_unlock_all(); CLOSE ALL;
    UNLISTEN *; RESET ALL` on every release: one more round trip per request, for
    session state the portal never creates (its advisory locks are transaction
    locks; it runs no SET, LISTEN, cursor or session lock).  Anything that starts
    to must reset it itself.
    """


async def _on_sqlite_thread(
    driver: aiosqlite.Connection, work: Callable[[sqlite3.Connection], T]
) -> T:
    """Run `work(the sqlite3 connection)` as one job on aiosqlite's thread.

    Private: `Connection._execute` queues a function for that thread and
    `Connection._conn` is the sqlite3 connection there.  The public calls are one job
    per step (execute, fetch, close: a window for a cancelled request, see
    _sqlite_run), and `execute_fetchall`, the one-job call, drops the column names and
    the row count.
    """
    result: T = await driver._execute(lambda: work(driver._conn))  # type: ignore[no-untyped-call]
    return result


class _WriteLockBusy(Exception):
    """BEGIN IMMEDIATE found another process holding SQLite's write lock."""


def _try_begin_immediate(connection: sqlite3.Connection) -> bool:
    """BEGIN IMMEDIATE without SQLite's busy handler (on aiosqlite's thread); False when
    another process holds the write lock, so the caller waits in asyncio instead."""
    connection.execute("PRAGMA busy_timeout = 0")
    try:
        connection.execute("BEGIN IMMEDIATE")
        return True
    except sqlite3.OperationalError as error:
        if "locked" in str(error):
            return False
        raise
    finally:
        connection.execute(SQLITE_BUSY_TIMEOUT)


async def _sqlite_run(
    driver: aiosqlite.Connection, statement: str, args: list[Any], *, begin: bool = False
) -> tuple[list[str], list[Any], int]:
    """Execute, fetch every row and close the cursor in one hop to aiosqlite's thread.

    Separate hops (execute, then fetch) left a window: a request cancelled between
    them (its client went away) left the statement open, so the pooled connection
    stayed inside a read transaction and later requests on it read an old snapshot.
    Done as one function in the thread, the statement always finishes and resets,
    whatever happens to the awaiting task; it is also one hop instead of three.

    With `begin`, BEGIN IMMEDIATE runs first in the same hop (_try_begin_immediate);
    _WriteLockBusy when another process holds the lock.
    """

    def run(connection: sqlite3.Connection) -> tuple[list[str], list[Any], int]:
        if begin and not _try_begin_immediate(connection):
            raise _WriteLockBusy
        cursor = connection.execute(statement, args)
        try:
            rows = cursor.fetchall()
            names = [column[0] for column in cursor.description or ()]
            return names, rows, cursor.rowcount
        finally:
            cursor.close()

    return await _on_sqlite_thread(driver, run)


# PostgreSQL's command tags that end in the number of rows the command changed
# ("INSERT 0 3", "UPDATE 2", "DELETE 1", "MERGE 4"); "SELECT 5" counts rows read.
_CHANGING_COMMANDS = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE"})


def _postgres_rows_changed(status: str) -> int:
    """The rows changed, from the command tag asyncpg's `execute` returns."""
    command, _, count = status.partition(" ")
    last = count.rpartition(" ")[2]
    return int(last) if command in _CHANGING_COMMANDS and last.isdigit() else 0


_NAMED_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@functools.lru_cache(maxsize=512)
def _positional(sql: str, dialect: str) -> tuple[str, tuple[str, ...]]:
    """`:name` parameters as the driver's positional ones (`?` or `$n`), once per statement.

    Statements go straight to the driver: `databases` would compile each one
    through SQLAlchemy on every call, which cost more than running it.  A name
    used twice is one value (`$n` repeated on PostgreSQL, bound twice on SQLite).
    """
    order: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if dialect == "sqlite":
            order.append(name)
            return "?"
        if name not in order:
            order.append(name)
        return f"${order.index(name) + 1}"

    return _NAMED_PARAMETER.sub(replace, sql), tuple(order)


class Conn:
    """One database connection, held for a request or a CLI command.

    Queries take a `Conn` first; it returns plain dicts and knows the dialect so
    query modules can pick the SQL where SQLite and PostgreSQL differ.
    """

    def __init__(
        self,
        raw: _DatabasesConnection,
        dialect: str,
        write_lock: asyncio.Lock | None = None,
        writer_turn: WriterTurn | None = None,
    ) -> None:
        self._raw = raw
        self.dialect = dialect
        self._in_transaction = False
        # SQLite: BEGIN IMMEDIATE is still to be sent, with the next statement
        self._begin_pending = False
        self._write_lock = write_lock or asyncio.Lock()
        self._writer_turn = writer_turn

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def driver_connection(self) -> Any:
        """The aiosqlite or asyncpg connection, for bulk loads only."""
        return self._raw.raw_connection

    def timestamp(self, value: datetime) -> str | datetime:
        """A timestamp as a bind parameter: text on SQLite, aware datetime on PostgreSQL."""
        return format_timestamp(value) if self.is_sqlite else value.astimezone(UTC)

    async def fetch_all(
        self, sql: str, values: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        statement, args = self._bind(sql, values)
        if self.is_sqlite:
            names, rows, _ = await self._sqlite_statement(statement, args)
            return [dict(zip(names, row, strict=True)) for row in rows]
        driver = self.driver_connection
        return [dict(record.items()) for record in await driver.fetch(statement, *args)]

    async def fetch_one(
        self, sql: str, values: Mapping[str, Any] | None = None
    ) -> dict[str, Any] | None:
        rows = await self.fetch_all(sql, values)
        return rows[0] if rows else None

    async def fetch_val(self, sql: str, values: Mapping[str, Any] | None = None) -> Any:
        statement, args = self._bind(sql, values)
        if self.is_sqlite:
            _, rows, _ = await self._sqlite_statement(statement, args)
            return rows[0][0] if rows else None
        return await self.driver_connection.fetchval(statement, *args)

    async def execute(self, sql: str, values: Mapping[str, Any] | None = None) -> int:
        """Run one statement; returns the rows it inserted, updated or deleted itself
        (not those its triggers changed), the same on both databases; 0 for a
        statement of another kind."""
        statement, args = self._bind(sql, values)
        if self.is_sqlite:
            _, _, changed = await self._sqlite_statement(statement, args)
            return max(changed, 0)  # sqlite3 says -1 for a statement that changes no rows
        return _postgres_rows_changed(await self.driver_connection.execute(statement, *args))

    async def _sqlite_statement(
        self, statement: str, args: list[Any]
    ) -> tuple[list[str], list[Any], int]:
        """Run one statement, with the pending BEGIN IMMEDIATE in the same hop if any."""
        driver = self.driver_connection
        if not self._begin_pending:
            return await _sqlite_run(driver, statement, args)
        self._begin_pending = False
        try:
            return await _sqlite_run(driver, statement, args, begin=True)
        except _WriteLockBusy:
            # another process writes: wait for it here (it has just been found busy)
            await self._begin_immediate(wait_first=True)
            return await _sqlite_run(driver, statement, args)

    def _bind(self, sql: str, values: Mapping[str, Any] | None) -> tuple[str, list[Any]]:
        statement, names = _positional(sql, self.dialect)
        given = values or {}
        missing = [name for name in names if name not in given]
        if missing:
            raise KeyError(f"no value for SQL parameter(s) {missing}")
        return statement, [given[name] for name in names]

    async def execute_script(self, statements: list[str]) -> None:
        """Run statements without bind parameters, straight on the driver.

        `databases` formats the compiled SQL with `%` on SQLite, so a literal `%`
        (as in strftime formats in a migration) must bypass it.
        """
        driver = self.driver_connection
        for statement in statements:
            await driver.execute(statement)

    @asynccontextmanager
    async def transaction(
        self,
        *,
        begin_with_first_statement: bool = False,
        advisory_lock: tuple[int, int] | None = None,
    ) -> AsyncIterator[Conn]:
        """A write transaction; nested use joins the outer one.

        On SQLite it starts with BEGIN IMMEDIATE, retried a few times if another
        writer holds the lock beyond busy_timeout, so the writer queues instead
        of failing half-way through.  `begin_with_first_statement` sends the BEGIN
        in the same hop as the body's first statement (one hop less, for the hot
        write paths); only for a body that runs every statement through this Conn's
        methods, never the raw driver, and reads the clock after its first statement.
        `advisory_lock` (PostgreSQL; SQLite's write lock already serialises) takes
        pg_advisory_xact_lock(namespace, key) in the same round trip as the BEGIN,
        or as a statement of its own when this joins an outer transaction.
        """
        if self._in_transaction:
            if advisory_lock is not None and not self.is_sqlite:
                await self.fetch_val(
                    "SELECT pg_advisory_xact_lock(:namespace, :key)",
                    {"namespace": advisory_lock[0], "key": advisory_lock[1]},
                )
            yield self
            return
        self._in_transaction = True
        try:
            if self.is_sqlite:
                # One writer per process at a time: the others wait here, cheaply,
                # instead of in SQLite's busy handler, which sleeps in steps of
                # up to 100 ms; only the processes still contend for the file lock.
                async with self._write_lock, self._turn_to_write():
                    if begin_with_first_statement:
                        self._begin_pending = True
                    else:
                        await self._begin_immediate()
                    # COMMIT and ROLLBACK on the driver path too: `databases`'
                    # execute would compile them through SQLAlchemy each time
                    driver = self.driver_connection
                    try:
                        yield self
                    except BaseException:
                        self._begin_pending = False
                        if driver.in_transaction:  # the BEGIN may not have been sent
                            await _sqlite_run(driver, "ROLLBACK", [])
                        raise
                    if self._begin_pending:
                        self._begin_pending = False  # no statement ran: nothing began
                    else:
                        await _sqlite_run(driver, "COMMIT", [])
            elif advisory_lock is not None:
                async with self._locked_postgres_transaction(*advisory_lock):
                    yield self
            else:
                # asyncpg's own transaction (BEGIN, then COMMIT or ROLLBACK): the
                # `databases` wrapper adds its locks and bookkeeping to every write
                async with self.driver_connection.transaction():
                    yield self
        finally:
            self._in_transaction = False

    @asynccontextmanager
    async def _turn_to_write(self) -> AsyncIterator[None]:
        """This process's turn among the portal's processes writing the SQLite file
        (writer_turn.py), held until COMMIT or ROLLBACK."""
        turn = self._writer_turn
        if turn is None:
            yield
            return
        if not await turn.take(WRITE_LOCK_WAIT_SECONDS):
            raise sqlite3.OperationalError("database is locked")
        try:
            yield
        finally:
            turn.give_back()

    @asynccontextmanager
    async def _locked_postgres_transaction(self, namespace: int, key: int) -> AsyncIterator[None]:
        """BEGIN and an advisory transaction lock in one round trip, then COMMIT or
        ROLLBACK.  Two statements need the simple query protocol, which takes no
        bind parameters: the lock's keys are integers (int() refuses anything else)."""
        driver = self.driver_connection
        try:
            await driver.execute(
                f"BEGIN; SELECT pg_advisory_xact_lock({int(namespace)}, {int(key)})"
            )
        except BaseException:
            if driver.is_in_transaction():
                await driver.execute("ROLLBACK")
            raise
        try:
            yield
        except BaseException:
            await driver.execute("ROLLBACK")
            raise
        await driver.execute("COMMIT")

    async def _begin_immediate(self, *, wait_first: bool = False) -> None:
        """Take SQLite's write lock, waiting in short asyncio sleeps while another
        process holds it.

        SQLite's own busy handler sleeps in steps that grow to 100 ms, so a waiting
        process could sit idle long after the lock was free (seconds at p99 under
        load).  The BEGIN runs without it (one hop per attempt), and we retry every
        few milliseconds until WRITE_LOCK_WAIT_SECONDS have passed.  `wait_first`:
        the lock was just found busy, so sleep before the first attempt.
        """
        driver = self.driver_connection
        deadline = time.monotonic() + WRITE_LOCK_WAIT_SECONDS
        delay = 0.0005
        if wait_first:
            await asyncio.sleep(delay)
            delay *= 2
        while not await _on_sqlite_thread(driver, _try_begin_immediate):
            if time.monotonic() > deadline:
                raise sqlite3.OperationalError("database is locked")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.005)


class Database:
    """The portal's database: SQLite (a file) or PostgreSQL, one code path."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
        # Open SQLite connections kept for reuse: `databases` would otherwise open
        # the file (and start a thread) for every request.
        self._idle: list[Conn] = []
        self._write_lock = asyncio.Lock()
        self._writer_turn: WriterTurn | None = None
        if self.dialect == "postgresql":
            self._db = databases.Database(
                url, min_size=1, max_size=10, reset=_keep_postgres_session
            )
        else:
            self._db = databases.Database(url)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    async def connect(self) -> None:
        try:
            if self.is_sqlite:
                path = sqlite_path(self.url)
                create_private_file(path)
                with contextlib.suppress(OSError):  # a read-only folder: SQLite's lock alone
                    self._writer_turn = WriterTurn(path.with_name(path.name + "-writer"))
            await self._db.connect()
            async with self.connection() as conn:
                await conn.fetch_val("SELECT 1")
        except (OSError, Exception) as error:
            raise DatabaseUnavailable(describe_connect_error(self.url, error)) from error

    async def disconnect(self) -> None:
        idle, self._idle = self._idle, []
        for conn in idle:
            await _close(conn)
        await self._db.disconnect()
        if self._writer_turn is not None:
            self._writer_turn.close()
            self._writer_turn = None

    async def acquire(self) -> Conn:
        if self._idle:
            return self._idle.pop()
        raw = _new_databases_connection(self._db)
        await raw.__aenter__()
        if self.is_sqlite:
            for pragma in SQLITE_PRAGMAS:
                await raw.execute(query=pragma)
        return Conn(raw, self.dialect, self._write_lock, self._writer_turn)

    async def release(self, conn: Conn, reusable: bool = True) -> None:
        # transaction() commits or rolls back; should even that fail (a cancelled task, a
        # failed COMMIT), the connection is closed rather than handed on mid-transaction.
        if (
            reusable
            and self.is_sqlite
            and len(self._idle) < SQLITE_IDLE_CONNECTIONS
            and not conn.driver_connection.in_transaction
        ):
            self._idle.append(conn)
            return
        await _close(conn)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Conn]:
        conn = await self.acquire()
        try:
            yield conn
        finally:
            await self.release(conn)


async def _close(conn: Conn) -> None:
    """Close a connection taken by Database.acquire (its context manager's exit)."""
    await conn._raw.__aexit__(None, None, None)


def make_private_dir(directory: Path) -> None:
    """Create `directory` (and missing parents), readable by the portal's user only."""
    if not directory.exists():
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)


def create_private_file(path: Path) -> None:
    """Create an empty file readable by the portal's user only, unless it exists.

    SQLite gives its -wal and -shm files the database file's permissions.
    """
    make_private_dir(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


_PASSWORD_IN_URL = re.compile(r"//([^:/@]*):[^@/]*@")


def redact_url(url: str) -> str:
    """The URL with any password replaced, safe to print or log."""
    return _PASSWORD_IN_URL.sub(r"//\1:***@", url)


def describe_connect_error(url: str, error: BaseException) -> str:
    where = redact_url(url)
    if url.startswith("sqlite"):
        return f"cannot open the SQLite database {where}: {error}"
    return (
        f"cannot connect to the PostgreSQL database {where}: {error}. "
        "Check that the server is running and DATABASE_URL is right."
    )
