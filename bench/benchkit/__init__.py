"""Pieces of the benchmark harness (`bench/run.py`): data, servers, load, report."""

from __future__ import annotations

import os
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent
PROJECT_ROOT = BENCH_DIR.parent
WORK_DIR = BENCH_DIR / "work"
RESULTS_DIR = BENCH_DIR / "results"


# The prototype and the dataset generator live in the shared folder beside the
# project (or beside the folder holding it, for a worktree one level down);
# BENCH_REFERENCE_DIR points elsewhere (e.g. from a clone in another place).
def _reference_dir() -> Path:
    if os.environ.get("BENCH_REFERENCE_DIR"):
        return Path(os.environ["BENCH_REFERENCE_DIR"]).resolve()
    candidates = [up / "shared" / "reference" for up in PROJECT_ROOT.parents[:2]]
    return next((c for c in candidates if c.is_dir()), candidates[0]).resolve()


REFERENCE_DIR = _reference_dir()
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
# The checkout that is served and imported into: this one, or another given with
# `bench/run.py --project DIR` (an older commit, for before/after figures).
TARGET = {"root": PROJECT_ROOT}
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "lp_bench"


def target_root() -> Path:
    return TARGET["root"]


def log(message: str) -> None:
    """Progress on stderr with a wall-clock stamp (the table goes to stdout)."""
    import sys
    import time

    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
