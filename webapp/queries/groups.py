"""Word groups: list, one group, and the counters kept on them.

A deleted group (soft delete, see migrations/0008) is neither listed nor found.
"""

from __future__ import annotations

from typing import Any

from ..db import Conn, to_api_timestamp
from .common import order_by

GROUP_SORTS = {"name": "groups.name", "word_count": "groups.word_count"}


def _group_item(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "word_count": int(row["word_count"]),
        "created_at": to_api_timestamp(row["created_at"]),
    }


async def list_groups_page(
    conn: Conn, *, limit: int, offset: int, sort: str = "name", order: str = "asc"
) -> list[dict[str, Any]]:
    rows = await conn.fetch_all(
        "SELECT id, name, word_count, created_at FROM groups WHERE deleted_at IS NULL "
        f"{order_by(GROUP_SORTS, sort, order, 'groups')} LIMIT :limit OFFSET :offset",
        {"limit": limit, "offset": offset},
    )
    return [_group_item(row) for row in rows]


async def count_groups(conn: Conn) -> int:
    return int(await conn.fetch_val("SELECT COUNT(*) FROM groups WHERE deleted_at IS NULL"))


async def list_group_choices(conn: Conn) -> list[dict[str, Any]]:
    """Every group's id and name, for the launch form's select."""
    return await conn.fetch_all(
        "SELECT id, name, word_count FROM groups WHERE deleted_at IS NULL ORDER BY name, id"
    )


async def get_group(conn: Conn, group_id: int) -> dict[str, Any] | None:
    row = await conn.fetch_one(
        "SELECT id, name, word_count, created_at FROM groups WHERE id = :id AND deleted_at IS NULL",
        {"id": group_id},
    )
    return None if row is None else _group_item(row)


async def increment_group_sessions(conn: Conn, group_id: int) -> int:
    """Count one more session on a group; returns the new count."""
    return int(
        await conn.fetch_val(
            "UPDATE groups SET sessions_count = sessions_count + 1 WHERE id = :id "
            "RETURNING sessions_count",
            {"id": group_id},
        )
    )


async def increment_learner_group_sessions(conn: Conn, learner_id: int, group_id: int) -> int:
    """Count one more session of the learner on a group; returns the learner's new count."""
    return int(
        await conn.fetch_val(
            "INSERT INTO learner_groups (learner_id, group_id, sessions_count)"
            " VALUES (:learner_id, :group_id, 1)"
            " ON CONFLICT (learner_id, group_id) DO UPDATE"
            " SET sessions_count = learner_groups.sessions_count + 1 RETURNING sessions_count",
            {"learner_id": learner_id, "group_id": group_id},
        )
    )
