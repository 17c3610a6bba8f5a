"""Statements behind authoring: groups and words written by the teacher.

Group word counts are maintained here, in the same transaction as the links they
count (services/authoring.py); the portal's word total is kept by triggers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from ..db import Conn
from .common import WORD_COLUMNS_NO_LEARNER, word_item

LOOKUP_CHUNK = 500


def _parts_json(word: dict[str, Any]) -> str:
    return json.dumps(word.get("parts") or [], ensure_ascii=False)


async def find_group_by_name(conn: Conn, name: str) -> dict[str, Any] | None:
    """A live group whose name matches, ignoring case."""
    return await conn.fetch_one(
        "SELECT id, name FROM groups WHERE LOWER(name) = LOWER(:name) AND deleted_at IS NULL"
        " ORDER BY id LIMIT 1",
        {"name": name},
    )


async def insert_group(conn: Conn, *, name: str, created_at: datetime) -> int:
    return int(
        await conn.fetch_val(
            "INSERT INTO groups (name, created_at) VALUES (:name, :at) RETURNING id",
            {"name": name, "at": conn.timestamp(created_at)},
        )
    )


async def rename_group(conn: Conn, group_id: int, name: str) -> None:
    await conn.execute(
        "UPDATE groups SET name = :name WHERE id = :id AND deleted_at IS NULL",
        {"id": group_id, "name": name},
    )


async def group_deletion_facts(conn: Conn, group_id: int) -> dict[str, int]:
    """What deleting a group touches: its words, those in no other group, its sessions."""
    row = await conn.fetch_one(
        "SELECT (SELECT COUNT(*) FROM words_groups WHERE group_id = :id) AS words,"
        " (SELECT COUNT(*) FROM words_groups wg WHERE wg.group_id = :id AND NOT EXISTS ("
        "   SELECT 1 FROM words_groups o JOIN groups g ON g.id = o.group_id"
        "   WHERE o.word_id = wg.word_id AND o.group_id <> :id AND g.deleted_at IS NULL))"
        "   AS only_here,"
        " (SELECT COUNT(*) FROM study_sessions WHERE group_id = :id) AS sessions",
        {"id": group_id},
    )
    assert row is not None
    return {key: int(value) for key, value in row.items()}


async def unlink_group_words(conn: Conn, group_id: int) -> None:
    await conn.execute("DELETE FROM words_groups WHERE group_id = :id", {"id": group_id})


async def mark_group_deleted(conn: Conn, group_id: int, *, deleted_at: datetime) -> None:
    """Soft delete: the name moves to deleted_name and frees the unique name."""
    await conn.execute(
        "UPDATE groups SET deleted_at = :at, deleted_name = name, word_count = 0,"
        " name = :tombstone WHERE id = :id AND deleted_at IS NULL",
        {"id": group_id, "at": conn.timestamp(deleted_at), "tombstone": f"\x7fdeleted:{group_id}"},
    )


async def link_word(conn: Conn, *, group_id: int, word_id: int) -> bool:
    """Put a word in a group; False when it was already there."""
    added = await conn.fetch_val(
        "INSERT INTO words_groups (word_id, group_id) VALUES (:word_id, :group_id)"
        " ON CONFLICT (word_id, group_id) DO NOTHING RETURNING id",
        {"word_id": word_id, "group_id": group_id},
    )
    return added is not None


async def link_words(conn: Conn, *, group_id: int, word_ids: Sequence[int]) -> int:
    """Put many words in a group, a chunk per statement; returns how many were new."""
    added = 0
    for start in range(0, len(word_ids), LOOKUP_CHUNK):
        chunk = word_ids[start : start + LOOKUP_CHUNK]
        names = {f"w{i}": word_id for i, word_id in enumerate(chunk)}
        rows = ", ".join(f"(:w{i}, :group_id)" for i in range(len(chunk)))
        inserted = await conn.fetch_all(
            f"INSERT INTO words_groups (word_id, group_id) VALUES {rows}"
            " ON CONFLICT (word_id, group_id) DO NOTHING RETURNING id",
            {**names, "group_id": group_id},
        )
        added += len(inserted)
    return added


async def unlink_word(conn: Conn, *, group_id: int, word_id: int) -> bool:
    removed = await conn.fetch_val(
        "DELETE FROM words_groups WHERE word_id = :word_id AND group_id = :group_id RETURNING id",
        {"word_id": word_id, "group_id": group_id},
    )
    return removed is not None


async def add_to_group_word_count(conn: Conn, group_id: int, delta: int) -> int:
    return int(
        await conn.fetch_val(
            "UPDATE groups SET word_count = word_count + :delta WHERE id = :id"
            " RETURNING word_count",
            {"id": group_id, "delta": delta},
        )
    )


async def list_word_group_ids(conn: Conn, word_id: int) -> list[int]:
    rows = await conn.fetch_all(
        "SELECT group_id FROM words_groups WHERE word_id = :id ORDER BY group_id", {"id": word_id}
    )
    return [int(row["group_id"]) for row in rows]


async def list_live_group_ids(conn: Conn, group_ids: Sequence[int]) -> set[int]:
    if not group_ids:
        return set()
    names = {f"g{i}": gid for i, gid in enumerate(group_ids)}
    placeholders = ", ".join(f":{name}" for name in names)
    rows = await conn.fetch_all(
        f"SELECT id FROM groups WHERE id IN ({placeholders}) AND deleted_at IS NULL", names
    )
    return {int(row["id"]) for row in rows}


async def insert_word(conn: Conn, word: dict[str, Any], *, created_at: datetime) -> int:
    return int(
        await conn.fetch_val(
            "INSERT INTO words (japanese, kana, romaji, english, parts, created_at)"
            " VALUES (:japanese, :kana, :romaji, :english, :parts, :at) RETURNING id",
            {
                "japanese": word["japanese"],
                "kana": word["kana"],
                "romaji": word["romaji"],
                "english": word["english"],
                "parts": _parts_json(word),
                "at": conn.timestamp(created_at),
            },
        )
    )


async def insert_words(
    conn: Conn, words: Sequence[dict[str, Any]], *, created_at: datetime
) -> list[int]:
    """Many new words, a chunk per statement (an import); their ids, in no promised order."""
    ids: list[int] = []
    chunk_size = LOOKUP_CHUNK // 2
    at = conn.timestamp(created_at)
    for start in range(0, len(words), chunk_size):
        chunk = words[start : start + chunk_size]
        values: dict[str, Any] = {"at": at}
        rows = []
        for i, word in enumerate(chunk):
            rows.append(f"(:j{i}, :k{i}, :r{i}, :e{i}, :p{i}, :at)")
            values.update(
                {
                    f"j{i}": word["japanese"],
                    f"k{i}": word["kana"],
                    f"r{i}": word["romaji"],
                    f"e{i}": word["english"],
                    f"p{i}": _parts_json(word),
                }
            )
        inserted = await conn.fetch_all(
            "INSERT INTO words (japanese, kana, romaji, english, parts, created_at)"
            f" VALUES {', '.join(rows)} RETURNING id",
            values,
        )
        ids.extend(int(row["id"]) for row in inserted)
    return ids


async def update_word(conn: Conn, word_id: int, word: dict[str, Any]) -> None:
    await conn.execute(
        "UPDATE words SET japanese = :japanese, kana = :kana, romaji = :romaji,"
        " english = :english, parts = :parts WHERE id = :id",
        {
            "id": word_id,
            "japanese": word["japanese"],
            "kana": word["kana"],
            "romaji": word["romaji"],
            "english": word["english"],
            "parts": _parts_json(word),
        },
    )


async def word_deletion_facts(conn: Conn, word_id: int) -> dict[str, int]:
    row = await conn.fetch_one(
        "SELECT (SELECT COUNT(*) FROM words_review_items WHERE word_id = :id) AS reviews,"
        " (SELECT COUNT(DISTINCT s.learner_id) FROM words_review_items r"
        "  JOIN study_sessions s ON s.id = r.study_session_id WHERE r.word_id = :id) AS learners,"
        " (SELECT COUNT(*) FROM words_groups wg JOIN groups g ON g.id = wg.group_id"
        "  WHERE wg.word_id = :id AND g.deleted_at IS NULL) AS groups",
        {"id": word_id},
    )
    assert row is not None
    return {key: int(value) for key, value in row.items()}


async def uncount_word_in_groups(conn: Conn, word_id: int) -> None:
    """Before a word goes: every group it is in has one word fewer."""
    await conn.execute(
        "UPDATE groups SET word_count = word_count - 1"
        " WHERE id IN (SELECT group_id FROM words_groups WHERE word_id = :id)",
        {"id": word_id},
    )


async def delete_word(conn: Conn, word_id: int) -> None:
    """The word, its memberships and its reviews (ON DELETE CASCADE)."""
    await conn.execute("DELETE FROM words WHERE id = :id", {"id": word_id})


async def list_words_by_japanese(conn: Conn, japanese: Iterable[str]) -> list[dict[str, Any]]:
    """Every word written as one of `japanese` (candidates for duplicates), by id."""
    found: list[dict[str, Any]] = []
    unique = sorted(set(japanese))
    for start in range(0, len(unique), LOOKUP_CHUNK):
        chunk = unique[start : start + LOOKUP_CHUNK]
        names = {f"j{i}": text for i, text in enumerate(chunk)}
        placeholders = ", ".join(f":{name}" for name in names)
        rows = await conn.fetch_all(
            f"SELECT {WORD_COLUMNS_NO_LEARNER} FROM words WHERE words.japanese IN ({placeholders})"
            " ORDER BY words.id",
            names,
        )
        found.extend(word_item(row) for row in rows)
    found.sort(key=lambda w: w["id"])
    return found


async def list_group_word_ids(conn: Conn, group_id: int) -> set[int]:
    rows = await conn.fetch_all(
        "SELECT word_id FROM words_groups WHERE group_id = :id", {"id": group_id}
    )
    return {int(row["word_id"]) for row in rows}


async def list_group_words_for_export(conn: Conn, group_id: int) -> list[dict[str, Any]]:
    rows = await conn.fetch_all(
        f"SELECT {WORD_COLUMNS_NO_LEARNER} FROM words JOIN words_groups wg ON wg.word_id = words.id"
        " WHERE wg.group_id = :id ORDER BY words.id",
        {"id": group_id},
    )
    return [word_item(row) for row in rows]
