"""Importing a database of the prototype's schema (`python -m webapp import-seed-db`).

The prototype's users keep their words, groups, sessions and reviews with
their ids.  Timestamps in any of the prototype's formats become UTC; rows that
point at missing rows are skipped and counted; the built-in activities are
added when missing; PostgreSQL sequences move past the imported ids; every
maintained counter is recomputed from the imported rows.  All in one
transaction: a failed import leaves the target as it was.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jaconv

from ..db import Conn, format_timestamp, parse_timestamp, utc_now
from ..errors import PortalError
from ..japanese import is_kana, to_hiragana
from ..queries import imports, resets, stats
from ..queries import seeds as seed_queries
from ..queries.activities import BUILTIN_ACTIVITY_TYPES
from .reschedule import reschedule
from .seeding import load_seed_content

REQUIRED_COLUMNS = {
    "words": {"id", "japanese", "romaji", "english", "parts"},
    "groups": {"id", "name"},
    "words_groups": {"id", "word_id", "group_id"},
    "study_activities": {
        "id",
        "name",
        "description",
        "thumbnail_url",
        "activity_type",
        "launch_url",
    },
    "study_sessions": {"id", "group_id", "study_activity_id", "created_at"},
    "words_review_items": {"id", "word_id", "study_session_id", "correct", "created_at"},
}
COPY_CHUNK = 50_000
Progress = Callable[[str], None]


class ImportFailed(PortalError):
    """The source cannot be imported, or the target refuses it; the message says why."""


@dataclass
class ImportReport:
    rows: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    added_activities: int = 0
    seconds: float = 0.0


def check_source(path: Path) -> dict[str, int]:
    """Open the prototype database read-only and check its tables; returns row counts."""
    if not path.is_file():
        raise ImportFailed(f"no such file: {path}")
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            counts = {}
            for table, needed in REQUIRED_COLUMNS.items():
                columns = {row[1] for row in source.execute(f"PRAGMA table_info({table})")}
                if not columns:
                    raise ImportFailed(
                        f"{path} has no '{table}' table: not a Lang Portal prototype database"
                    )
                missing = needed - columns
                if missing:
                    raise ImportFailed(f"{path}: table '{table}' lacks columns {sorted(missing)}")
                counts[table] = source.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            return counts
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise ImportFailed(f"{path} is not a readable SQLite database: {error}") from None


def normalise_timestamp(value: Any, fallback: str) -> str:
    """Any of the prototype's timestamp forms, as the portal's stored UTC text."""
    if value is None or value == "":
        return fallback
    try:
        return format_timestamp(parse_timestamp(str(value)))
    except ValueError:
        return fallback


def reading_of(japanese: str | None, romaji: str | None) -> str:
    """The hiragana reading used by search; kana words read as written."""
    if japanese and is_kana(japanese):
        return to_hiragana(japanese)
    if romaji and romaji.isascii():
        converted = jaconv.alphabet2kana(romaji.lower())
        return converted if is_kana(converted) else ""
    return ""


async def import_seed_db(
    conn: Conn, path: Path, *, replace: bool = False, progress: Progress = print
) -> ImportReport:
    started = time.monotonic()
    path = Path(os.path.abspath(path))  # noqa: ASYNC240 (a string operation, no I/O)
    source_counts = check_source(path)
    report = ImportReport()
    if conn.is_sqlite:
        # ATTACH cannot run inside a transaction, so it comes first.
        await imports.attach_source(conn, str(path))
    try:
        async with conn.transaction():
            if await imports.has_content(conn):
                if not replace:
                    raise ImportFailed(
                        "the portal's database already has words, groups or sessions; "
                        "pass --replace to delete them and import instead"
                    )
                await resets.delete_everything(conn)
            now = utc_now()
            await stats.pause_review_counters(conn)
            if conn.is_sqlite:
                await _copy_sqlite(conn, now, progress)
            else:
                await _copy_postgres(conn, path, now, progress)
            await stats.resume_review_counters(conn)
            for table in imports.IMPORT_ORDER:
                report.rows[table] = await imports.count_rows(conn, table)
                report.skipped[table] = source_counts[table] - report.rows[table]
            if not conn.is_sqlite:
                await imports.move_sequences_past_ids(conn)
            progress("recounting totals …")
            await stats.recount_all(conn)
            progress("rebuilding the study schedule …")
            await reschedule(conn)
    finally:
        if conn.is_sqlite:
            await imports.detach_source(conn)
    report.added_activities = report.rows["study_activities"] - source_counts["study_activities"]
    report.seconds = time.monotonic() - started
    return report


async def _ensure_builtin_activities(conn: Conn, now: Any) -> int:
    """Add the seeded built-in activities whose type the import did not bring."""
    for activity in load_seed_content().activities:
        if activity["activity_type"] not in BUILTIN_ACTIVITY_TYPES:
            continue
        existing = await conn.fetch_val(
            "SELECT id FROM study_activities WHERE activity_type = :t ORDER BY id LIMIT 1",
            {"t": activity["activity_type"]},
        )
        if existing is None:
            if not conn.is_sqlite:
                await imports.move_sequences_past_ids(conn)
            await seed_queries.insert_activity(conn, activity, created_at=now)
    flashcards = await conn.fetch_val(
        "SELECT id FROM study_activities WHERE activity_type = 'flashcards' ORDER BY id LIMIT 1"
    )
    return int(flashcards)


async def _copy_sqlite(conn: Conn, now: Any, progress: Progress) -> None:
    raw = conn.driver_connection
    now_text = format_timestamp(now)
    await raw.create_function("lp_ts", 2, normalise_timestamp, deterministic=True)
    await raw.create_function("lp_kana", 2, reading_of, deterministic=True)
    for table in imports.IMPORT_ORDER:
        started = time.monotonic()
        values: dict[str, Any] = {}
        if "now" in imports.SQLITE_COPY_STATEMENTS[table]:
            values["now"] = now_text
        if table == "study_sessions":
            values["fallback_activity"] = await _ensure_builtin_activities(conn, now)
        await imports.copy_table_sqlite(conn, table, values)
        _report_table(progress, table, await imports.count_rows(conn, table), started)


def _source_rows(path: Path, table: str) -> Iterator[list[tuple[Any, ...]]]:
    columns = {
        "words": "id, japanese, romaji, english, parts",
        "groups": "id, name",
        "words_groups": "id, word_id, group_id",
        "study_activities": (
            "id, name, description, thumbnail_url, activity_type, launch_url, created_at"
        ),
        "study_sessions": "id, group_id, study_activity_id, created_at",
        "words_review_items": "id, word_id, study_session_id, correct, created_at",
    }[table]
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cursor = source.execute(f"SELECT {columns} FROM {table} ORDER BY id")
        while chunk := cursor.fetchmany(COPY_CHUNK):
            yield chunk
    finally:
        source.close()


async def _copy_postgres(conn: Conn, path: Path, now: Any, progress: Progress) -> None:
    now_text = format_timestamp(now)
    known: dict[str, set[int]] = {}

    def ts(value: Any) -> Any:
        return parse_timestamp(normalise_timestamp(value, now_text))

    for table in imports.IMPORT_ORDER:
        started = time.monotonic()
        fallback = 0
        if table == "study_sessions":
            fallback = await _ensure_builtin_activities(conn, now)
            rows = await conn.fetch_all("SELECT id FROM study_activities")
            known["study_activities"] = {row["id"] for row in rows}
        ids: set[int] = set()
        for chunk in _source_rows(path, table):
            records = list(_postgres_records(table, chunk, known, ts, now, fallback))
            ids.update(r[0] for r in records)
            await imports.copy_records_postgres(conn, table, records)
        known[table] = ids
        _report_table(progress, table, len(ids), started)


def _postgres_records(
    table: str,
    chunk: list[tuple[Any, ...]],
    known: dict[str, set[int]],
    ts: Callable[[Any], Any],
    now: Any,
    fallback_activity: int,
) -> Iterator[tuple[Any, ...]]:
    for row in chunk:
        if table == "words":
            id_, japanese, romaji, english, parts = row
            yield (
                id_,
                japanese or "",
                reading_of(japanese, romaji),
                romaji or "",
                english or "",
                parts or "[]",
                now,
            )
        elif table == "groups":
            yield (row[0], row[1], now)
        elif table == "words_groups":
            if row[1] in known["words"] and row[2] in known["groups"]:
                yield row
        elif table == "study_activities":
            id_, name, description, thumb, kind, url, created = row
            yield (id_, name, description or "", thumb, kind or "external", url, ts(created))
        elif table == "study_sessions":
            id_, group_id, activity_id, created = row
            if group_id in known["groups"]:
                if activity_id not in known["study_activities"]:
                    activity_id = fallback_activity
                yield (id_, group_id, activity_id, 1, ts(created))
        else:
            id_, word_id, session_id, correct, created = row
            if word_id in known["words"] and session_id in known["study_sessions"]:
                yield (id_, word_id, session_id, bool(correct), ts(created))


def _report_table(progress: Progress, table: str, rows: int, started: float) -> None:
    seconds = max(time.monotonic() - started, 1e-6)
    progress(f"  {table}: {rows:,} rows in {seconds:.1f}s ({rows / seconds:,.0f} rows/s)")
