"""Fixtures of the API tests: a client of an app with extra settings."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.helpers import api_client
from webapp.db import set_clock


@pytest.fixture
async def client_with(database_url: str) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """`await client_with(ADMIN_TOKEN=..., ...)`: a test client of an app on the test's
    database created with those settings (on top of the usual test settings)."""
    async with AsyncExitStack() as stack:

        async def make(**config: Any) -> Any:
            return await stack.enter_async_context(api_client(database_url, **config))

        yield make


class SimulatedClock:
    """The server's clock, moved by the test (webapp.db.set_clock)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, moment: datetime) -> datetime:
        self.now = moment
        return self.now


@pytest.fixture
def clock() -> Iterator[SimulatedClock]:
    """A simulated server clock for this test, starting Monday 2026-11-23 00:00 UTC."""
    simulated = SimulatedClock(datetime(2026, 11, 23, tzinfo=UTC))
    set_clock(simulated)
    try:
        yield simulated
    finally:
        set_clock(None)
