"""Time an import of a generated 5,000-row CSV: preview, then commit (`make bench-import`).

Runs in-process against a fresh SQLite file (or DATABASE_URL, e.g. a scratch
PostgreSQL database; it must be migrated and is written to), and prints each step's
time.  The words are made up (kana from a syllable table, so every row is valid).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webapp.db import Database
from webapp.migrations import migrate
from webapp.services import imports
from webapp.services.seeding import seed

SYLLABLES = "かきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもらりるれろ"


def generated_csv(rows: int) -> bytes:
    words = ("".join(p) for p in itertools.product(SYLLABLES, repeat=3))
    lines = ["japanese,kana,english"]
    for index, kana in zip(range(rows), words, strict=False):
        lines.append(f"{kana},{kana},generated word {index}")
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


async def run(url: str, rows: int) -> None:
    database = Database(url)
    await database.connect()
    try:
        async with database.connection() as conn:
            await migrate(conn)
            await seed(conn)
            data = generated_csv(rows)
            started = time.perf_counter()
            preview = await imports.create_preview(
                conn, data, "generated.csv", {"group_name": f"Timing {time.time():.0f}"}
            )
            planned = time.perf_counter()
            print(f"preview: {preview['summary']['rows']:,} rows in {planned - started:.2f}s")
            result = await imports.commit_preview(conn, preview["id"], progress=print)
            done = time.perf_counter()
            print(f"commit: {result['group']['word_count']:,} words in {done - planned:.2f}s")
            print(f"total (preview + commit): {done - started:.2f}s on {database.dialect}")
    finally:
        await database.disconnect()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if url:
        asyncio.run(run(url, args.rows))
        return
    with tempfile.TemporaryDirectory() as scratch:
        asyncio.run(run(f"sqlite:///{scratch}/import_timing.db", args.rows))


if __name__ == "__main__":
    main()
