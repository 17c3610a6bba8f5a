"""Statements used by seeding: what the seed keys already name, and the inserts."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..db import Conn


async def list_activity_seed_keys(conn: Conn) -> set[str]:
    rows = await conn.fetch_all("SELECT seed_key FROM study_activities WHERE seed_key IS NOT NULL")
    return {row["seed_key"] for row in rows}


async def map_seeded_groups(conn: Conn) -> dict[str, dict[str, Any]]:
    """Seed key -> {id, name} of every seeded group."""
    rows = await conn.fetch_all("SELECT seed_key, id, name FROM groups WHERE seed_key IS NOT NULL")
    return {row["seed_key"]: {"id": int(row["id"]), "name": row["name"]} for row in rows}


async def map_seeded_words(conn: Conn) -> dict[str, dict[str, Any]]:
    """Seed key -> {id, kana, english, parts} of every seeded word (parts parsed)."""
    rows = await conn.fetch_all(
        "SELECT seed_key, id, kana, english, parts FROM words WHERE seed_key IS NOT NULL"
    )
    return {
        row["seed_key"]: {
            "id": int(row["id"]),
            "kana": row["kana"],
            "english": row["english"],
            "parts": json.loads(row["parts"] or "[]"),
        }
        for row in rows
    }


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


async def update_word_text(
    conn: Conn, *, word_id: int, kana: str, english: str, parts: Any
) -> None:
    """Correct a seeded word in place: its id, and so its history, stay."""
    await conn.execute(
        "UPDATE words SET kana = :kana, english = :english, parts = :parts WHERE id = :id",
        {
            "id": word_id,
            "kana": kana,
            "english": english,
            "parts": json.dumps(parts or [], ensure_ascii=False),
        },
    )


async def group_name_taken(conn: Conn, name: str) -> bool:
    return (
        await conn.fetch_val("SELECT 1 FROM groups WHERE name = :name", {"name": name}) is not None
    )


async def rename_group(conn: Conn, *, group_id: int, name: str) -> None:
    await conn.execute(
        "UPDATE groups SET name = :name WHERE id = :id", {"id": group_id, "name": name}
    )


async def unlink_word_from_group(conn: Conn, *, word_id: int, group_id: int) -> None:
    await conn.execute(
        "DELETE FROM words_groups WHERE word_id = :word_id AND group_id = :group_id",
        {"word_id": word_id, "group_id": group_id},
    )
