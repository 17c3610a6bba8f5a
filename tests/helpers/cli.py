"""`python -m webapp` as an operator runs it, what a clear failure looks like, and a free
loopback port for the tests that start real servers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import dataclass

from tests.helpers.seeds import ROOT


@dataclass
class CliRun:
    code: int
    out: str
    err: str


def run_cli(*args: str, database_url: str, timeout: float = 300) -> CliRun:
    """`python -m webapp <args>` with DATABASE_URL set, as an operator runs it."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key"}
    done = subprocess.run(
        [sys.executable, "-m", "webapp", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return CliRun(done.returncode, done.stdout, done.stderr)


def run_cli_ok(*args: str, database_url: str, timeout: float = 300) -> CliRun:
    """`run_cli` for set-up steps: fails the test with the command's output if it fails."""
    run = run_cli(*args, database_url=database_url, timeout=timeout)
    if run.code != 0:
        raise AssertionError(f"webapp {' '.join(args)} failed:\n{run.out}\n{run.err}")
    return run


def cli_on(database_url: str, *args: str, timeout: float = 300) -> CliRun:
    return run_cli(*args, database_url=database_url, timeout=timeout)


def assert_clear_failure(run: CliRun, *fragments: str) -> None:
    """Non-zero, one short message naming the problem, no traceback."""
    assert run.code != 0, (run.out, run.err)
    message = run.err.strip()
    assert message, run.out
    assert "Traceback" not in run.err + run.out, run.err
    assert len(message.splitlines()) == 1, message
    for fragment in fragments:
        assert fragment.lower() in message.lower(), (fragment, message)


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
