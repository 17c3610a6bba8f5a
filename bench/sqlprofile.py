#!/usr/bin/env python3
"""Which SQL each endpoint runs, what it costs, and its plan.

Serves each URL in-process (Quart's test client against a benchmark copy of
the data), records every statement the app sends through `webapp.db.Conn`,
then times each statement on its own and prints its plan: EXPLAIN QUERY PLAN
on SQLite, EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL. The SQL is the app's
own, so the report follows the code as it changes.

    .venv/bin/python bench/sqlprofile.py --scale 5            # SQLite copy from bench/work
    .venv/bin/python bench/sqlprofile.py --database-url postgresql://postgres@127.0.0.1:5432/lp_bench
    .venv/bin/python bench/sqlprofile.py --scale 1 --only quick_stats --out /tmp/plans.md

Run `bench/run.py` first (it makes bench/work/run/project_<scale>x.db).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from benchkit.endpoints import API, PAGES, placeholder_ids  # noqa: E402

RECORD: list[tuple[str, str, dict[str, Any], float]] | None = None


def install_recorder() -> None:
    """Wrap Conn's query methods so every statement of a request is recorded."""
    from webapp import db as dbmod

    for name in ("fetch_all", "fetch_one", "fetch_val", "execute"):
        original = getattr(dbmod.Conn, name)

        def make(original: Any, name: str) -> Any:
            async def recorded(self: Any, sql: str, values: Any = None) -> Any:
                started = time.perf_counter()
                result = await original(self, sql, values)
                if RECORD is not None:
                    RECORD.append((name, sql, dict(values or {}), time.perf_counter() - started))
                return result

            return recorded

        setattr(dbmod.Conn, name, make(original, name))


def sqlite_plan(rows: list[dict[str, Any]]) -> str:
    depth: dict[int, int] = {0: -1}
    lines = []
    for row in rows:
        level = depth.get(row["parent"], -1) + 1
        depth[row["id"]] = level
        lines.append("  " * level + row["detail"])
    return "\n".join(lines)


def compact_plan(plan: str) -> str:
    """Collapse runs of identical plan blocks (a UNION ALL of 45 probes reads as one)."""
    lines = plan.splitlines()
    shape = [re.sub(r"\d+", "#", line) for line in lines]
    out: list[str] = []
    i = 0
    while i < len(lines):
        for size in range(1, 6):
            block = shape[i : i + size]
            repeats = 1
            while shape[i + repeats * size : i + (repeats + 1) * size] == block:
                repeats += 1
            if repeats > 2:
                first = lines[i : i + size]
                out += [*first[:-1], f"{first[-1]}   (block of {size} line(s) × {repeats})"]
                i += repeats * size
                break
        else:
            out.append(lines[i])
            i += 1
    return "\n".join(out)


def short_sql(sql: str, limit: int = 900) -> str:
    sql = " ".join(sql.split())
    return sql if len(sql) <= limit else sql[:limit] + f" … ({len(sql):,} characters)"


def time_raw_sqlite(path: str, sql: str, values: dict[str, Any], n: int) -> float:
    """The same statement on a plain sqlite3 connection: the engine's own cost."""
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        samples = []
        for _ in range(n):
            started = time.perf_counter()
            con.execute(sql, values).fetchall()
            samples.append((time.perf_counter() - started) * 1000)
        return statistics.median(samples)
    finally:
        con.close()


async def time_driver(conn: Any, sql: str, values: dict[str, Any], n: int) -> float:
    """The statement on the app's own aiosqlite connection, skipping `databases`
    (no SQLAlchemy compile of the text per call): what a thinner db.py would pay."""
    driver = conn.driver_connection
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        cursor = await driver.execute(sql, values)
        await cursor.fetchall()
        await cursor.close()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


async def time_statement(conn: Any, sql: str, values: dict[str, Any], n: int) -> float:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        await conn.fetch_all(sql, values)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


async def profile(args: argparse.Namespace) -> str:
    global RECORD
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
    install_recorder()
    from webapp import create_app
    from webapp.web import database

    logging.getLogger("webapp.requests").disabled = True
    app = create_app()
    db_path = args.database_url[len("sqlite:///") :]
    words = args.words
    ids = placeholder_ids(words, fc_session=1)
    out = [f"# SQL per endpoint ({args.database_url.split('@')[-1]})", ""]
    async with app.test_app() as test_app:
        client = test_app.test_client()
        async with app.app_context():
            db = database()
            conn = await db.acquire()
        try:
            for ep in (*API, *PAGES):
                if args.only and args.only not in ep.key:
                    continue
                path = ep.resolve(ids)
                headers = dict(ep.headers)
                response = await client.get(path, headers=headers)
                if response.status_code != 200:
                    out += [f"## {ep.label} `{path}`: {response.status_code}", ""]
                    continue
                totals = []
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    await client.get(path, headers=headers)
                    totals.append((time.perf_counter() - started) * 1000)
                RECORD = []
                await client.get(path, headers=headers)
                statements, RECORD = RECORD, None
                sql_ms = 0.0
                section = []
                for n, (_method, sql, values, _elapsed) in enumerate(statements, 1):
                    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                        section += [f"{n}. `{sql[:100]}`", ""]
                        continue
                    ms = await time_statement(conn, sql, values, args.repeat)
                    sql_ms += ms
                    if conn.is_sqlite:
                        explained = await conn.fetch_all("EXPLAIN QUERY PLAN " + sql, values)
                        plan = sqlite_plan(explained)
                        raw = time_raw_sqlite(db_path, sql, values, args.repeat)
                        driver = await time_driver(conn, sql, values, args.repeat)
                        timing = (
                            f"{ms:.3f} ms through the app's Conn, {driver:.3f} ms on its aiosqlite"
                            f" connection directly, {raw:.3f} ms in plain sqlite3"
                        )
                    else:
                        rows = await conn.fetch_all("EXPLAIN (ANALYZE, BUFFERS) " + sql, values)
                        plan = "\n".join(r["QUERY PLAN"] for r in rows)
                        timing = f"{ms:.3f} ms through the app's connection"
                    section += [
                        f"{n}. {timing} (medians of {args.repeat})",
                        "",
                        "```sql",
                        short_sql(sql),
                        "```",
                        "",
                        "```",
                        compact_plan(plan),
                        "```",
                        "",
                    ]
                total = statistics.median(totals)
                out += [
                    f"## {ep.label} `{path}`",
                    "",
                    f"In-process request {total:.2f} ms (median of {args.repeat}); "
                    f"{len(statements)} statements, {sql_ms:.2f} ms of SQL run alone; "
                    f"the rest ({max(total - sql_ms, 0):.2f} ms) is Python: routing, "
                    "hooks, serialising, templates.",
                    "",
                    *section,
                ]
        finally:
            await db.release(conn)
    return "\n".join(out) + "\n"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--scale", type=int, default=1)
    p.add_argument("--database-url")
    p.add_argument("--words", type=int, help="words in the dataset (default 20000 × scale)")
    p.add_argument("--only", help="substring of the endpoint keys to profile")
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--out", type=Path)
    args = p.parse_args()
    args.words = args.words or 20_000 * args.scale
    if not args.database_url:
        path = BENCH / "work" / "run" / f"project_{args.scale}x.db"
        if not path.exists():
            print(f"{path} is missing: run bench/run.py first", file=sys.stderr)
            return 1
        args.database_url = f"sqlite:///{path}"
    text = asyncio.run(profile(args))
    if args.out:
        args.out.write_text(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
