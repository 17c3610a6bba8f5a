#!/usr/bin/env python3
"""CPU per request of every benchmarked path, in-process, with the response cache
on (a repeated request: what the wrk runs measure) and off (the cost of rendering
it: a first view, or the first after the data changed).

    .venv/bin/python bench/inprocess.py                      # the 1x SQLite import
    .venv/bin/python bench/inprocess.py --requests 100 --only 'page_|group_show'
    .venv/bin/python bench/inprocess.py --database-url postgresql://…/lp_bench

No HTTP server and no sockets: Quart's test client calls the app in this process,
so the figures leave out the ASGI server's share (about the same for every path)
and are steadier than wrk's on a shared machine.  The database is a copy of the
benchmark's 1x import (bench/work/, made on first use), migrated first.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchkit import data as datasets
from benchkit.endpoints import API, PAGES, placeholder_ids

BROWSER = {"Accept-Encoding": "br, gzip"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=60, help="per path and mode")
    parser.add_argument("--only", default="", help="regex of endpoint keys")
    parser.add_argument("--database-url", help="default: a fresh copy of the 1x SQLite import")
    return parser.parse_args()


async def measure(database_url: str, cache_mb: int, args: argparse.Namespace) -> dict[str, Any]:
    from webapp import create_app

    # one log line per request is the server's work, not the path's: left out here
    logging.getLogger("webapp.requests").disabled = True
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-secret-key-not-for-production",
            "DEFAULT_LEARNER": "everyone",
            "RESPONSE_CACHE_MB": cache_mb,
        }
    )
    results: dict[str, Any] = {}
    async with app.test_app():
        client = app.test_client()
        await client.get("/dashboard")  # a returning browser: its session cookie
        launched = await client.post(
            "/api/study_sessions", json={"group_id": 1, "study_activity_id": 1}
        )
        words = int(
            (await (await client.get("/api/words?page=1")).get_json())["pagination"]["total_items"]
        )
        ids = placeholder_ids(words, fc_session=int((await launched.get_json())["id"]))
        for endpoint in API + PAGES:
            if args.only and not re.search(args.only, endpoint.key):
                continue
            path = endpoint.resolve(ids)
            headers = {**BROWSER, **endpoint.headers}
            first = await client.get(path, headers=headers)
            if first.status_code != 200:
                results[endpoint.key] = f"n/a ({first.status_code})"
                continue
            started = time.process_time()
            for _ in range(args.requests):
                await (await client.get(path, headers=headers)).get_data()
            results[endpoint.key] = (time.process_time() - started) / args.requests * 1000
    return results


def main() -> None:
    args = parse_args()
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    url = args.database_url
    if url is None:
        copy = datasets.project_sqlite_copy(datasets.ensure_dataset(1), 1, name="inprocess")
        url = f"sqlite:///{copy}"
    datasets.run_logged(
        [str(datasets.VENV_BIN / "python"), "-m", "webapp", "migrate"],
        env=datasets.project_env(url),
        timeout=300,
        cwd=datasets.target_root(),
    )
    cached = asyncio.run(measure(url, 32, args))
    cold = asyncio.run(measure(url, 0, args))
    reference = cached.get("group_show")
    print(f"CPU per request, in-process, {args.requests} requests each ({url.split('://')[0]})")
    print("| endpoint | cache on (repeat) | cache off (render) | off / on |")
    print("|---|---|---|---|")
    for key, on in cached.items():
        off = cold.get(key)
        if isinstance(on, str) or not isinstance(off, float):
            print(f"| {key} | {on} | {off} | — |")
            continue
        print(f"| {key} | {on:.2f} ms | {off:.2f} ms | {off / on:.1f}x |")
    if isinstance(reference, float):
        print(f"(group show, the reference, {reference:.2f} ms with the cache on)")


if __name__ == "__main__":
    main()
