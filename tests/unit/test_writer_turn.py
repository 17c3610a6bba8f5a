"""The SQLite writers' turn between processes (webapp/writer_turn.py): an flock that
one waiter sleeps on, and that a timed-out or cancelled wait never leaves taken.

Two WriterTurn objects on one file conflict as two processes would (an flock belongs
to the open file, and each object opens its own)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from webapp.writer_turn import WriterTurn


async def test_a_second_writer_waits_for_the_turn_and_gets_it_when_given_back(
    tmp_path: Path,
) -> None:
    first, second = WriterTurn(tmp_path / "db-writer"), WriterTurn(tmp_path / "db-writer")
    try:
        assert await first.take(1)
        waiting = asyncio.create_task(second.take(10))
        await asyncio.sleep(0.05)
        assert not waiting.done()  # still the first's turn
        first.give_back()
        assert await asyncio.wait_for(waiting, 5)
        assert not await first.take(0.05)  # now the second's
        second.give_back()
        assert await first.take(1)
        first.give_back()
    finally:
        first.close()
        second.close()


async def test_a_wait_that_times_out_or_is_cancelled_leaves_the_turn_free(
    tmp_path: Path,
) -> None:
    holder, late, third = (WriterTurn(tmp_path / "db-writer") for _ in range(3))
    try:
        assert await holder.take(1)
        assert not await late.take(0.05)  # timed out: its thread still waits
        cancelled = asyncio.create_task(late.take(10))
        await asyncio.sleep(0.05)
        cancelled.cancel()
        await asyncio.gather(cancelled, return_exceptions=True)
        holder.give_back()
        # the abandoned waits get the turn in their thread and hand it straight on
        assert await third.take(5)
        third.give_back()
    finally:
        for turn in (holder, late, third):
            turn.close()
