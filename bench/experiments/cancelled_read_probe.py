#!/usr/bin/env python3
"""A read cancelled mid-flight leaves its SQLite connection on an old snapshot.

In-process probe of the mechanism behind the stale reads `stale_reads.py` sees
through HTTP: a task is cancelled (as Quart cancels a request whose client
went away) while `databases` awaits aiosqlite's `execute`; the statement has
already started in aiosqlite's thread, is never reset, and keeps its read
transaction open. The connection goes back to the idle pool and later reads
on it miss every commit made since.

    .venv/bin/python bench/experiments/cancelled_read_probe.py [--thin] [--trials 150]

--thin applies the `thin_sqlite` patch (execute, fetch and close in one hop
on aiosqlite's thread), which leaves no such window.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

import patched  # noqa: E402

BIG_READ = "SELECT id, word_id FROM words_review_items WHERE id < 200000"
COUNTER = "SELECT sessions_count FROM learner_stats WHERE learner_id = 1"


async def probe(url: str, trials: int) -> int:
    from webapp.db import Database

    db = Database(url)
    await db.connect()
    stale = 0
    try:
        for i in range(trials):
            reader, writer = await db.acquire(), await db.acquire()
            task = asyncio.create_task(reader.fetch_all(BIG_READ))
            await asyncio.sleep((i % 5) * 0.0002)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            before = await writer.fetch_val(COUNTER)
            await writer.execute(
                "UPDATE learner_stats SET sessions_count = sessions_count + 1 WHERE learner_id = 1"
            )
            if await reader.fetch_val(COUNTER) != before + 1:
                stale += 1
            await writer.execute("SELECT 1")
            await db.release(reader)
            await db.release(writer)
            db._idle.clear()  # fresh connections for the next trial
            await asyncio.sleep(0.01)
    finally:
        await db.disconnect()
    return stale


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--thin", action="store_true")
    p.add_argument("--trials", type=int, default=150)
    args = p.parse_args()
    source = HERE.parent / "work" / "run" / "project_1x.db"
    target = Path("/tmp/lp_cancelled_read_probe.db")
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    if args.thin:
        patched.patch_thin_sqlite()
    stale = asyncio.run(probe(f"sqlite:///{target}", args.trials))
    print(
        f"{'thin_sqlite' if args.thin else 'db.py as is'}: a later read missed a commit "
        f"after {stale} of {args.trials} cancelled reads"
    )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
