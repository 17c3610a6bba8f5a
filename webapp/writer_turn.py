"""Whose turn it is to write to one SQLite file, between the portal's worker processes.

SQLite lets one writer in at a time.  Within a process the writers queue on an
asyncio lock (db.py); between processes a writer found the file locked and retried
BEGIN IMMEDIATE every few milliseconds, each attempt a hop to SQLite's thread and
three statements: under 16 clients answering at once, about one retry for every two
answers, CPU spent on waiting.

Here the waiting is done by the kernel: before BEGIN IMMEDIATE a writer takes an OS
file lock (flock) on `<database>-writer`, and gives it back after COMMIT.  Free, it
costs one system call.  Held by another process, one thread blocks on it and wakes
the moment it is released.

The lock is a hint, never the guard.  SQLite's own lock still decides who writes, so
a writer that takes no turn (the sqlite3 shell, another tool) is still excluded,
and a turn lost to a cancelled wait only means one retry more.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import fcntl
import os
from pathlib import Path


class WriterTurn:
    """An flock on `path` shared by every process that opens the same file."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        # One thread: at most one writer per process waits (db.py's asyncio lock)
        self._waiter = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="sqlite-writer-turn"
        )

    async def take(self, wait_seconds: float) -> bool:
        """Wait for the turn, at most `wait_seconds`; False when it did not come."""
        with contextlib.suppress(BlockingIOError):
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        waiting = asyncio.get_running_loop().run_in_executor(
            self._waiter, fcntl.flock, self._fd, fcntl.LOCK_EX
        )
        try:
            await asyncio.wait_for(asyncio.shield(waiting), wait_seconds)
            return True
        except BaseException as stopped:
            # timed out or cancelled: the thread may still get the turn; hand it on then
            waiting.add_done_callback(self._give_back_late)
            if isinstance(stopped, TimeoutError):
                return False
            raise

    def give_back(self) -> None:
        if self._fd >= 0:  # once closed, the number may already be another file's
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _give_back_late(self, waiting: asyncio.Future[None]) -> None:
        if not waiting.cancelled() and waiting.exception() is None:
            self.give_back()

    def close(self) -> None:
        """Close the file (which also gives the turn back); a wait still under way
        ends with an error in its thread."""
        self._waiter.shutdown(wait=False, cancel_futures=True)
        fd, self._fd = self._fd, -1
        os.close(fd)
