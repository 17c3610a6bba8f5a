"""The study loop of a class: `bench/study_loop.py` against a server, then the check.

The client runs as its own process (its CPU is not the server's). Afterwards the
review rows of its sessions, their counters and the learners' totals are read
straight from the database: every acknowledged review must be stored, once, and
the counters must agree with the rows.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from . import BENCH_DIR
from .data import scalars
from .servers import Server, group_cpu_seconds, machine_cpu

LEARNERS = 100
CLASS_SIZE = 16  # the learners answering reviews at once in the write rows (wrk)
P99_LIMIT_MS = 50.0


def _client(server: Server, timeout_s: float, *options: str) -> dict[str, Any]:
    """bench/study_loop.py against `server`: the one JSON object it prints."""
    cmd = [sys.executable, str(BENCH_DIR / "study_loop.py"), f"--port={server.port}", *options]
    # progress goes to our stderr as it comes; the result is the one JSON line of stdout
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, timeout=timeout_s, check=False)
    lines = proc.stdout.strip().splitlines()
    if not lines:
        return {"error": f"the study loop client printed nothing (exit {proc.returncode})"}
    return dict(json.loads(lines[-1]))


def run_client(server: Server, *, seconds: float, learners: int, group: int) -> dict[str, Any]:
    return _client(
        server,
        seconds + 300,
        f"--learners={learners}",
        f"--seconds={seconds}",
        f"--group={group}",
    )


def enrol_class(server: Server, *, learners: int, group: int) -> list[dict[str, Any]]:
    """`learners` new learners, each with a flashcards session launched on `group`, made
    through the API by the study loop's own set-up: [{id, token, session_id}, …]."""
    got = _client(server, 300, f"--learners={learners}", f"--group={group}", "--setup-only")
    if got.get("error"):
        raise RuntimeError(f"the class could not be set up: {got['error']}")
    return list(got["learners"])


def stored(database_url: str, result: dict[str, Any]) -> dict[str, int | None]:
    """Rows and counters of the loop's own sessions and learners (none before it)."""
    sessions = ",".join(str(int(s)) for s in result["session_ids"]) or "0"
    learners = ",".join(str(int(i)) for i in result["learner_ids"]) or "0"
    queries = {
        "rows": f"SELECT COUNT(*) FROM words_review_items WHERE study_session_id IN ({sessions})",
        "distinct_client_ids": "SELECT COUNT(DISTINCT client_id) FROM words_review_items "
        f"WHERE study_session_id IN ({sessions})",
        "session_counters": "SELECT COALESCE(SUM(correct_count + wrong_count), 0) "
        f"FROM study_sessions WHERE id IN ({sessions})",
        "learner_counters": "SELECT COALESCE(SUM(correct_count + wrong_count), 0) "
        f"FROM learner_stats WHERE learner_id IN ({learners})",
    }
    return scalars(database_url, queries)


def measure_study_loop(
    server: Server, database_url: str, *, seconds: float, group: int, learners: int = LEARNERS
) -> dict[str, Any]:
    """The row of one study loop: the client's figures, the server's CPU, the check."""
    cpu0, (busy0, total0) = group_cpu_seconds(server), machine_cpu()
    result = run_client(server, seconds=seconds, learners=learners, group=group)
    cpu1, (busy1, total1) = group_cpu_seconds(server), machine_cpu()
    if result.get("error"):
        return result
    result["server_cpu_s"] = round(cpu1 - cpu0, 3)
    served = result["all"]["count"]
    result["cpu_ms_per_req"] = round(1000 * (cpu1 - cpu0) / served, 3) if served else None
    result["busy_cpu_pct"] = round(100 * (busy1 - busy0) / max(total1 - total0, 1e-9), 1)
    counts = stored(database_url, result)
    acked, unknown = result["acknowledged"], result["unknown"]
    rows = counts["rows"]
    agree = {v for k, v in counts.items() if v is not None}
    # a review whose answer was never read (timeout, lost connection) may be stored too
    ok = (
        rows is not None
        and acked <= rows <= acked + unknown
        and len(agree) == 1
        and result["replayed"] == 0
    )
    result["check"] = {
        "ok": ok,
        "counts": counts,
        "summary": (
            f"every acknowledged review stored once, counters agree ({acked} acknowledged"
            + (f", {rows - acked} more of {unknown} unanswered" if rows and rows > acked else "")
            + ")"
            if ok
            else f"MISMATCH: {acked} acknowledged, {unknown} unanswered, stored {counts}"
        ),
    }
    return result


def loop_summary(row: dict[str, Any]) -> str:
    if row.get("error"):
        return f"{row.get('server')} {row['db']} {row['scale']}x study loop: {row['error']}"
    every = row["all"]
    return (
        f"{row.get('server')} {row['db']} {row['scale']}x study loop of {row['learners']} "
        f"learners: {every['count']} requests ({row['rps']}/s), p50 {every['p50_ms']} ms, "
        f"p99 {every['p99_ms']} ms, {every['errors']} errors; "
        + "; ".join(
            f"{kind} p50 {t['p50_ms']} / p99 {t['p99_ms']} ms ({t['count']})"
            for kind, t in row["kinds"].items()
            if t["count"]
        )
        + f"; {row['check']['summary']}"
    )


def loop_ok(row: dict[str, Any]) -> bool | None:
    """p99 of every timed request within the limit, no errors, every review counted."""
    if row.get("error") or not row.get("all", {}).get("count"):
        return None
    return (
        (row["all"]["p99_ms"] or 0) <= P99_LIMIT_MS
        and row["all"]["errors"] == 0
        and bool(row["check"]["ok"])
    )
