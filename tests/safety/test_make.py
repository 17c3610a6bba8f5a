"""What the Makefile does for a user: `make test` runs every check `make lint` runs
before pytest; `make setup` never asks for a step it runs itself; `make run` logs
each request once."""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Callable

from tests.helpers import ROOT, run_cli_ok

from .server import Server


def _recipe(target: str, *variables: str) -> list[str]:
    """The commands `make <target>` would run (dry run: nothing is executed)."""
    done = subprocess.run(
        ["make", "--dry-run", "--always-make", target, *variables],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


def test_make_test_runs_every_lint_check_before_the_tests() -> None:
    lint = [line for line in _recipe("lint") if "/ruff " in line or "/mypy" in line]
    for gate in ("ruff check", "ruff format --check", "mypy"):
        assert any(gate in line for line in lint), f"`make lint` lacks {gate}: {lint}"
    test = _recipe("test")
    pytest_at = next(i for i, line in enumerate(test) if "pytest" in line)
    for check in lint:
        assert check in test[:pytest_at], f"`make test` skips `{check}` (or runs it after pytest)"


def test_make_setup_never_asks_for_a_step_it_runs_next(empty_database_url: str) -> None:
    steps = [
        shlex.split(line.partition("-m webapp")[2])
        for line in _recipe("setup")
        if "-m webapp" in line
    ]
    commands = [step[0] for step in steps]
    assert commands[-2:] == ["migrate", "seed"], commands
    for index, step in enumerate(steps):
        said = run_cli_ok(*step, database_url=empty_database_url)
        for later in commands[index + 1 :]:
            asked = re.search(rf"run\W+(python -m webapp )?{later}\b", said.out + said.err)
            assert not asked, f"`{step[0]}` asks for `{later}`, which make runs next: {said.out}"
    assert "up to date" in run_cli_ok("init", database_url=empty_database_url).out


def test_init_tells_a_manual_user_how_to_apply_pending_migrations(
    empty_database_url: str,
) -> None:
    said = run_cli_ok("init", database_url=empty_database_url).out
    assert "python -m webapp migrate" in said and "pending" in said, said


def _make_serve_command(port: int) -> list[str]:
    line = next(
        line for line in _recipe("serve", "HOST=127.0.0.1", f"PORT={port}") if "uvicorn" in line
    )
    return shlex.split(line)


def test_make_run_logs_each_request_once(
    database_url: str, start_server: Callable[..., Server]
) -> None:
    server = start_server(database_url, command=_make_serve_command)
    client = server.client()
    path = "/api/words/987654"
    assert client.get(path).status == 404
    client.close()
    server.stop()
    mentions = [line for line in server.output().splitlines() if path in line]
    assert len(mentions) == 1, mentions
