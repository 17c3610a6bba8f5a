"""`python -m webapp <command>`: set up, seed, reset and import the portal's database.

Every command reads DATABASE_URL (default: a SQLite file under instance/),
prints what it did, and exits non-zero with a one-line reason on failure.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from .config import ConfigError, load_settings
from .db import Conn, Database, DatabaseUnavailable, sqlite_path
from .errors import PortalError
from .migrations import migrate, pending
from .services import (
    backup,
    importer,
    learner_export,
    learners,
    reschedule,
    resets,
    seeding,
    transfer,
)

Command = Callable[[Conn, argparse.Namespace], Awaitable[None]]


async def cmd_init(conn: Conn, args: argparse.Namespace) -> None:
    todo = await pending(conn)
    if todo:
        print(
            f"✓ database ready ({conn.dialect}); {len(todo)} migration(s) pending: "
            "'python -m webapp migrate' applies them"
        )
    else:
        print(f"✓ database ready ({conn.dialect}); its schema is up to date")


async def cmd_migrate(conn: Conn, args: argparse.Namespace) -> None:
    applied = await migrate(conn)
    for migration in applied:
        print(f"  applied {migration.version}_{migration.name}")
    print(f"✓ migrations up to date ({len(applied)} applied now)")
    if any(migration.name == "study_engine" for migration in applied):
        # the history from before the scheduler gets its cards
        report = await reschedule.reschedule(conn, progress=print)
        print(f"✓ study schedule built: {report.cards:,} cards")


async def cmd_reschedule(conn: Conn, args: argparse.Namespace) -> None:
    await _require_schema(conn)
    verb = "checking" if args.check else "rebuilding"
    print(f"{verb} the study schedule from the review history …")
    report = await reschedule.reschedule(conn, check=args.check, progress=print)
    for line in report.differences[:20]:
        print(f"  differs: {line}")
    if args.check:
        if report.differences:
            raise PortalError(
                f"{len(report.differences):,} of {report.cards:,} cards differ from the replay; "
                "run 'python -m webapp reschedule' to rebuild them"
            )
        print(f"✓ {report.cards:,} cards equal the replay of the history")
    else:
        print(f"✓ {report.cards:,} cards replayed, {len(report.differences):,} rewritten")


async def cmd_seed(conn: Conn, args: argparse.Namespace) -> None:
    await _require_schema(conn)
    report = await seeding.seed(conn)
    if report.changed:
        print(
            f"✓ seeded: {report.words_added} words, {report.groups_added} groups, "
            f"{report.links_added} group memberships, {report.activities_added} activities added"
        )
        if report.words_updated or report.groups_renamed or report.links_removed:
            print(
                f"✓ corrected in place (history kept): {report.words_updated} words, "
                f"{report.groups_renamed} group names, {report.links_removed} memberships removed"
            )
    else:
        print("✓ seed content already present: nothing changed")
    if report.kept:
        print(f"  kept as edited in the portal ({len(report.kept)}): " + "; ".join(report.kept))


async def cmd_reset(conn: Conn, args: argparse.Namespace) -> None:
    await _require_schema(conn)
    if args.learner is not None and args.full:
        raise PortalError("--learner resets one learner's history; it cannot go with --full")
    if args.learner is not None:
        counts = await learners.reset_learner_history(conn, args.learner)
        print(
            f"✓ learner {args.learner}'s history reset: {counts['study_sessions']} sessions and "
            f"{counts['reviews']} reviews deleted; nobody else's changed"
        )
    elif args.full:
        await resets.full_reset(conn)
        print("✓ full reset: back to the seed content, no history")
    else:
        await resets.reset_history(conn)
        print("✓ study history reset: sessions and reviews deleted; words and groups kept")


async def cmd_import_seed_db(conn: Conn, args: argparse.Namespace) -> None:
    await _require_schema(conn)
    print(f"importing {args.path} …")
    report = await importer.import_seed_db(conn, Path(args.path), replace=args.replace)
    total = sum(report.rows.values())
    print(f"✓ imported {total:,} rows in {report.seconds:.1f}s")
    for table, rows in report.rows.items():
        skipped = report.skipped.get(table, 0)
        note = f" ({skipped:,} skipped: they point at missing rows)" if skipped > 0 else ""
        print(f"  {table}: {rows:,}{note}")
    if report.added_activities > 0:
        print(f"  added {report.added_activities} built-in study activity(ies)")


async def cmd_export(conn: Conn, args: argparse.Namespace) -> None:
    if args.learner is not None:
        document = await learner_export.export_learner(conn, args.learner)
        learner_export.write_document(document, Path(args.path))
        print(
            f"✓ exported learner {args.learner} ({document['learner']['name']}): "
            f"{len(document['study_sessions'])} sessions, {len(document['reviews'])} reviews "
            f"to {args.path}"
        )
        return
    print(f"exporting everything to {args.path} …")
    report = await transfer.export_all(conn, Path(args.path))
    total = sum(report.counts.values())
    print(f"✓ exported {total:,} rows in {report.seconds:.1f}s to {args.path}")


async def cmd_import(conn: Conn, args: argparse.Namespace) -> None:
    print(f"importing {args.path} …")
    report = await transfer.import_all(conn, Path(args.path), replace=args.replace)
    total = sum(report.counts.values())
    print(f"✓ imported {total:,} rows in {report.seconds:.1f}s; totals recounted")


async def cmd_backup(url: str, args: argparse.Namespace) -> None:
    if not url.startswith("sqlite"):
        raise PortalError(
            "backup copies a SQLite database; for PostgreSQL use pg_dump "
            "or 'python -m webapp export FILE'"
        )
    print(f"backing up {sqlite_path(url)} …")
    report = await backup.backup_sqlite_async(sqlite_path(url), Path(args.path))
    print(f"✓ backed up {report.tables} tables ({report.bytes:,} bytes) to {report.path}")


async def _require_schema(conn: Conn) -> None:
    if await pending(conn):
        raise PortalError("the database schema is not up to date: run 'python -m webapp migrate'")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m webapp",
        description="Lang Portal: manage the database named by DATABASE_URL "
        "(default: a SQLite file under instance/).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    commands.add_parser("init", help="create the database (SQLite file) and check it answers")
    commands.add_parser("migrate", help="apply pending schema migrations (safe to repeat)")
    commands.add_parser("seed", help="load the seed words, groups and activities (idempotent)")
    reset = commands.add_parser("reset", help="delete study history (or everything, with --full)")
    reset.add_argument("--full", action="store_true", help="go back to exactly the seeded state")
    reset.add_argument(
        "--learner", type=int, metavar="ID", help="only this learner's history (ids: /learners)"
    )
    imp = commands.add_parser(
        "import-seed-db", help="import a SQLite database of the prototype's schema"
    )
    imp.add_argument("path", help="path of the prototype's SQLite file (e.g. words.db)")
    imp.add_argument(
        "--replace", action="store_true", help="delete the portal's current content first"
    )
    export = commands.add_parser("export", help="write everything to one JSON Lines file")
    export.add_argument("path", help="file to write (.jsonl, or .jsonl.gz to compress)")
    export.add_argument(
        "--learner",
        type=int,
        metavar="ID",
        help="only this learner's profile, sessions and reviews (one JSON document)",
    )
    load = commands.add_parser("import", help="load a file written by 'export'")
    load.add_argument("path", help="file written by 'python -m webapp export'")
    load.add_argument(
        "--replace", action="store_true", help="delete the portal's current content first"
    )
    resched = commands.add_parser(
        "reschedule", help="rebuild every study card by replaying the review history"
    )
    resched.add_argument(
        "--check", action="store_true", help="only compare; exit 1 if any card differs"
    )
    copy = commands.add_parser("backup", help="copy the live SQLite database safely")
    copy.add_argument("path", help="file to write the copy to")
    return parser


COMMANDS: dict[str, Command] = {
    "init": cmd_init,
    "migrate": cmd_migrate,
    "seed": cmd_seed,
    "reset": cmd_reset,
    "import-seed-db": cmd_import_seed_db,
    "export": cmd_export,
    "import": cmd_import,
    "reschedule": cmd_reschedule,
}


async def run(args: argparse.Namespace) -> None:
    settings = load_settings()
    if args.command == "backup":  # needs no connection (and must not create the file)
        await cmd_backup(settings.database_url, args)
        return
    database = Database(settings.database_url)
    await database.connect()
    try:
        async with database.connection() as conn:
            await COMMANDS[args.command](conn, args)
    finally:
        await database.disconnect()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        asyncio.run(run(args))
    except (ConfigError, DatabaseUnavailable, PortalError) as error:
        print(f"✗ {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("✗ interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # anything else: one line, not a traceback
        print(f"✗ {args.command} failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
