"""Authoring: groups and words created, changed and deleted by the teacher.

Each operation is one transaction that keeps the maintained counters true: a
group's word_count moves with its links, the portal's word total is kept by
triggers, and deleting a word recounts the sessions and learners it was answered in.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ..db import Conn, utc_now
from ..errors import Conflict, InvalidInput, NotFound
from ..queries import authoring, groups, words
from . import NO_LEARNER_ID, progress
from .word_input import (
    WORD_FIELDS,
    WordCheck,
    check_word,
    clean_text,
    same_word,
    suggest_kana,
)

GROUP_NAME_MAX = 100


def clean_group_name(raw: Any) -> str:
    """A group name by the rules (1–100 characters, trimmed, NFC, no control characters)."""
    if not isinstance(raw, str):
        raise InvalidInput("name is required (text, 1–100 characters)", field="name")
    try:
        name = clean_text(raw)
    except ValueError as error:
        raise InvalidInput(f"name {error}", field="name") from None
    if not name:
        raise InvalidInput("name is required (text, 1–100 characters)", field="name")
    if len(name) > GROUP_NAME_MAX:
        raise InvalidInput(f"name must be at most {GROUP_NAME_MAX} characters", field="name")
    return name


async def _refuse_taken_name(conn: Conn, name: str, *, except_id: int | None = None) -> None:
    existing = await authoring.find_group_by_name(conn, name)
    if existing is not None and existing["id"] != except_id:
        raise Conflict(
            f"A group named {existing['name']!r} already exists",
            field="name",
            existing_id=existing["id"],
        )


async def live_group(conn: Conn, group_id: int) -> dict[str, Any]:
    group = await groups.get_group(conn, group_id)
    if group is None:
        raise NotFound(f"Group {group_id} not found")
    return group


async def create_group(conn: Conn, raw_name: Any) -> dict[str, Any]:
    name = clean_group_name(raw_name)
    async with conn.transaction():
        await _refuse_taken_name(conn, name)
        group_id = await authoring.insert_group(conn, name=name, created_at=utc_now())
        return await live_group(conn, group_id)


async def rename_group(conn: Conn, group_id: int, raw_name: Any) -> dict[str, Any]:
    name = clean_group_name(raw_name)
    async with conn.transaction():
        await live_group(conn, group_id)
        await _refuse_taken_name(conn, name, except_id=group_id)
        await authoring.rename_group(conn, group_id, name)
        return await live_group(conn, group_id)


async def group_deletion_facts(conn: Conn, group_id: int) -> dict[str, Any]:
    group = await live_group(conn, group_id)
    return {"group": group, **await authoring.group_deletion_facts(conn, group_id)}


async def delete_group(conn: Conn, group_id: int) -> dict[str, Any]:
    """Soft delete: the words stay, the sessions stay with the group's name."""
    async with conn.transaction():
        facts = await group_deletion_facts(conn, group_id)
        await authoring.unlink_group_words(conn, group_id)
        await authoring.mark_group_deleted(conn, group_id, deleted_at=utc_now())
    return {
        "success": True,
        "id": group_id,
        "name": facts["group"]["name"],
        "words_unlinked": facts["words"],
        "study_sessions_kept": facts["sessions"],
    }


async def add_word_to_group(conn: Conn, group_id: int, word_id: int) -> tuple[bool, int]:
    """(added, the group's word count); adding a member again changes nothing."""
    async with conn.transaction():
        group = await live_group(conn, group_id)
        if not await words.word_exists(conn, word_id):
            raise NotFound(f"Word {word_id} not found")
        if not await authoring.link_word(conn, group_id=group_id, word_id=word_id):
            return False, group["word_count"]
        return True, await authoring.add_to_group_word_count(conn, group_id, 1)


async def remove_word_from_group(conn: Conn, group_id: int, word_id: int) -> int:
    async with conn.transaction():
        await live_group(conn, group_id)
        if not await authoring.unlink_word(conn, group_id=group_id, word_id=word_id):
            raise NotFound(f"Word {word_id} is not in group {group_id}")
        return await authoring.add_to_group_word_count(conn, group_id, -1)


def checked_word(raw: dict[str, Any]) -> dict[str, Any]:
    """The cleaned word, or InvalidInput naming the first bad field and listing all."""
    check: WordCheck = check_word(raw)
    if not check.ok:
        first = check.errors[0]
        raise InvalidInput(first["error"], field=first["field"], errors=check.errors)
    return check.word


def clean_group_ids(raw: Any) -> list[int] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or any(
        isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 2_147_483_647 for v in raw
    ):
        raise InvalidInput("group_ids must be a list of group ids", field="group_ids")
    return sorted(set(raw))


async def find_duplicate(
    conn: Conn, word: dict[str, Any], *, except_id: int | None = None
) -> dict[str, Any] | None:
    """The existing word with the same Japanese and reading (lowest id), if any."""
    candidates = await authoring.list_words_by_japanese(
        conn, {word["japanese"], unicodedata.normalize("NFKC", word["japanese"])}
    )
    for candidate in candidates:
        if candidate["id"] != except_id and same_word(candidate, word):
            return candidate
    return None


async def _require_groups(conn: Conn, group_ids: list[int]) -> None:
    missing = sorted(set(group_ids) - await authoring.list_live_group_ids(conn, group_ids))
    if missing:
        raise NotFound(f"Group {missing[0]} not found", field="group_ids", missing=missing)


async def _set_memberships(conn: Conn, word_id: int, group_ids: list[int]) -> None:
    current = set(await authoring.list_word_group_ids(conn, word_id))
    for group_id in sorted(set(group_ids) - current):
        await authoring.link_word(conn, group_id=group_id, word_id=word_id)
        await authoring.add_to_group_word_count(conn, group_id, 1)
    for group_id in sorted(current - set(group_ids)):
        await authoring.unlink_word(conn, group_id=group_id, word_id=word_id)
        await authoring.add_to_group_word_count(conn, group_id, -1)


async def word_show(conn: Conn, word_id: int, *, learner_id: int) -> dict[str, Any]:
    """The word as GET /api/words/:id shows it, with this learner's counts and schedule."""
    word = await words.get_word(conn, word_id, learner_id=learner_id)
    if word is None:
        raise NotFound(f"Word {word_id} not found")
    return {
        **word,
        "stats": {"correct_count": word["correct_count"], "wrong_count": word["wrong_count"]},
        "groups": await words.list_word_groups(conn, word_id),
        "schedule": await progress.word_schedule(conn, learner_id=learner_id, word_id=word_id),
    }


def _duplicate_conflict(existing: dict[str, Any]) -> Conflict:
    return Conflict(
        f"{existing['japanese']} ({existing['kana'] or existing['romaji']}) is already in the "
        "portal: add the existing word, or send allow_duplicate to create a second copy",
        field="japanese",
        existing_id=existing["id"],
    )


async def create_word(
    conn: Conn,
    raw: dict[str, Any],
    *,
    group_ids: list[int] | None,
    allow_duplicate: bool,
    learner_id: int,
) -> dict[str, Any]:
    word = checked_word(raw)
    async with conn.transaction():
        await _require_groups(conn, group_ids or [])
        if not allow_duplicate:
            existing = await find_duplicate(conn, word)
            if existing is not None:
                raise _duplicate_conflict(existing)
        word_id = await authoring.insert_word(conn, word, created_at=utc_now())
        await _set_memberships(conn, word_id, group_ids or [])
        return await word_show(conn, word_id, learner_id=learner_id)


async def update_word(
    conn: Conn,
    word_id: int,
    changes: dict[str, Any],
    *,
    group_ids: list[int] | None,
    allow_duplicate: bool,
    learner_id: int,
) -> dict[str, Any]:
    async with conn.transaction():
        current = await words.get_word(conn, word_id, learner_id=learner_id)
        if current is None:
            raise NotFound(f"Word {word_id} not found")
        merged = {name: current[name] for name in WORD_FIELDS}
        merged.update({k: v for k, v in changes.items() if k in merged})
        if "japanese" in changes and "kana" not in changes and isinstance(changes["japanese"], str):
            # a word written in kana: its reading follows the new writing
            merged["kana"] = suggest_kana(changes["japanese"].strip()) or merged["kana"]
        if merged["kana"] != current["kana"] and "romaji" not in changes:
            merged["romaji"] = ""  # derived again from the new reading
        word = checked_word(merged)
        if group_ids is not None:
            await _require_groups(conn, group_ids)
        if not allow_duplicate:
            existing = await find_duplicate(conn, word, except_id=word_id)
            if existing is not None:
                raise _duplicate_conflict(existing)
        await authoring.update_word(conn, word_id, word)
        if group_ids is not None:
            await _set_memberships(conn, word_id, group_ids)
        return await word_show(conn, word_id, learner_id=learner_id)


async def word_deletion_facts(conn: Conn, word_id: int) -> dict[str, Any]:
    # the word's text only: no learner's counts are shown with it
    word = await words.get_word(conn, word_id, learner_id=NO_LEARNER_ID)
    if word is None:
        raise NotFound(f"Word {word_id} not found")
    return {"word": word, **await authoring.word_deletion_facts(conn, word_id)}


async def delete_word(conn: Conn, word_id: int) -> dict[str, Any]:
    """The word and its answers go.

    The review triggers (migration 0005) move every counter the answers fed (their
    sessions', each learner's for the word and overall) as the word takes them along.
    """
    async with conn.transaction():
        facts = await word_deletion_facts(conn, word_id)
        await authoring.uncount_word_in_groups(conn, word_id)
        await authoring.delete_word(conn, word_id)
    return {
        "success": True,
        "id": word_id,
        "japanese": facts["word"]["japanese"],
        "reviews_deleted": facts["reviews"],
        "learners_affected": facts["learners"],
    }
