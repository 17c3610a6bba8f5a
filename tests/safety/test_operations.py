"""Running the portal: request logs and ids, /health when the database goes away, start-up
errors an operator can read."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest

from tests.helpers import free_port
from webapp import create_app
from webapp.db import sqlite_path

from .server import PROJECT_ROOT, VENV_BIN, procfile_web_command


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    """Everything any logger writes during the test (request log included)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    targets = [
        logging.getLogger(),
        logging.getLogger("webapp"),
        logging.getLogger("webapp.requests"),
    ]
    for logger in targets:
        logger.addHandler(handler)
    yield stream
    for logger in targets:
        logger.removeHandler(handler)


def request_lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if '"event"' in line]


async def test_every_request_is_logged_once_with_its_id(client, captured_logs):
    mine = await client.get("/api/words?page=2", headers={"X-Request-ID": "deploy-42.abc"})
    assert mine.headers["X-Request-ID"] == "deploy-42.abc"
    made = await client.post("/api/study_sessions", json={"group_id": 999, "study_activity_id": 1})
    assert made.status_code == 404
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["X-Request-ID"])
    hostile = await client.get("/health", headers={"X-Request-ID": 'x" injected=1 '})
    assert hostile.headers["X-Request-ID"] != 'x" injected=1'

    lines = request_lines(captured_logs)
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("GET", "/api/words", 200),
        ("POST", "/api/study_sessions", 404),
        ("GET", "/health", 200),
    ]
    assert [line["request_id"] for line in lines] == [
        "deploy-42.abc",
        made.headers["X-Request-ID"],
        hostile.headers["X-Request-ID"],
    ]
    assert all(
        isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0 for line in lines
    )


async def test_logs_never_hold_tokens_or_cookies(client, captured_logs):
    secrets = ("bearer-secret-4711", "cookie-secret-4712", "query-secret-4713")
    await client.post(
        f"/api/reset_history?token={secrets[2]}",
        headers={
            "Authorization": f"Bearer {secrets[0]}",
            "Cookie": f"session={secrets[1]}",
            "X-Forwarded-For": "203.0.113.9",  # refused (403): not from this machine
        },
    )
    await client.get("/api/words/1", headers={"Authorization": f"Bearer {secrets[0]}"})
    text = captured_logs.getvalue()
    assert len(request_lines(captured_logs)) == 2
    for secret in secrets:
        assert secret not in text


# --- /health when the database goes away -------------------------------------------------


@pytest.fixture
async def live_url(backend: str, database_url: str, tmp_path) -> str:
    """The test's database; on SQLite a copy in a folder of its own (the "volume")."""
    if backend != "sqlite":
        return database_url
    volume = tmp_path / "volume"
    volume.mkdir()
    shutil.copyfile(sqlite_path(database_url), volume / "portal.db")
    return f"sqlite:///{volume / 'portal.db'}"


@pytest.fixture
async def live_client(live_url: str) -> AsyncIterator:
    app = create_app({"DATABASE_URL": live_url, "SECRET_KEY": "test-secret-key"})
    async with app.test_app() as test_app:
        yield test_app.test_client()


async def assert_unhealthy(client) -> None:
    down = await client.get("/health")
    assert down.status_code == 503
    body = await down.get_json()
    assert body["status"] == "unhealthy" and body["error"]
    assert down.headers["X-Content-Type-Options"] == "nosniff"


async def _pg_admin(sql: str) -> None:
    connection = await asyncpg.connect(os.environ.get(
        "TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    ))  # fmt: skip
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def test_health_says_503_while_the_database_is_gone_and_recovers(
    backend, live_url, live_client
):
    assert (await live_client.get("/health")).status_code == 200
    if backend == "sqlite":
        path = sqlite_path(live_url)
        volume = path.parent
        volume.rename(volume.with_name("volume-unmounted"))  # the disk went away
        await assert_unhealthy(live_client)
        volume.with_name("volume-unmounted").rename(volume)
        assert (await live_client.get("/health")).status_code == 200
        # The file deleted: SQLite would quietly start a new empty one; that is no portal.
        files = [path.with_name(path.name + suffix) for suffix in ("", "-wal", "-shm")]
        for file in files:
            if file.exists():
                file.rename(file.with_name(file.name + ".aside"))
        await assert_unhealthy(live_client)
        for file in files:
            file.unlink(missing_ok=True)
            if file.with_name(file.name + ".aside").exists():
                file.with_name(file.name + ".aside").rename(file)
    else:
        name = live_url.rsplit("/", 1)[1]
        await _pg_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await _pg_admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            f" WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        await assert_unhealthy(live_client)
        await _pg_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert (await live_client.get("/health")).status_code == 200
    assert (await live_client.get("/api/words/1")).status_code == 200


# --- start-up errors ------------------------------------------------------------------------


def start_expecting_failure(database_url: str, *, workers: int = 1) -> subprocess.CompletedProcess:
    argv = procfile_web_command(free_port(), workers)
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
    }
    return subprocess.run(
        argv, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (
            f"postgresql://postgres@127.0.0.1:5432/lp_missing_{uuid.uuid4().hex[:8]}",
            "does not exist",
        ),
        (f"postgresql://postgres@127.0.0.1:{free_port()}/lang_portal", "Connection refused"),
        ("sqlite:////proc/no-such-folder/portal.db", "cannot open the SQLite database"),
        ("mysql://portal@localhost/portal", "DATABASE_URL must start with"),
    ],
)
def test_a_wrong_database_url_stops_the_server_with_one_clear_line(url, reason):
    done = start_expecting_failure(url)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "Traceback" not in output, output
    reasons = [line for line in output.splitlines() if reason in line]
    assert len(reasons) == 1, output


def test_with_two_workers_a_wrong_database_url_stops_without_tracebacks():
    done = start_expecting_failure(
        f"postgresql://postgres@127.0.0.1:5432/lp_missing_{uuid.uuid4().hex[:8]}", workers=2
    )
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    assert "cannot connect to the PostgreSQL database" in output
    assert "failed to start, stopping the parent process" in output
