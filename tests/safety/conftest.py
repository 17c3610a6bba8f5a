"""Fixtures of the safety tests: real server processes, stopped at the end of each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .server import Server


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start the Procfile's web command on a free loopback port; every server is stopped after."""
    started: list[Server] = []

    def start(database_url: str, **options: Any) -> Server:
        server = Server(database_url, tmp_path / f"server-{len(started)}.log", **options)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        if server.process is not None and server.process.poll() is None:
            server.kill_hard()
