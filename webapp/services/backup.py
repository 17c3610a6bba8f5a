"""Copies of a live SQLite database: `python -m webapp backup FILE`, and one before migrating.

SQLite's online backup API (sqlite3.Connection.backup) copies a consistent
snapshot while the portal keeps serving; copying the file with `cp` could
catch it half-written, and would miss what still sits in the WAL file.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..errors import PortalError

KEEP_BEFORE_MIGRATE = 5


class BackupFailed(PortalError):
    """The database cannot be copied; the message says why."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    bytes: int
    tables: int


def _read_only(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def backup_sqlite(source: Path, target: Path) -> BackupReport:
    """Copy the SQLite database `source` to `target` (replaced atomically when done)."""
    if not source.is_file():
        raise BackupFailed(f"no SQLite database at {source}")
    if target.resolve() == source.resolve():
        raise BackupFailed("the backup file must not be the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(_read_only(source), uri=True, timeout=30)
        try:
            dst = sqlite3.connect(partial)
            try:
                # One step: a consistent snapshot; in WAL mode writers carry on meanwhile.
                src.backup(dst, pages=-1)
                tables = dst.execute(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
                ).fetchone()[0]
                check = dst.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                dst.close()
        finally:
            src.close()
        if check != "ok":
            raise BackupFailed(f"the copy of {source} failed its integrity check: {check}")
        os.replace(partial, target)
    except sqlite3.Error as error:
        raise BackupFailed(f"cannot back up {source}: {error}") from None
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(target, target.stat().st_size, int(tables))


async def backup_sqlite_async(source: Path, target: Path) -> BackupReport:
    return await asyncio.to_thread(backup_sqlite, source, target)


def has_user_tables(source: Path) -> bool:
    """Whether the file holds anything beyond the migration bookkeeping."""
    if not source.is_file():
        return False
    with sqlite3.connect(_read_only(source), uri=True) as db:
        count = db.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
            " AND name NOT IN ('schema_migrations', 'sqlite_sequence')"
        ).fetchone()[0]
    return bool(count)


def before_migrate_path(source: Path, version: str, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    return source.parent / "backups" / f"{source.stem}-{stamp}-before-{version}.db"


def prune_before_migrate(source: Path, keep: int = KEEP_BEFORE_MIGRATE) -> list[Path]:
    """Keep the newest `keep` automatic copies of this database; returns those removed."""
    folder = source.parent / "backups"
    # The timestamp is fixed width, so name order is time order.
    copies = sorted(folder.glob(f"{source.stem}-*-before-*.db"))
    removed = copies[:-keep] if len(copies) > keep else []
    for old in removed:
        old.unlink(missing_ok=True)
    return removed


async def backup_before_migrate(source: Path, version: str) -> BackupReport | None:
    """Copy an existing database before migration `version` changes it (None: nothing to copy)."""
    if not await asyncio.to_thread(has_user_tables, source):
        return None
    report = await backup_sqlite_async(source, before_migrate_path(source, version))
    await asyncio.to_thread(prune_before_migrate, source)
    return report
