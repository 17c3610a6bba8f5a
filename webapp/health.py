"""GET /health: the process answers and so does the database."""

from __future__ import annotations

from quart import Blueprint

from .web import database

health = Blueprint("health", __name__)


@health.get("/health")
async def health_check() -> tuple[dict, int]:
    try:
        async with database().connection() as conn:
            await conn.fetch_val("SELECT 1")
    except Exception as error:  # any failure to answer means unhealthy
        return {
            "status": "unhealthy",
            "error": f"database unreachable: {type(error).__name__}",
        }, 503
    return {"status": "healthy"}, 200
