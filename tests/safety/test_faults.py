"""Faults answered clearly: input no database can store, a database that cannot
be written, errors that repeat, secrets kept out of messages, private files."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from tests.helpers import ROOT, api_client, body_of, cli_on, migrate_in_process
from webapp.faults import RepeatFilter

# --- NUL and bytes that are not UTF-8 ---------------------------------------------------

BAD_QUERIES = ["q=%00", "q=abc%00def", "q=%ff%fe", "page=%00", "sort=%C3%28"]


async def test_nul_or_undecodable_query_text_is_400_on_pages_and_api(client) -> None:
    for path in ("/words", "/api/words", "/groups", "/api/groups"):
        for query in BAD_QUERIES:
            response = await client.get(f"{path}?{query}")
            assert response.status_code == 400, (path, query, response.status_code)
            text = await response.get_data(as_text=True)
            assert "NUL" in text or "UTF-8" in text
    ok = await client.get("/words?q=%E9%A3%9F")  # 食, well-formed
    assert ok.status_code == 200


async def test_nul_in_a_form_is_400_and_nothing_is_written(client) -> None:
    before = (await (await client.get("/api/study_sessions")).get_json())["pagination"]
    form = await client.post(
        "/study_activities/1/launch",
        data=b"group_id=1%00&csrf_token=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 400
    assert "NUL" in await form.get_data(as_text=True)
    after = (await (await client.get("/api/study_sessions")).get_json())["pagination"]
    assert after == before


# --- a database that cannot be written --------------------------------------------------


@contextlib.contextmanager
def read_only_sqlite(path: Path) -> Iterator[None]:
    """Make the SQLite file's folder read-only for this process (root ignores modes,
    so as root the folder is a tmpfs remounted read-only)."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [path.parent, *path.parent.iterdir()]}
        for p in modes:
            p.chmod(0o500 if p.is_dir() else 0o400)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(stat.S_IMODE(mode))
        return
    done = subprocess.run(["mount", "-o", "remount,ro", str(path.parent)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot remount the test's tmpfs read-only: {done.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(path.parent)], check=True)


@pytest.fixture
def small_volume(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs (as root) or a plain folder, holding a migrated, seeded SQLite file."""
    folder = tmp_path / "volume"
    folder.mkdir()
    mounted = False
    if os.geteuid() == 0:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)], capture_output=True
        )
        mounted = done.returncode == 0
    try:
        yield folder
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)


def _mounted(folder: Path) -> bool:
    return any(
        line.split()[1] == str(folder) for line in Path("/proc/mounts").read_text().splitlines()
    )


async def _launch(client) -> int:
    response = await client.post(
        "/api/study_sessions", json={"group_id": 1, "study_activity_id": 1}
    )
    return response.status_code


async def test_a_read_only_sqlite_database_is_503_with_a_message_and_health_says_so(
    small_volume: Path,
) -> None:
    if os.geteuid() == 0 and not _mounted(small_volume):
        pytest.skip("running as root without a tmpfs: root writes through file modes")
    url = f"sqlite:///{small_volume / 'portal.db'}"
    assert cli_on(url, "migrate").code == 0 and cli_on(url, "seed").code == 0
    # Folded into one file (a WAL database on a read-only volume also needs its -shm),
    # then the volume goes read-only under it (a remount, a mistaken deploy).
    with contextlib.closing(sqlite3.connect(small_volume / "portal.db")) as db:
        db.execute("PRAGMA journal_mode = DELETE")
    with read_only_sqlite(small_volume / "portal.db"):
        async with api_client(url) as client:
            response = await client.post(
                "/api/study_sessions", json={"group_id": 1, "study_activity_id": 1}
            )
            assert response.status_code == 503
            assert "read-only" in (await body_of(response))["error"]
            health = await client.get("/health")
            assert health.status_code == 503
            assert "read-only" in (await health.get_json())["error"]
            # Reading still works.
            assert (await client.get("/api/words")).status_code == 200


async def test_a_full_disk_is_503_with_a_message_health_says_so_and_it_is_logged_once(
    small_volume: Path, caplog: pytest.LogCaptureFixture
) -> None:
    if not _mounted(small_volume):
        pytest.skip("a full disk needs a small tmpfs, which only root can mount here")
    url = f"sqlite:///{small_volume / 'portal.db'}"
    assert cli_on(url, "migrate").code == 0 and cli_on(url, "seed").code == 0
    filler = small_volume / "filler"
    async with api_client(url) as client:
        assert await _launch(client) == 201
        assert (await client.get("/health")).status_code == 200
        with contextlib.suppress(OSError), filler.open("wb") as handle:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        statuses = []
        with caplog.at_level(logging.ERROR, logger="webapp"):
            for _ in range(20):
                response = await client.post(
                    "/api/study_sessions", json={"group_id": 1, "study_activity_id": 1}
                )
                statuses.append(response.status_code)
                if response.status_code == 503:
                    assert "disk" in (await body_of(response))["error"]
        assert set(statuses) == {503}, statuses
        health = await client.get("/health")
        assert health.status_code == 503 and "disk" in (await health.get_json())["error"]
        errors = [r for r in caplog.records if r.name == "webapp" and r.levelno >= logging.ERROR]
        assert len(errors) == 1, [r.getMessage() for r in errors]
        filler.unlink()
        assert await _launch(client) == 201


async def test_a_read_only_postgresql_database_is_503_with_a_message(
    request: pytest.FixtureRequest, templates
) -> None:
    if "postgresql" not in request.config.lang_portal_backends:  # type: ignore[attr-defined]
        pytest.skip("no PostgreSQL in this run (the SQLite case is the test above)")
    database_url = await templates.fresh_url("postgresql")
    name = database_url.rsplit("/", 1)[1]
    admin = await asyncpg.connect(database_url.rsplit("/", 1)[0] + "/postgres")
    try:
        await admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        async with api_client(database_url) as client:
            response = await client.post(
                "/api/study_sessions", json={"group_id": 1, "study_activity_id": 1}
            )
            assert response.status_code == 503
            assert "read-only" in (await body_of(response))["error"]
            health = await client.get("/health")
            assert health.status_code == 503
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = off')
        await admin.close()


def test_repeats_of_one_error_are_logged_once_per_window_with_their_count() -> None:
    now = [0.0]
    repeat = RepeatFilter(window=60, clock=lambda: now[0])

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("webapp", logging.ERROR, __file__, 1, message, None, None)

    passed = [repeat.filter(record("cannot write: %s")) for _ in range(100)]
    assert passed.count(True) == 1
    assert repeat.filter(record("another error"))
    now[0] = 61.0
    later = record("cannot write: %s")
    assert repeat.filter(later)
    assert "99 more times" in str(later.msg)


# --- secrets, key file, private files ---------------------------------------------------


def _start_up(env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`create_app()` as the server calls it, in a process of its own."""
    return subprocess.run(
        [sys.executable, "-c", "import webapp; webapp.create_app(); print('started')"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_a_database_url_with_a_wrong_scheme_is_refused_without_its_password() -> None:
    done = _start_up(
        {"DATABASE_URL": "mysql://admin:hunter2-secret@db.example/portal", "SECRET_KEY": "x" * 40}
    )
    assert done.returncode == 3, done
    assert "DATABASE_URL" in done.stderr
    assert "hunter2-secret" not in done.stderr + done.stdout
    assert "mysql://admin:***@db.example/portal" in done.stderr


def test_eight_workers_starting_together_share_one_whole_secret_key(tmp_path: Path) -> None:
    code = (
        "import os, sys, time; from pathlib import Path; from webapp.config import load_secret_key;"
        "time.sleep(max(0, float(sys.argv[1]) - time.time()));"
        "print(load_secret_key(Path(sys.argv[2])))"
    )
    import time

    start_at = str(time.time() + 2)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", code, start_at, str(tmp_path / "instance")],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    results = [worker.communicate(timeout=60) for worker in workers]
    keys = {out.strip() for out, _ in results}
    assert all(worker.returncode == 0 for worker in workers), results
    assert len(keys) == 1 and len(keys.pop()) >= 32
    key_file = tmp_path / "instance" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert [p.name for p in key_file.parent.iterdir()] == ["secret_key"]


@pytest.mark.parametrize("content", ["", "   \n", "short"])
def test_an_empty_secret_key_file_is_a_clear_start_up_error(tmp_path: Path, content: str) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "secret_key").write_text(content)
    done = _start_up(
        {"INSTANCE_DIR": str(instance), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    )
    assert done.returncode == 3, done
    assert "secret key file" in done.stderr and "delete it" in done.stderr
    assert "Traceback" not in done.stderr


async def test_a_new_sqlite_database_and_its_folder_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "data"
    url = f"sqlite:///{folder / 'portal.db'}"
    await migrate_in_process(url)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
