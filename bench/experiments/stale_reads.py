#!/usr/bin/env python3
"""Do pooled connections ever read an old snapshot? (found by the benchmark)

Repeats: a short wrk burst that ends with requests in flight (wrk closes its
connections mid-request, as impatient clients do), then a POST that creates a
study session, then many GETs of that new session spread over fresh
connections. Any 404 means a worker answered from a connection that still sees
the database as it was before the session existed.

    .venv/bin/python bench/experiments/stale_reads.py [--rounds 10] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchkit.data import RUN_DIR
from benchkit.load import fetch, run_wrk
from benchkit.servers import start_project, wait_healthy


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rounds", type=int, default=10)
    p.add_argument("--gets", type=int, default=200)
    p.add_argument("--burst-url", default="/api/words?page=50")
    p.add_argument("--database-url")
    p.add_argument("--factory")
    p.add_argument("--env", action="append", default=[])
    args = p.parse_args()
    url = args.database_url
    if not url:
        source = RUN_DIR / "project_1x.db"
        target = RUN_DIR / "stale_1x.db"
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(source, target)
        url = f"sqlite:///{target}"
    extra_env = dict(item.split("=", 1) for item in args.env)
    server = start_project(url, factory=args.factory, extra_env=extra_env, name="stale")
    stale_total = 0
    try:
        wait_healthy(server)
        activities = json.loads(fetch(server.port, "/api/study_activities").body)["items"]
        body = {"group_id": 1, "study_activity_id": activities[0]["id"]}
        for n in range(1, args.rounds + 1):
            run_wrk(server.url(args.burst_url), duration=1, connections=16, threads=1)
            created = fetch(server.port, "/api/study_sessions", method="POST", body=body)
            session_id = json.loads(created.body)["id"]
            statuses: dict[int, int] = {}
            for _ in range(args.gets):
                got = fetch(server.port, f"/api/study_sessions/{session_id}")
                statuses[got.status] = statuses.get(got.status, 0) + 1
            stale = statuses.get(404, 0)
            stale_total += stale
            print(f"round {n}: session {session_id}: {statuses} ({stale} stale reads)")
    finally:
        server.stop()
    print(f"stale reads: {stale_total} of {args.rounds * args.gets} GETs")
    return 1 if stale_total else 0


if __name__ == "__main__":
    sys.exit(main())
