"""Screenshots of the portal for the docs: `make screenshots` (or run this file).

Starts the app on a fresh SQLite database with the seed content, studies a little
(two sessions through the JSON API, one through the flashcards page) so the
dashboard has figures, and drives Debian's Chromium through Playwright to write
docs/screenshots/: dashboard.png, dashboard-dark.png, words.png, group.png,
flashcards.png (a revealed card) and phone-words.png (360 px wide).

Exits non-zero when the browser saw a console error, a failed request or an
error response, so a broken page is not photographed silently.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    ViewportSize,
    sync_playwright,
)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--font-render-hinting=none",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 860}
PHONE: ViewportSize = {"width": 360, "height": 760}
# (group name, answers: True right / False wrong), recorded through the API
HISTORY = [
    ("Core Verbs", [True] * 9 + [False] * 3),
    ("Greetings & Expressions", [True, True, False, True, True, True, False, True]),
]
FLASHCARDS_GROUP = "Food & Drink"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, workdir: Path) -> None:
        self.database_url = f"sqlite:///{workdir / 'portal.db'}"
        self.log = workdir / "server.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": "screenshots",
            # The share link shows the address `make run` serves, not this run's port.
            "PUBLIC_URL": "http://localhost:8000",
        }
        self.env.pop("ADMIN_TOKEN", None)
        self.process: subprocess.Popen | None = None

    def cli(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "webapp", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        self.cli("migrate")
        self.cli("seed")
        uvicorn = Path(sys.executable).parent / "uvicorn"
        with self.log.open("wb") as log:
            command = [str(uvicorn), "--factory", "webapp:create_app"]
            command += ["--host", "127.0.0.1", "--port", str(self.port)]
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"the server did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def api(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(
            f"{self.url}/api{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json"} if body is not None else {},
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read())


def record_history(server: Server) -> dict[str, int]:
    """Sessions with reviews through the JSON API; returns the group ids by name."""
    groups = {g["name"]: g["id"] for g in server.api("GET", "/groups")["items"]}
    activity = server.api("GET", "/study_activities")["items"][0]["id"]
    for name, answers in HISTORY:
        session = server.api(
            "POST", "/study_sessions", {"group_id": groups[name], "study_activity_id": activity}
        )
        words = server.api("GET", f"/groups/{groups[name]}/words")["items"]
        for word, correct in zip(words, answers, strict=False):
            server.api(
                "POST",
                f"/study_sessions/{session['id']}/words/{word['id']}/review",
                {"correct": correct},
            )
    return groups


class Problems:
    """Console errors, failed requests and error responses seen by a context."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def watch(self, context: BrowserContext) -> BrowserContext:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.found.append(f"console: {message.text}")

        def on_request_failed(request: Request) -> None:
            if "/favicon" not in request.url:
                self.found.append(f"failed: {request.url} {request.failure}")

        def on_response(response: Response) -> None:
            if response.status >= 400:
                self.found.append(f"HTTP {response.status}: {response.url}")

        context.on("console", on_console)
        context.on("weberror", lambda e: self.found.append(f"page error: {e.error}"))
        context.on("requestfailed", on_request_failed)
        context.on("response", on_response)
        return context


def shoot(page: Page, name: str, full_page: bool = False) -> None:
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    path = OUT / name
    page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
    print(f"  wrote {path.relative_to(ROOT)}")


def study_in_the_browser(page: Page) -> None:
    """Launch flashcards from the page, answer three cards, reveal the fourth."""
    page.goto("/study_activities")
    page.get_by_role("link", name="Launch Flashcards").click()
    page.get_by_label("Word group").select_option(label=f"{FLASHCARDS_GROUP} (50 words)")
    page.get_by_role("button", name="Launch now").click()
    page.wait_for_url("**/flashcards")
    page.wait_for_load_state("load")
    for key in ["ArrowRight", "ArrowRight", "ArrowLeft"]:
        page.keyboard.press("Space")
        page.locator("#flashcard .answer").wait_for()
        page.keyboard.press(key)
        page.locator("#flashcard [data-shortcut=reveal]").wait_for()
    page.get_by_role("button", name="Show answer").click()
    page.locator("#flashcard .answer").wait_for()
    page.locator("body").evaluate("() => document.activeElement && document.activeElement.blur()")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"Chromium is missing at {CHROMIUM}: run 'make browser-deps'", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="lang-portal-screenshots-"))
    server = Server(workdir)
    problems = Problems()
    try:
        server.start()
        print(f"portal on {server.url} ({server.database_url})", flush=True)
        groups = record_history(server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            desktop = problems.watch(
                browser.new_context(base_url=server.url, viewport=DESKTOP, color_scheme="light")
            )
            page = desktop.new_page()
            study_in_the_browser(page)
            shoot(page, "flashcards.png")
            page.goto("/dashboard")
            shoot(page, "dashboard.png", full_page=True)
            page.goto("/words")
            shoot(page, "words.png")
            page.goto(f"/groups/{groups['Core Verbs']}")
            shoot(page, "group.png")

            dark = problems.watch(
                browser.new_context(base_url=server.url, viewport=DESKTOP, color_scheme="light")
            )
            page = dark.new_page()
            page.goto("/settings")
            page.get_by_label("Dark").check()
            page.get_by_role("button", name="Save theme").click()
            page.wait_for_url("**/settings")
            page.goto("/dashboard")
            shoot(page, "dashboard-dark.png", full_page=True)

            phone = problems.watch(
                browser.new_context(
                    base_url=server.url,
                    viewport=PHONE,
                    device_scale_factor=2,
                    is_mobile=True,
                    has_touch=True,
                )
            )
            page = phone.new_page()
            page.goto("/words")
            shoot(page, "phone-words.png")
            browser.close()
    finally:
        server.stop()
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if problems.found:
        print("the browser reported problems:\n  " + "\n  ".join(problems.found), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
