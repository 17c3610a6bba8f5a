"""Study activities: built in (the portal implements them) or external apps."""

from __future__ import annotations

from typing import Any

from ..db import Conn
from ..links import safe_link

# Activity types the portal implements itself; any other type is an external app.
BUILTIN_ACTIVITY_TYPES = frozenset({"flashcards"})
_COLUMNS = "id, name, description, thumbnail_url, activity_type, launch_url"


def activity_item(row: dict[str, Any]) -> dict[str, Any]:
    builtin = row["activity_type"] in BUILTIN_ACTIVITY_TYPES
    launch_url = safe_link(row["launch_url"])
    return {
        "id": row["id"],
        "name": row["name"],
        "description": row["description"] or "",
        # only http(s) and same-origin addresses become links (webapp.links)
        "thumbnail_url": safe_link(row["thumbnail_url"]),
        "activity_type": row["activity_type"],
        # a built-in activity is launched through the portal's own launch page
        "launch_url": f"/study_activities/{row['id']}/launch" if builtin else launch_url,
        "builtin": builtin,
        # a stored address that may not be a link, shown as text instead
        "unsafe_launch_url": None if builtin or launch_url else row["launch_url"],
    }


async def list_activities_page(conn: Conn, *, limit: int, offset: int) -> list[dict[str, Any]]:
    rows = await conn.fetch_all(
        f"SELECT {_COLUMNS} FROM study_activities ORDER BY id LIMIT :limit OFFSET :offset",
        {"limit": limit, "offset": offset},
    )
    return [activity_item(row) for row in rows]


async def count_activities(conn: Conn) -> int:
    return int(await conn.fetch_val("SELECT COUNT(*) FROM study_activities"))


async def get_activity(conn: Conn, activity_id: int) -> dict[str, Any] | None:
    row = await conn.fetch_one(
        f"SELECT {_COLUMNS} FROM study_activities WHERE id = :id", {"id": activity_id}
    )
    return None if row is None else activity_item(row)


async def get_first_activity_of_type(conn: Conn, activity_type: str) -> dict[str, Any] | None:
    row = await conn.fetch_one(
        f"SELECT {_COLUMNS} FROM study_activities WHERE activity_type = :type ORDER BY id LIMIT 1",
        {"type": activity_type},
    )
    return None if row is None else activity_item(row)
