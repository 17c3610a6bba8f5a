"""Fixtures of the API tests: a client of an app with extra settings."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import pytest

from tests.helpers import api_client


@pytest.fixture
async def client_with(database_url: str) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """`await client_with(ADMIN_TOKEN=..., ...)`: a test client of an app on the test's
    database created with those settings (on top of the usual test settings)."""
    async with AsyncExitStack() as stack:

        async def make(**config: Any) -> Any:
            return await stack.enter_async_context(api_client(database_url, **config))

        yield make
