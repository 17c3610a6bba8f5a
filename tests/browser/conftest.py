"""Browser tests: the real app under uvicorn, driven by Debian's Chromium through Playwright.

Servers
  `portal`        one server for the whole run (read-mostly flows; tests that write to it
                  only check what they did themselves, never global counts).
  `fresh_portal`  a server of its own on a new copy of the database, for flows that check
                  totals (dashboard figures, reset history).
  `pg_portal`     the app on a PostgreSQL database made for the run and dropped after it.

The SQLite databases are copies of one template made with the CLI (`python -m webapp
migrate` and `seed`) plus a few rows written with sqlite3: a 4-word group to finish a
session quickly, and a word and a group named `<script>alert(1)</script>`.

Pages
  Every browser context gets a `Watcher`: console errors, page errors, failed requests,
  responses with status >= 400 and dialogs are recorded, and the test fails when any
  occurred that the test did not announce with `watcher.expect_status(...)`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Error,
    Page,
    Request,
    Response,
    async_playwright,
)

from tests.helpers import free_port, run_cli_ok
from tests.helpers.browser import HOSTILE, HOSTILE_ENGLISH, TINY_GROUP, TINY_WORDS

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SECRET_KEY = "browser-test-secret-key"
TIMEOUT_MS = 10_000


def add_test_rows(db_file: Path) -> dict[str, int]:
    """The tiny group and the hostile word and group; returns their ids."""
    stamp = "2026-01-01T00:00:00.000000Z"
    db = sqlite3.connect(db_file)
    with contextlib.closing(db), db:

        def add_word(japanese: str, kana: str, romaji: str, english: str) -> int:
            cursor = db.execute(
                "INSERT INTO words (japanese, kana, romaji, english, parts, created_at) "
                "VALUES (?, ?, ?, ?, '[]', ?)",
                (japanese, kana, romaji, english, stamp),
            )
            return int(cursor.lastrowid or 0)

        def add_group(name: str, word_ids: list[int]) -> int:
            cursor = db.execute(
                "INSERT INTO groups (name, word_count, created_at) VALUES (?, ?, ?)",
                (name, len(word_ids), stamp),
            )
            group_id = int(cursor.lastrowid or 0)
            db.executemany(
                "INSERT INTO words_groups (word_id, group_id) VALUES (?, ?)",
                [(word_id, group_id) for word_id in word_ids],
            )
            return group_id

        tiny_ids = [add_word(*word) for word in TINY_WORDS]
        hostile_word = add_word(HOSTILE, "", "sukuriputo", HOSTILE_ENGLISH)
        ids = {
            "tiny_group": add_group(TINY_GROUP, tiny_ids),
            "hostile_word": hostile_word,
            "hostile_group": add_group(HOSTILE, [hostile_word, tiny_ids[0]]),
        }
    # The database is in WAL mode: fold the log into the file, which is what gets copied.
    with contextlib.closing(sqlite3.connect(db_file)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return ids


@dataclass
class Portal:
    """A uvicorn process serving `webapp:create_app` on a free loopback port."""

    database_url: str
    log_path: Path
    ids: dict[str, int] = field(default_factory=dict)
    # settings of this server only (e.g. DEFAULT_LEARNER)
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: float = 30) -> Portal:
        # A restarted server keeps its address, as a real one does after an outage.
        self.port = self.port or free_port()
        # Local mode: the browser acts as the person who started the portal here.
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": SECRET_KEY,
            "LOCAL_MODE": "1",
        }
        for name in ("ADMIN_TOKEN", "PUBLIC_URL", "TRUST_PROXY"):
            env.pop(name, None)
        env.update(self.extra_env)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(VENV_BIN / "uvicorn"),
                    "--factory",
                    "webapp:create_app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited early:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as reply:
                    if reply.status == 200:
                        return self
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"the server was not healthy after {wait}s:\n{self.output()}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def output(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""


@dataclass
class Watcher:
    """What went wrong in a browser context; `problems()` lists the unexpected."""

    expected: list[tuple[int, str]] = field(default_factory=list)
    console_errors: list[ConsoleMessage] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    bad_responses: list[tuple[int, str]] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def expect_status(self, status: int, url_part: str) -> None:
        """Announce a response the test expects (e.g. 404 for /words/999999)."""
        self.expected.append((status, url_part))

    def _is_expected(self, status: int, url: str) -> bool:
        return any(status == s and part in url for s, part in self.expected)

    def attach(self, context: BrowserContext) -> None:
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.page_errors.append(str(error.error)))
        context.on("requestfailed", self._on_request_failed)
        context.on("response", self._on_response)
        context.on("page", lambda page: page.on("dialog", self._on_dialog))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message)

    def _on_request_failed(self, request: Request) -> None:
        # Leaving a page cancels the reads it still had in flight (its favicon, a
        # lazily loaded card, a thumbnail): that is the browser, not a failure. A write
        # cut short is never passed over.
        if request.failure == "net::ERR_ABORTED" and request.method == "GET":
            return
        self.failed_requests.append(f"{request.method} {request.url}: {request.failure}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.bad_responses.append((response.status, response.url))

    async def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        await dialog.dismiss()

    def problems(self) -> list[str]:
        found: list[str] = []
        for status, url in self.bad_responses:
            if not self._is_expected(status, url):
                found.append(f"HTTP {status} from {url}")
        for message in self.console_errors:
            url = message.location.get("url", "")
            # Chromium logs every 4xx/5xx resource; the expected ones are not problems.
            if message.text.startswith("Failed to load resource") and any(
                self._is_expected(status, url) for status, _ in self.expected
            ):
                continue
            found.append(f"console error: {message.text} ({url})")
        found += [f"page error: {text}" for text in self.page_errors]
        found += [f"request failed: {text}" for text in self.failed_requests]
        found += [f"dialog opened: {text}" for text in self.dialogs]
        return found


WATCHERS = pytest.StashKey[list[Watcher]]()
PORTALS = pytest.StashKey[list["Portal"]]()


def _server_notes(item: pytest.Item) -> str:
    """The end of the log of each server the test used, when it logged a traceback."""
    notes = []
    for server in item.stash.get(PORTALS, []):
        log = server.output()
        if "Traceback" in log:
            notes.append(f"server log ({server.database_url}):\n{log[log.rfind('Traceback') :]}")
    return "\n".join(notes)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail the test itself (not its teardown) when a watched page had a problem."""
    try:
        result = yield
    except BaseException as error:
        problems = [p for w in item.stash.get(WATCHERS, []) for p in w.problems()]
        if problems:
            error.add_note("the browser also reported:\n  " + "\n  ".join(problems))
        if notes := _server_notes(item):
            error.add_note(notes)
        raise
    problems = [p for w in item.stash.get(WATCHERS, []) for p in w.problems()]
    if problems:
        message = "the browser reported problems:\n  " + "\n  ".join(problems)
        if notes := _server_notes(item):
            message += "\n" + notes
        pytest.fail(message, pytrace=False)
    return result


# ---------------------------------------------------------------------------- databases


@pytest.fixture(scope="session")
def browser_tmp() -> Iterator[Path]:
    """Databases and server logs of this run (not under pytest's basetemp, which a
    concurrent pytest run may prune while this one still uses it)."""
    root = Path(tempfile.mkdtemp(prefix="lang-portal-browser-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def template_db(browser_tmp: Path) -> tuple[Path, dict[str, int]]:
    """A migrated, seeded SQLite file with the test rows; copied for every server."""
    path = browser_tmp / "template.db"
    url = f"sqlite:///{path}"
    run_cli_ok("migrate", database_url=url)
    run_cli_ok("seed", database_url=url)
    return path, add_test_rows(path)


class PortalFactory:
    def __init__(self, root: Path, template: tuple[Path, dict[str, int]]) -> None:
        self.root = root
        self.template, self.ids = template
        self.count = 0
        self.running: list[Portal] = []

    def start(self, **extra_env: str) -> Portal:
        self.count += 1
        db_file = self.root / f"portal_{self.count}.db"
        shutil.copyfile(self.template, db_file)
        portal = Portal(
            f"sqlite:///{db_file}", self.root / f"portal_{self.count}.log", extra_env=extra_env
        )
        portal.ids = dict(self.ids)
        self.running.append(portal.start())
        return portal

    def stop_all(self) -> None:
        while self.running:
            self.running.pop().stop()


@pytest.fixture(scope="session")
def portals(browser_tmp: Path, template_db: tuple[Path, dict[str, int]]) -> Iterator[PortalFactory]:
    factory = PortalFactory(browser_tmp, template_db)
    yield factory
    factory.stop_all()


@pytest.fixture(scope="session")
def portal(portals: PortalFactory) -> Portal:
    """The shared server (session-scoped)."""
    return portals.start()


@pytest.fixture
def fresh_portal(portals: PortalFactory) -> Iterator[Portal]:
    """A server of this test's own, on a fresh copy of the seeded database."""
    server = portals.start()
    yield server
    server.stop()
    portals.running.remove(server)


async def _pg_admin(base_url: str, sql: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(base_url, timeout=10)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
async def pg_portal(request: pytest.FixtureRequest, browser_tmp: Path) -> AsyncIterator[Portal]:
    """The app on a PostgreSQL database created (migrated, seeded) here and dropped after."""
    if "postgresql" not in request.config.lang_portal_backends:  # type: ignore[attr-defined]
        pytest.skip(getattr(request.config, "lang_portal_no_postgres", "no PostgreSQL"))
    admin_url = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"lp_browser_{uuid.uuid4().hex[:8]}"
    url = f"{admin_url.rpartition('/')[0]}/{name}"
    await _pg_admin(admin_url, f'CREATE DATABASE "{name}"')
    server = Portal(url, browser_tmp / "pg_portal.log")
    try:
        await asyncio.to_thread(run_cli_ok, "migrate", database_url=url)
        await asyncio.to_thread(run_cli_ok, "seed", database_url=url)
        await asyncio.to_thread(server.start)
        yield server
    finally:
        await asyncio.to_thread(server.stop)
        await _pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ------------------------------------------------------------------------------ browser


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}: CI needs it for the browser tests")
        pytest.skip(f"Chromium is missing at {CHROMIUM} (make browser-deps installs it)")
    return CHROMIUM


@pytest.fixture(scope="session")
async def browser(chromium_path: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, timeout=60_000
        )
        yield chromium
        await chromium.close()


class Contexts:
    """Opens watched browser contexts for one test and closes them after it."""

    def __init__(self, browser: Browser, item: pytest.Item) -> None:
        self.browser = browser
        self.item = item
        self.opened: list[BrowserContext] = []

    async def new(self, portal: Portal, **options: Any) -> tuple[BrowserContext, Watcher]:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = await self.browser.new_context(base_url=portal.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        watcher = Watcher()
        watcher.attach(context)
        self.item.stash.setdefault(WATCHERS, []).append(watcher)
        self.item.stash.setdefault(PORTALS, []).append(portal)
        self.opened.append(context)
        return context, watcher

    async def page(self, portal: Portal, **options: Any) -> tuple[Page, Watcher]:
        context, watcher = await self.new(portal, **options)
        return await context.new_page(), watcher

    async def close(self) -> None:
        for context in self.opened:
            with contextlib.suppress(Error):
                await context.close()


@pytest.fixture
async def contexts(browser: Browser, request: pytest.FixtureRequest) -> AsyncIterator[Contexts]:
    holder = Contexts(browser, request.node)
    yield holder
    await holder.close()


@pytest.fixture
async def watched(contexts: Contexts, portal: Portal) -> tuple[Page, Watcher]:
    """A page (JavaScript on) on the shared server and its watcher."""
    return await contexts.page(portal)
