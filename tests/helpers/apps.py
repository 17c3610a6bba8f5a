"""Apps and connections on a database of the test's choosing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from quart import Quart
from quart.testing import QuartClient

from webapp import create_app
from webapp.db import Conn, Database

# The tests act as the person who started the portal on their own machine (local mode);
# the hosted refusals are tested with LOCAL_MODE=False.
TEST_CONFIG = {"SECRET_KEY": "test-secret-key", "TESTING": True, "LOCAL_MODE": True}
# The test client's requests come from this machine, as a browser at localhost would.
LOOPBACK_CLIENT = ("127.0.0.1", 50000)


class LoopbackTestClient(QuartClient):
    """Quart's test client with a loopback peer address.

    Quart's own has no peer at all, which the portal treats like a unix socket
    (a proxy), not like a browser on this machine.  `scope_base` still wins.
    """

    async def open(self, path: str, *, scope_base: dict | None = None, **kwargs: Any) -> Any:
        return await super().open(
            path, scope_base={"client": LOOPBACK_CLIENT, **(scope_base or {})}, **kwargs
        )


def build_app(config: dict[str, Any]) -> Quart:
    """The portal with the test settings (`config` on top), its test client on loopback."""
    app = create_app({**TEST_CONFIG, **config})
    app.test_client_class = LoopbackTestClient  # type: ignore[assignment]
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
