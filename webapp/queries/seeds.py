"""Inserts used by seeding: each adds a row only when its seed key is new."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..db import Conn


async def insert_activity_if_missing(
    conn: Conn, activity: dict[str, Any], *, created_at: datetime
) -> int:
    """Returns 1 when a row was added, 0 when the seed key was already there."""
    added = await conn.fetch_val(
        "INSERT INTO study_activities"
        " (name, description, thumbnail_url, activity_type, launch_url, seed_key, created_at)"
        " VALUES (:name, :description, :thumbnail_url, :activity_type, :launch_url, :key, :at)"
        " ON CONFLICT (seed_key) DO NOTHING RETURNING id",
        {
            "name": activity["name"],
            "description": activity.get("description") or "",
            "thumbnail_url": activity.get("thumbnail_url"),
            "activity_type": activity["activity_type"],
            "launch_url": activity.get("launch_url"),
            "key": activity["key"],
            "at": conn.timestamp(created_at),
        },
    )
    return int(added is not None)


async def insert_group_if_missing(conn: Conn, *, key: str, name: str, created_at: datetime) -> int:
    added = await conn.fetch_val(
        "INSERT INTO groups (name, seed_key, created_at) VALUES (:name, :key, :at)"
        " ON CONFLICT DO NOTHING RETURNING id",
        {"name": name, "key": key, "at": conn.timestamp(created_at)},
    )
    return int(added is not None)


async def get_group_id_by_seed_key(conn: Conn, key: str) -> int | None:
    group_id = await conn.fetch_val("SELECT id FROM groups WHERE seed_key = :key", {"key": key})
    return None if group_id is None else int(group_id)


async def insert_word_if_missing(
    conn: Conn, word: dict[str, Any], *, seed_key: str, created_at: datetime
) -> int:
    added = await conn.fetch_val(
        "INSERT INTO words (japanese, kana, romaji, english, parts, seed_key, created_at)"
        " VALUES (:japanese, :kana, :romaji, :english, :parts, :key, :at)"
        " ON CONFLICT (seed_key) DO NOTHING RETURNING id",
        {
            "japanese": word["kanji"],
            "kana": word.get("kana") or "",
            "romaji": word["romaji"],
            "english": word["english"],
            "parts": json.dumps(word.get("parts") or [], ensure_ascii=False),
            "key": seed_key,
            "at": conn.timestamp(created_at),
        },
    )
    return int(added is not None)


async def get_word_id_by_seed_key(conn: Conn, key: str) -> int:
    return int(await conn.fetch_val("SELECT id FROM words WHERE seed_key = :key", {"key": key}))


async def link_word_to_group(conn: Conn, *, word_id: int, group_id: int) -> int:
    added = await conn.fetch_val(
        "INSERT INTO words_groups (word_id, group_id) VALUES (:word_id, :group_id)"
        " ON CONFLICT DO NOTHING RETURNING id",
        {"word_id": word_id, "group_id": group_id},
    )
    return int(added is not None)
