"""GET /health: the process answers and so does the database."""

from __future__ import annotations

from typing import Any

from quart import Blueprint

from .db import sqlite_path
from .faults import write_problem
from .web import database

health = Blueprint("health", __name__)


@health.get("/health")
async def health_check() -> tuple[dict[str, Any], int]:
    db = database()
    try:
        if db.is_sqlite and not sqlite_path(db.url).is_file():
            # Open connections would keep answering from a deleted or unmounted file.
            raise FileNotFoundError(sqlite_path(db.url))
        async with db.connection() as conn:
            # Reads a table, not just `SELECT 1`: SQLite answers that without its file, and
            # would create a new empty file where the real one has gone.
            await conn.fetch_val("SELECT COUNT(*) FROM schema_migrations")
            problem = await write_problem(conn)
    except Exception as error:  # any failure to answer means unhealthy
        return {
            "status": "unhealthy",
            "error": f"database unreachable: {type(error).__name__}",
        }, 503
    if problem:
        return {"status": "unhealthy", "error": f"database cannot be written: {problem}"}, 503
    return {"status": "healthy"}, 200
