"""Numbered SQL migrations, applied once each and recorded in schema_migrations.

Files live in `migrations/` as `NNNN_name.sql` (both databases) or
`NNNN_name.sqlite.sql` / `NNNN_name.postgresql.sql` (one dialect).  Each file
runs in its own transaction.  Several workers starting at once do not race:
PostgreSQL takes an advisory lock, SQLite a BEGIN IMMEDIATE write lock, and
the set of applied versions is read again under that lock.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .config import PROJECT_ROOT
from .db import Conn, utc_now
from .services.backup import backup_before_migrate

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
# An arbitrary constant shared by every process of this app.
ADVISORY_LOCK_KEY = 7_351_202_611
_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)(?:\.(sqlite|postgresql))?\.sql$")


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    path: Path

    def statements(self) -> list[str]:
        return split_sql(self.path.read_text(encoding="utf-8"))


def split_sql(text: str) -> list[str]:
    """Split a migration file into statements, dropping comment lines.

    A statement ends at a line ending in a semicolon, unless that semicolon is
    inside a trigger body (BEGIN … END, as sqlite3.complete_statement knows) or a
    PostgreSQL dollar-quoted function body ($$ … $$).
    """
    statements: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip().startswith("--"):
            continue
        current.append(line)
        buffer = "\n".join(current)
        if (
            line.rstrip().endswith(";")
            and buffer.count("$$") % 2 == 0
            and ("$$" in buffer or sqlite3.complete_statement(buffer))
        ):
            statements.append(buffer.strip().rstrip(";").strip())
            current = []
    rest = "\n".join(current).strip()
    if rest:
        statements.append(rest)
    return [s for s in statements if s]


def discover(dialect: str, directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    found: dict[str, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if match is None:
            raise ValueError(f"migration file name not understood: {path.name}")
        version, name, only_for = match.groups()
        if only_for not in (None, dialect):
            continue
        if version in found:
            raise ValueError(f"two migrations share version {version}")
        found[version] = Migration(version, name, path)
    return [found[v] for v in sorted(found)]


async def _ensure_table(conn: Conn) -> None:
    column_type = "TEXT" if conn.is_sqlite else "TIMESTAMPTZ"
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version TEXT PRIMARY KEY, name TEXT NOT NULL,"
        f" applied_at {column_type} NOT NULL)"
    )


async def applied_versions(conn: Conn) -> set[str]:
    await _ensure_table(conn)
    rows = await conn.fetch_all("SELECT version FROM schema_migrations")
    return {row["version"] for row in rows}


async def pending(conn: Conn) -> list[Migration]:
    done = await applied_versions(conn)
    return [m for m in discover(conn.dialect) if m.version not in done]


async def _backup_before_changes(conn: Conn) -> None:
    """Copy an existing SQLite database before a migration changes it (kept: the last 5)."""
    todo = await pending(conn)
    path = await conn.fetch_val("SELECT file FROM pragma_database_list WHERE name = 'main'")
    if todo and path:
        await backup_before_migrate(Path(path), todo[0].version)


async def migrate(conn: Conn) -> list[Migration]:
    """Apply every pending migration; return those applied (empty: nothing to do)."""
    if conn.is_sqlite:
        # WAL lets readers carry on while one writer commits; it is a property of
        # the file, so setting it once here is enough.
        await conn.execute("PRAGMA journal_mode = WAL")
    await _ensure_table(conn)
    if conn.is_sqlite:
        await _backup_before_changes(conn)
    applied: list[Migration] = []
    for migration in discover(conn.dialect):
        async with conn.transaction():
            if not conn.is_sqlite:
                await conn.execute("SELECT pg_advisory_xact_lock(:key)", {"key": ADVISORY_LOCK_KEY})
            done = await conn.fetch_val(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = :version",
                {"version": migration.version},
            )
            if done:
                continue
            await conn.execute_script(migration.statements())
            await conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at)"
                " VALUES (:version, :name, :applied_at)",
                {
                    "version": migration.version,
                    "name": migration.name,
                    "applied_at": conn.timestamp(utc_now()),
                },
            )
            applied.append(migration)
    return applied
