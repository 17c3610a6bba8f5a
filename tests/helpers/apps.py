"""Apps and connections on a database of the test's choosing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from webapp import create_app
from webapp.db import Conn, Database

TEST_CONFIG = {"SECRET_KEY": "test-secret-key", "TESTING": True}


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


async def migrate_in_process(database_url: str) -> None:
    """The schema without a subprocess (for tests whose subject is another command)."""
    from webapp.migrations import migrate

    async with connect(database_url) as conn:
        await migrate(conn)
