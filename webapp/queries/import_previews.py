"""Stored import previews (the upload, its options and the computed plan)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..db import Conn


async def insert_preview(
    conn: Conn,
    *,
    source: bytes,
    filename: str,
    options: str,
    plan: str,
    created_at: datetime,
    expires_at: datetime,
) -> int:
    return int(
        await conn.fetch_val(
            "INSERT INTO import_previews (source, filename, options, plan, created_at, expires_at)"
            " VALUES (:source, :filename, :options, :plan, :created_at, :expires_at) RETURNING id",
            {
                "source": source,
                "filename": filename,
                "options": options,
                "plan": plan,
                "created_at": conn.timestamp(created_at),
                "expires_at": conn.timestamp(expires_at),
            },
        )
    )


async def get_preview(conn: Conn, preview_id: int, *, now: datetime) -> dict[str, Any] | None:
    """A preview that has not expired (committed ones stay readable until then)."""
    row = await conn.fetch_one(
        "SELECT id, status, filename, options, plan, result, created_at, expires_at"
        " FROM import_previews WHERE id = :id AND expires_at > :now",
        {"id": preview_id, "now": conn.timestamp(now)},
    )
    return row


async def get_preview_source(conn: Conn, preview_id: int) -> bytes:
    value = await conn.fetch_val(
        "SELECT source FROM import_previews WHERE id = :id", {"id": preview_id}
    )
    return bytes(value or b"")


async def update_preview(conn: Conn, preview_id: int, *, options: str, plan: str) -> None:
    await conn.execute(
        "UPDATE import_previews SET options = :options, plan = :plan WHERE id = :id",
        {"id": preview_id, "options": options, "plan": plan},
    )


async def claim_for_commit(conn: Conn, preview_id: int) -> bool:
    """Mark committed; False when it already was (a second commit imports nothing)."""
    claimed = await conn.fetch_val(
        "UPDATE import_previews SET status = 'committed' WHERE id = :id AND status = 'preview'"
        " RETURNING id",
        {"id": preview_id},
    )
    return claimed is not None


async def save_result(conn: Conn, preview_id: int, result: str) -> None:
    """The commit's outcome; the upload itself is no longer needed."""
    await conn.execute(
        "UPDATE import_previews SET result = :result, source = :empty WHERE id = :id",
        {"id": preview_id, "result": result, "empty": b""},
    )


async def delete_preview(conn: Conn, preview_id: int) -> bool:
    gone = await conn.fetch_val(
        "DELETE FROM import_previews WHERE id = :id RETURNING id", {"id": preview_id}
    )
    return gone is not None


async def delete_expired_previews(conn: Conn, *, now: datetime) -> None:
    await conn.execute(
        "DELETE FROM import_previews WHERE expires_at <= :now", {"now": conn.timestamp(now)}
    )
