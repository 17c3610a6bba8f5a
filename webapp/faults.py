"""Faults answered clearly: input the databases cannot store, a database that
cannot be written (disk full, read-only), and errors that repeat.

- A NUL character or bytes that are not UTF-8 in the query string or a form are
  400 before any route runs (PostgreSQL refuses NUL in text; SQLite would store
  it).  JSON text fields are the routes' to validate (`unstorable_text`); should
  one reach PostgreSQL anyway, its refusal is a 400 too (`as_bad_text`).
- A write that fails because the disk is full or the database is read-only is
  503 with a message saying so; /health reports it while it lasts.
- The same error logged again and again (one per request while the disk is
  full) is written once per REPEAT_WINDOW_SECONDS, with the count of the ones
  left out.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

import asyncpg
from quart import current_app, request

from .db import Conn
from .errors import BadRequest, ServiceUnavailable

REPEAT_WINDOW_SECONDS = 60.0
# Below this much free space a SQLite portal reports itself unhealthy.
MIN_FREE_BYTES = 1 << 20
# How long /health keeps reporting a failed write after the last one.
WRITE_FAULT_MEMORY_SECONDS = 60.0


def _last_write_fault() -> dict[str, Any]:
    """This app's most recent failed write (when, why), for /health."""
    return current_app.extensions.setdefault(
        "lang_portal_write_fault", {"at": -WRITE_FAULT_MEMORY_SECONDS, "reason": ""}
    )


# --- input the databases cannot store ------------------------------------------


def unstorable_text(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None when it can."""
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains text that is not valid Unicode (a lone surrogate)"
    return None


def _check_encoded(raw: bytes, where: str) -> None:
    for pair in raw.split(b"&"):
        for part in pair.split(b"=", 1):
            decoded = unquote_to_bytes(part.replace(b"+", b" "))
            if b"\x00" in decoded:
                raise BadRequest(f"The {where} contains a NUL character, which is not allowed")
            try:
                decoded.decode("utf-8")
            except UnicodeDecodeError:
                raise BadRequest(f"The {where} is not valid UTF-8 text") from None


async def refuse_unstorable_input() -> None:
    """400 for a query string or form holding NUL or bytes that are not UTF-8."""
    _check_encoded(request.query_string, "address's query string")
    if request.mimetype == "application/x-www-form-urlencoded":
        _check_encoded(await request.get_data(cache=True), "form")


def as_bad_text(error: BaseException) -> BadRequest | None:
    """A 400 for text the database refused to store (NUL, invalid Unicode)."""
    if isinstance(
        error,
        asyncpg.CharacterNotInRepertoireError
        | asyncpg.UntranslatableCharacterError
        | UnicodeEncodeError,
    ):
        return BadRequest(
            "The text sent contains a character that cannot be stored (NUL or invalid Unicode)"
        )
    return None


# --- writes that cannot happen -------------------------------------------------


def write_fault_reason(error: BaseException) -> str | None:
    """'disk full' or 'read-only' when `error` is a database refusing to write."""
    if isinstance(error, asyncpg.DiskFullError):
        return "the disk is full"
    if isinstance(error, asyncpg.ReadOnlySQLTransactionError):
        return "the database is read-only"
    if isinstance(error, sqlite3.OperationalError | sqlite3.DatabaseError):
        text = str(error).lower()
        if "disk is full" in text or "database or disk is full" in text:
            return "the disk is full"
        if "readonly" in text or "read-only" in text:
            return "the database is read-only"
        if "disk i/o error" in text:
            return "the disk cannot be written"
    return None


def as_service_unavailable(error: BaseException) -> ServiceUnavailable | None:
    reason = write_fault_reason(error)
    if reason is None:
        return None
    _last_write_fault().update(at=time.monotonic(), reason=reason)
    return ServiceUnavailable(
        f"The portal cannot save changes right now: {reason}. Nothing was changed; "
        "try again later (the operator has been told in the log)."
    )


async def write_problem(conn: Conn) -> str | None:
    """For /health: why this database cannot take writes now, or None."""
    if conn.is_sqlite:
        path = await conn.fetch_val("SELECT file FROM pragma_database_list WHERE name = 'main'")
        if path:
            if not os.access(path, os.W_OK) or not os.access(os.path.dirname(path), os.W_OK):
                return "the database is read-only"
            if shutil.disk_usage(os.path.dirname(path)).free < MIN_FREE_BYTES:
                return "the disk is full"
    elif await conn.fetch_val("SELECT current_setting('transaction_read_only')") == "on":
        return "the database is read-only"
    fault = _last_write_fault()
    if time.monotonic() - fault["at"] < WRITE_FAULT_MEMORY_SECONDS:
        return str(fault["reason"])
    return None


# --- errors that repeat --------------------------------------------------------


class RepeatFilter(logging.Filter):
    """Lets one record per kind through each window; the next one carries the count
    of those left out.  A kind is the logger, the message and the error type."""

    def __init__(
        self, window: float = REPEAT_WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.window = window
        self.clock = clock
        self._seen: dict[tuple[str, str, str], list[float]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        kind = (record.name, record.getMessage(), type(error).__name__ if error else "")
        now = self.clock()
        seen = self._seen.get(kind)
        if seen is not None and now - seen[0] < self.window:
            seen[1] += 1
            return False
        left_out = int(seen[1]) if seen else 0
        self._seen[kind] = [now, 0]
        if left_out:
            record.msg = f"{record.msg} (the same error happened {left_out} more times before)"
            # msg may hold % placeholders already filled from args; keep them as they are

        return True


def install_repeat_filter(logger: logging.Logger) -> None:
    if not any(isinstance(f, RepeatFilter) for f in logger.filters):
        logger.addFilter(RepeatFilter())
