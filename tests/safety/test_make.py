"""The Makefile's gates: `make test` runs every check `make lint` runs, before pytest."""

from __future__ import annotations

import subprocess

from tests.helpers import ROOT


def _recipe(target: str) -> list[str]:
    """The commands `make <target>` would run (dry run: nothing is executed)."""
    done = subprocess.run(
        ["make", "--dry-run", "--always-make", target],
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
