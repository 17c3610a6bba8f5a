"""Loading the seed content of `seeds/` (words, groups, study activities).

Idempotent: every seeded row carries a stable `seed_key`, and a run adds what
is missing in one transaction, so a second run changes nothing and a run that
fails half-way leaves nothing behind.

Migration-safe: a database seeded from older seed files is brought up to date
in place. `seeds/revisions.json` lists what words and groups were once seeded
as; a stored value that still equals one of those is corrected (same row, so
every learner's reviews and sessions on the word stay), and the memberships
listed there as left are removed. A value that matches neither the current nor
a previous seed was edited in the portal, and is kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import PROJECT_ROOT
from ..db import Conn, utc_now
from ..errors import PortalError
from ..queries import seeds as seed_queries
from ..queries import stats

SEEDS_DIR = PROJECT_ROOT / "seeds"
# The word fields a re-seed may correct; `kanji` and `romaji` make the seed key.
REVISABLE_FIELDS = ("kana", "english", "parts")


class SeedError(PortalError):
    """A seed file is missing or malformed."""


@dataclass(frozen=True)
class SeedGroup:
    key: str
    name: str
    words: list[dict[str, Any]]


@dataclass(frozen=True)
class SeedRevisions:
    """What older seed files said: previous values, to recognise and correct them."""

    group_names: dict[str, list[str]] = field(default_factory=dict)  # group key -> names
    word_fields: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # word key -> …
    left_groups: dict[str, list[str]] = field(default_factory=dict)  # word key -> group keys


@dataclass(frozen=True)
class SeedContent:
    groups: list[SeedGroup]
    activities: list[dict[str, Any]]
    revisions: SeedRevisions = field(default_factory=SeedRevisions)


@dataclass
class SeedReport:
    words_added: int = 0
    groups_added: int = 0
    links_added: int = 0
    activities_added: int = 0
    words_updated: int = 0
    groups_renamed: int = 0
    links_removed: int = 0
    # Seeded rows that differ from every seeded version: edited in the portal, kept.
    kept: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.words_added,
                self.groups_added,
                self.links_added,
                self.activities_added,
                self.words_updated,
                self.groups_renamed,
                self.links_removed,
            )
        )


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SeedError(f"seed file not found: {path}") from None
    except ValueError as error:
        raise SeedError(f"seed file {path} is not valid JSON: {error}") from None


def word_seed_key(word: dict[str, Any]) -> str:
    """Identical words in two files (same writing and romaji) become one word."""
    return f"{word['kanji']}|{word['romaji']}"


def _load_revisions(data: dict[str, Any]) -> SeedRevisions:
    revisions = SeedRevisions()
    for group in data.get("groups", []):
        revisions.group_names[group["key"]] = list(group["name"])
    for word in data.get("words", []):
        key = word_seed_key(word)
        fields = {f: list(word[f]) for f in REVISABLE_FIELDS if f in word}
        if fields:
            revisions.word_fields[key] = fields
        if word.get("left_groups"):
            revisions.left_groups[key] = list(word["left_groups"])
    return revisions


def load_seed_content(directory: Path = SEEDS_DIR) -> SeedContent:
    manifest = _read_json(directory / "manifest.json")
    groups = []
    for entry in manifest.get("groups", []):
        words = _read_json(directory / entry["file"])
        for index, word in enumerate(words):
            for name in ("kanji", "romaji", "english"):
                if not isinstance(word.get(name), str) or not word[name]:
                    raise SeedError(f"{entry['file']} item {index}: '{name}' must be text")
        groups.append(SeedGroup(entry["key"], entry["name"], words))
    activities = _read_json(directory / manifest.get("activities", "activities.json"))
    revisions = SeedRevisions()
    if manifest.get("revisions"):
        try:
            revisions = _load_revisions(_read_json(directory / manifest["revisions"]))
        except (KeyError, TypeError) as error:
            raise SeedError(f"{manifest['revisions']}: malformed entry ({error})") from None
    return SeedContent(groups, activities, revisions)


async def seed(conn: Conn, content: SeedContent | None = None) -> SeedReport:
    """Add whatever seed rows are missing and correct outdated seeded ones.

    What exists is read first (one query per table), so nothing is inserted
    only to be dropped by a conflict: ids stay contiguous and a second run
    writes nothing at all.
    """
    content = content or load_seed_content()
    report = SeedReport()
    now = utc_now()
    async with conn.transaction():
        activity_keys = await seed_queries.list_activity_seed_keys(conn)
        for activity in content.activities:
            if activity["key"] not in activity_keys:
                await seed_queries.insert_activity(conn, activity, created_at=now)
                activity_keys.add(activity["key"])
                report.activities_added += 1
        groups = await seed_queries.map_seeded_groups(conn)
        words = await seed_queries.map_seeded_words(conn)
        links = await seed_queries.list_group_links(conn)
        group_ids: dict[str, int] = {}
        word_ids: dict[str, int] = {}
        for group in content.groups:
            if group.key in groups:
                await _revise_group(conn, group, groups[group.key], content.revisions, report)
                group_ids[group.key] = groups[group.key]["id"]
            else:
                group_ids[group.key] = await _insert_group(conn, group, now)
                report.groups_added += 1
            group_id = group_ids[group.key]
            for word in group.words:
                key = word_seed_key(word)
                if key not in word_ids:
                    if key in words:
                        word_ids[key] = words[key]["id"]
                        await _revise_word(conn, key, word, words[key], content.revisions, report)
                    else:
                        word_ids[key] = await seed_queries.insert_word(
                            conn, word, seed_key=key, created_at=now
                        )
                        report.words_added += 1
                if (word_ids[key], group_id) not in links:
                    await seed_queries.link_word_to_group(
                        conn, word_id=word_ids[key], group_id=group_id
                    )
                    links.add((word_ids[key], group_id))
                    report.links_added += 1
        for key, left in content.revisions.left_groups.items():
            for group_key in left:
                if key not in word_ids or group_key not in group_ids:
                    continue
                link = (word_ids[key], group_ids[group_key])
                if link in links:
                    await seed_queries.unlink_word_from_group(
                        conn, word_id=link[0], group_id=link[1]
                    )
                    links.discard(link)
                    report.links_removed += 1
        if report.changed:
            await stats.recount_all(conn)
    return report


async def _revise_group(
    conn: Conn,
    group: SeedGroup,
    stored: dict[str, Any],
    revisions: SeedRevisions,
    report: SeedReport,
) -> None:
    if stored["name"] == group.name:
        return
    if stored["name"] not in revisions.group_names.get(group.key, []):
        report.kept.append(f"group {stored['name']!r} (renamed in the portal)")
    elif await seed_queries.group_name_taken(conn, group.name):
        report.kept.append(f"group {stored['name']!r} (another group is named {group.name!r})")
    else:
        await seed_queries.rename_group(conn, group_id=stored["id"], name=group.name)
        report.groups_renamed += 1


async def _revise_word(
    conn: Conn,
    key: str,
    word: dict[str, Any],
    stored: dict[str, Any],
    revisions: SeedRevisions,
    report: SeedReport,
) -> None:
    seeded = {
        "kana": word.get("kana") or "",
        "english": word["english"],
        "parts": word.get("parts") or [],
    }
    previous = revisions.word_fields.get(key, {})
    new = dict(stored)
    edited = False
    for name in REVISABLE_FIELDS:
        if stored[name] == seeded[name]:
            continue
        if stored[name] in previous.get(name, []):
            new[name] = seeded[name]
        else:
            edited = True
    if edited:
        report.kept.append(f"word {word['kanji']} ({word['romaji']}) (edited in the portal)")
    if new != stored:
        await seed_queries.update_word_text(
            conn, word_id=stored["id"], kana=new["kana"], english=new["english"], parts=new["parts"]
        )
        report.words_updated += 1


async def _insert_group(conn: Conn, group: SeedGroup, now: Any) -> int:
    group_id = await seed_queries.insert_group(conn, key=group.key, name=group.name, created_at=now)
    if group_id is None:
        raise SeedError(
            f"a group named {group.name!r} already exists but was not seeded; "
            "rename it before seeding"
        )
    return group_id
