"""Moving a portal's data between databases: `python -m webapp export FILE` / `import FILE`.

The file is JSON Lines (gzip-compressed when its name ends in .gz):

    {"format": "lang-portal-export", "version": 1, "exported_at": ..., "schema": "0001",
     "counts": {"learners": 1, "words": 626, ...}}
    {"table": "words", "columns": ["id", "japanese", ...], "count": 626}
    [1, "今日", ...]                      one JSON array per row, in `columns` order
    {"table": "groups", ...}

Ids and timestamps are kept (timestamps in the stored UTC text form, so a file
is the same whichever database wrote it).  Both directions stream: the export
pages through each table by id inside one read snapshot, the import inserts
in chunks, so neither holds the review history in memory.  An import is one
transaction: any problem leaves the target as it was.
"""

from __future__ import annotations

import gzip
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..db import Conn, format_timestamp, parse_timestamp, utc_now
from ..errors import PortalError
from ..migrations import applied_versions, pending
from ..queries import resets, stats
from ..queries import transfer as q
from .reschedule import reschedule

FORMAT = "lang-portal-export"
VERSION = 1
CHUNK = 5_000
PROGRESS_EVERY = 100_000
Progress = Callable[[str], None]


class TransferFailed(PortalError):
    """The file cannot be written or read, or the target refuses it; the message says why."""


@dataclass
class TransferReport:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _open(path: Path, mode: str, *, compressed: bool | None = None) -> IO[str]:
    """A text stream; gzip when asked, or (reading) when the file starts like one."""
    if compressed is None:
        with path.open("rb") as probe:
            compressed = probe.read(2) == b"\x1f\x8b"
    if compressed:
        return gzip.open(path, mode + "t", encoding="utf-8", newline="\n")  # type: ignore[return-value]
    return path.open(mode, encoding="utf-8", newline="\n")


def _line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def _stored_text(value: str | Any) -> str:
    """A timestamp in the one stored text form (already so on SQLite, a datetime on PostgreSQL)."""
    if isinstance(value, str) and len(value) == 27 and value.endswith("Z"):
        return value
    return format_timestamp(parse_timestamp(value))


class _Rate:
    """Counts rows of a table and reports them with their rate now and then."""

    def __init__(self, progress: Progress, table: str, total: int) -> None:
        self.progress, self.table, self.total = progress, table, total
        self.done, self.started, self.next_report = 0, time.monotonic(), PROGRESS_EVERY

    def add(self, rows: int) -> None:
        self.done += rows
        if self.done >= self.next_report:
            self.next_report += PROGRESS_EVERY
            self.report(f"{self.done:,} of {self.total:,} rows")

    def finish(self) -> None:
        self.report(f"{self.done:,} rows")

    def report(self, what: str) -> None:
        seconds = max(time.monotonic() - self.started, 1e-6)
        self.progress(f"  {self.table}: {what} ({self.done / seconds:,.0f} rows/s)")


async def export_all(conn: Conn, path: Path, *, progress: Progress = print) -> TransferReport:
    """Write everything to `path` (atomically: a failed export leaves no partial file)."""
    started = time.monotonic()
    if await pending(conn):
        raise TransferFailed("the database schema is not up to date: run 'migrate' first")
    schema = max(await applied_versions(conn))
    partial = path.with_name(f".{path.name}.partial")
    report = TransferReport()
    await q.begin_read_snapshot(conn)
    try:
        report.counts = {table: await q.count_table(conn, table) for table in q.TABLES}
        with _open(partial, "w", compressed=path.suffix == ".gz") as out:
            out.write(
                _line(
                    {
                        "format": FORMAT,
                        "version": VERSION,
                        "exported_at": format_timestamp(utc_now()),
                        "schema": schema,
                        "counts": report.counts,
                    }
                )
            )
            for table, columns in q.TABLES.items():
                out.write(
                    _line({"table": table, "columns": columns, "count": report.counts[table]})
                )
                rate = _Rate(progress, table, report.counts[table])
                async for rows in _pages(conn, table):
                    for row in rows:
                        out.write(_line([_export_value(c, row[c]) for c in columns]))
                    rate.add(len(rows))
                rate.finish()
        os.replace(partial, path)
    except OSError as error:
        raise TransferFailed(f"cannot write {path}: {error}") from None
    finally:
        partial.unlink(missing_ok=True)
        await q.end_read_snapshot(conn)
    report.seconds = time.monotonic() - started
    return report


async def _pages(conn: Conn, table: str):  # type: ignore[no-untyped-def]
    after = 0
    while rows := await q.list_rows_after(conn, table, after_id=after, limit=CHUNK):
        yield rows
        after = rows[-1]["id"]


def _export_value(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column in q.TIMESTAMP_COLUMNS:
        return _stored_text(value)
    if column in q.BOOLEAN_COLUMNS:
        return bool(value)
    return value


def read_header(path: Path) -> dict[str, Any]:
    """The file's first line, checked; TransferFailed says what is wrong with it."""
    if not path.is_file():
        raise TransferFailed(f"no such file: {path}")
    try:
        with _open(path, "r") as source:
            header = json.loads(source.readline() or "null")
    except (OSError, ValueError, EOFError) as error:
        raise TransferFailed(f"{path} is not a Lang Portal export: {error}") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise TransferFailed(f"{path} is not a Lang Portal export (no '{FORMAT}' header line)")
    if header.get("version") != VERSION:
        raise TransferFailed(
            f"{path} is export format version {header.get('version')!r}; "
            f"this portal reads version {VERSION}"
        )
    return header


async def import_all(
    conn: Conn, path: Path, *, replace: bool = False, progress: Progress = print
) -> TransferReport:
    """Load an export into this database, in one transaction; counters are recomputed."""
    started = time.monotonic()
    header = read_header(path)
    if await pending(conn):
        raise TransferFailed("the database schema is not up to date: run 'migrate' first")
    schema = max(await applied_versions(conn))
    if header.get("schema") != schema:
        raise TransferFailed(
            f"the file was exported at schema {header.get('schema')!r}, this database is at "
            f"{schema!r}: import it into a portal of the same version"
        )
    report = TransferReport()
    async with conn.transaction():
        if await q.count_content_rows(conn):
            if not replace:
                raise TransferFailed(
                    "the database already has words, groups, activities or sessions; "
                    "pass --replace to delete them and import instead"
                )
            await resets.delete_everything(conn)
        await q.delete_learners(conn)
        await stats.pause_review_counters(conn)
        for table, rows in _read_sections(path, header["counts"]):
            rate = _Rate(progress, table, header["counts"].get(table, 0))
            for chunk in rows:
                await _insert(conn, table, chunk)
                rate.add(len(chunk))
            rate.finish()
            report.counts[table] = rate.done
        if report.counts != header["counts"]:
            raise TransferFailed(
                f"{path} is incomplete: the header promises {header['counts']}, "
                f"the file holds {report.counts}"
            )
        await stats.resume_review_counters(conn)
        await q.insert_learner_stats_rows(conn)
        if not conn.is_sqlite:
            for table in q.TABLES:
                await q.move_sequence_past_ids(conn, table)
        progress("recounting totals …")
        await stats.recount_all(conn)
        progress("rebuilding the study schedule …")
        await reschedule(conn)
    report.seconds = time.monotonic() - started
    return report


def _read_sections(
    path: Path, counts: dict[str, int]
) -> Iterator[tuple[str, Iterator[list[list[Any]]]]]:
    """(table, chunks of rows) for each section, in file order; checks the shape as it reads."""
    with _open(path, "r") as source:
        source.readline()
        section: dict[str, Any] | None = None
        chunk: list[list[Any]] = []
        expected: tuple[str, ...] = ()
        line_number = 1

        def rows() -> Iterator[list[list[Any]]]:
            nonlocal chunk, line_number, section
            for _ in range(int(section["count"]) if section else 0):
                line = source.readline()
                line_number += 1
                if not line:
                    raise TransferFailed(f"{path} ends early, in table {section['table']}")  # type: ignore[index]
                chunk.append(_parse_row(line, expected, line_number, path))
                if len(chunk) >= CHUNK:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk
                chunk = []

        while line := source.readline():
            line_number += 1
            try:
                section = json.loads(line)
                table = section["table"]
                columns = tuple(section["columns"])
            except (ValueError, TypeError, KeyError):
                raise TransferFailed(f"{path} line {line_number}: expected a table line") from None
            if q.TABLES.get(table) != columns:
                raise TransferFailed(
                    f"{path} line {line_number}: table {table!r} with columns {list(columns)} "
                    "is not one this portal stores"
                )
            if table not in counts:
                raise TransferFailed(f"{path}: table {table!r} is missing from the header's counts")
            expected = columns
            yield table, rows()


def _parse_row(line: str, columns: tuple[str, ...], number: int, path: Path) -> list[Any]:
    try:
        row = json.loads(line)
    except ValueError as error:
        raise TransferFailed(f"{path} line {number}: not JSON ({error})") from None
    if not isinstance(row, list) or len(row) != len(columns):
        raise TransferFailed(f"{path} line {number}: expected {len(columns)} values")
    return row


async def _insert(conn: Conn, table: str, chunk: list[list[Any]]) -> None:
    columns = q.TABLES[table]
    timestamps = [i for i, c in enumerate(columns) if c in q.TIMESTAMP_COLUMNS]
    booleans = [i for i, c in enumerate(columns) if c in q.BOOLEAN_COLUMNS]
    try:
        for row in chunk:
            for i in timestamps:
                if row[i] is not None:
                    stamp = parse_timestamp(row[i])
                    row[i] = format_timestamp(stamp) if conn.is_sqlite else stamp
            for i in booleans:
                row[i] = int(bool(row[i])) if conn.is_sqlite else bool(row[i])
    except (TypeError, ValueError, AttributeError) as error:
        raise TransferFailed(f"table {table}: a value cannot be read: {error}") from None
    if conn.is_sqlite:
        await q.insert_rows_sqlite(conn, table, chunk)
    else:
        await q.copy_rows_postgres(conn, table, [tuple(row) for row in chunk])
