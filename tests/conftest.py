"""Test fixtures: every API, CLI and data test runs on SQLite and on PostgreSQL.

PostgreSQL comes from TEST_DATABASE_URL (default: the local server, user
postgres).  Each run creates its own databases and drops them at the end.  On
a laptop without PostgreSQL the run says so and uses SQLite only; under
CI=true a missing PostgreSQL fails the run instead.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest

from tests.helpers import CliRun, build_app, connect, run_cli
from webapp.db import Conn
from webapp.migrations import migrate
from webapp.services.seeding import seed

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEST_DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
RUN_ID = uuid.uuid4().hex[:8]


def _server_url(database: str) -> str:
    base, _, _ = TEST_DATABASE_URL.rpartition("/")
    return f"{base}/{database}"


def _postgres_reachable() -> str | None:
    async def probe() -> None:
        connection = await asyncpg.connect(TEST_DATABASE_URL, timeout=5)
        await connection.close()

    try:
        asyncio.run(probe())
    except Exception as error:  # any failure means: no PostgreSQL here
        return f"{type(error).__name__}: {error}"
    return None


def pytest_configure(config: pytest.Config) -> None:
    problem = _postgres_reachable()
    config.lang_portal_backends = ["sqlite"] if problem else ["sqlite", "postgresql"]  # type: ignore[attr-defined]
    if problem:
        message = f"PostgreSQL at {TEST_DATABASE_URL} is not reachable ({problem})"
        if os.environ.get("CI") == "true":
            raise pytest.UsageError(message + ": CI needs it for the PostgreSQL half of the suite")
        config.lang_portal_no_postgres = message  # type: ignore[attr-defined]


def pytest_report_header(config: pytest.Config) -> str:
    backends = config.lang_portal_backends  # type: ignore[attr-defined]
    note = getattr(config, "lang_portal_no_postgres", "")
    return f"databases: {', '.join(backends)}" + (f" — {note}; SQLite only" if note else "")


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    note = getattr(config, "lang_portal_no_postgres", "")
    if note:
        terminalreporter.write_line(f"NOTE: {note}; the PostgreSQL half was not run.", yellow=True)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", metafunc.config.lang_portal_backends, scope="session")  # type: ignore[attr-defined]


async def _migrate_and_seed(url: str) -> None:
    async with connect(url) as conn:
        await migrate(conn)
        await seed(conn)


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(TEST_DATABASE_URL)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@dataclass
class Templates:
    """A migrated and seeded database of each kind, copied for every test."""

    root: Path
    sqlite_file: Path | None = None
    postgres_name: str | None = None
    counter: int = 0

    async def fresh_url(self, backend: str, empty: bool = False) -> str:
        self.counter += 1
        if backend == "sqlite":
            target = self.root / f"test_{self.counter}.db"
            if not empty:
                if self.sqlite_file is None:
                    self.sqlite_file = self.root / "template.db"
                    await _migrate_and_seed(f"sqlite:///{self.sqlite_file}")
                shutil.copyfile(self.sqlite_file, target)
            return f"sqlite:///{target}"
        name = f"lp_test_{RUN_ID}_{self.counter}"
        if empty:
            await _admin(f'CREATE DATABASE "{name}"')
            return _server_url(name)
        if self.postgres_name is None:
            self.postgres_name = f"lp_template_{RUN_ID}"
            await _admin(f'CREATE DATABASE "{self.postgres_name}"')
            await _migrate_and_seed(_server_url(self.postgres_name))
        await _admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.postgres_name}"')
        return _server_url(name)

    async def drop_all(self) -> None:
        if not self.postgres_name and self.counter == 0:
            return
        try:
            connection = await asyncpg.connect(TEST_DATABASE_URL)
        except Exception:  # no PostgreSQL in this run
            return
        try:
            rows = await connection.fetch(
                "SELECT datname FROM pg_database WHERE datname LIKE $1", f"lp_%_{RUN_ID}%"
            )
            for row in rows:
                await connection.execute(f'DROP DATABASE IF EXISTS "{row["datname"]}" WITH (FORCE)')
        finally:
            await connection.close()


@pytest.fixture(scope="session")
async def templates(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Templates]:
    holder = Templates(tmp_path_factory.mktemp("databases"))
    yield holder
    await holder.drop_all()


@pytest.fixture
async def database_url(backend: str, templates: Templates) -> str:
    """A migrated, seeded database of its own for this test."""
    return await templates.fresh_url(backend)


@pytest.fixture
async def empty_database_url(backend: str, templates: Templates) -> str:
    """A database with nothing in it (not even the schema)."""
    return await templates.fresh_url(backend, empty=True)


@pytest.fixture
async def app(database_url: str) -> AsyncIterator:
    application = build_app({"DATABASE_URL": database_url})
    async with application.test_app() as test_app:
        yield test_app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
async def conn(database_url: str) -> AsyncIterator[Conn]:
    """A direct connection to the test's database, for checks behind the API."""
    async with connect(database_url) as connection:
        yield connection


@pytest.fixture
def cli(database_url: str) -> Iterator:
    def invoke(*args: str) -> CliRun:
        return run_cli(*args, database_url=database_url)

    yield invoke
