"""Statements used by seeding: what the seed keys already name, and the inserts."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..db import Conn


async def list_activity_seed_keys(conn: Conn) -> set[str]:
    rows = await conn.fetch_all("SELECT seed_key FROM study_activities WHERE seed_key IS NOT NULL")
    return {row["seed_key"] for row in rows}


async def map_group_seed_keys(conn: Conn) -> dict[str, int]:
    rows = await conn.fetch_all("SELECT seed_key, id FROM groups WHERE seed_key IS NOT NULL")
    return {row["seed_key"]: int(row["id"]) for row in rows}


async def map_word_seed_keys(conn: Conn) -> dict[str, int]:
    rows = await conn.fetch_all("SELECT seed_key, id FROM words WHERE seed_key IS NOT NULL")
    return {row["seed_key"]: int(row["id"]) for row in rows}


async def list_group_links(conn: Conn) -> set[tuple[int, int]]:
    rows = await conn.fetch_all("SELECT word_id, group_id FROM words_groups")
    return {(int(row["word_id"]), int(row["group_id"])) for row in rows}


async def insert_activity(conn: Conn, activity: dict[str, Any], *, created_at: datetime) -> int:
    return int(
        await conn.fetch_val(
            "INSERT INTO study_activities"
            " (name, description, thumbnail_url, activity_type, launch_url, seed_key, created_at)"
            " VALUES (:name, :description, :thumbnail_url, :activity_type, :launch_url, :key, :at)"
            " RETURNING id",
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
    )


async def insert_group(conn: Conn, *, key: str, name: str, created_at: datetime) -> int | None:
    """The new group's id, or None when a group of that name already exists."""
    added = await conn.fetch_val(
        "INSERT INTO groups (name, seed_key, created_at) VALUES (:name, :key, :at)"
        " ON CONFLICT (name) DO NOTHING RETURNING id",
        {"name": name, "key": key, "at": conn.timestamp(created_at)},
    )
    return None if added is None else int(added)


async def insert_word(
    conn: Conn, word: dict[str, Any], *, seed_key: str, created_at: datetime
) -> int:
    return int(
        await conn.fetch_val(
            "INSERT INTO words (japanese, kana, romaji, english, parts, seed_key, created_at)"
            " VALUES (:japanese, :kana, :romaji, :english, :parts, :key, :at) RETURNING id",
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
    )


async def link_word_to_group(conn: Conn, *, word_id: int, group_id: int) -> None:
    await conn.execute(
        "INSERT INTO words_groups (word_id, group_id) VALUES (:word_id, :group_id)",
        {"word_id": word_id, "group_id": group_id},
    )
