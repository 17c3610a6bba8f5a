"""Loading the seed content of `seeds/` (words, groups, study activities).

Idempotent: every seeded row carries a stable `seed_key` and is inserted only
when missing, in one transaction, so a second run changes nothing and a run
that fails half-way leaves nothing behind.  Rows already present are not
overwritten, so later edits in the portal survive a re-seed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import PROJECT_ROOT
from ..db import Conn, utc_now
from ..errors import PortalError
from ..queries import seeds as seed_queries
from ..queries import stats

SEEDS_DIR = PROJECT_ROOT / "seeds"


class SeedError(PortalError):
    """A seed file is missing or malformed."""


@dataclass(frozen=True)
class SeedGroup:
    key: str
    name: str
    words: list[dict[str, Any]]


@dataclass(frozen=True)
class SeedContent:
    groups: list[SeedGroup]
    activities: list[dict[str, Any]]


@dataclass
class SeedReport:
    words_added: int = 0
    groups_added: int = 0
    links_added: int = 0
    activities_added: int = 0

    @property
    def changed(self) -> bool:
        return any((self.words_added, self.groups_added, self.links_added, self.activities_added))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SeedError(f"seed file not found: {path}") from None
    except ValueError as error:
        raise SeedError(f"seed file {path} is not valid JSON: {error}") from None


def load_seed_content(directory: Path = SEEDS_DIR) -> SeedContent:
    manifest = _read_json(directory / "manifest.json")
    groups = []
    for entry in manifest.get("groups", []):
        words = _read_json(directory / entry["file"])
        for index, word in enumerate(words):
            for field in ("kanji", "romaji", "english"):
                if not isinstance(word.get(field), str) or not word[field]:
                    raise SeedError(f"{entry['file']} item {index}: '{field}' must be text")
        groups.append(SeedGroup(entry["key"], entry["name"], words))
    activities = _read_json(directory / manifest.get("activities", "activities.json"))
    return SeedContent(groups, activities)


def word_seed_key(word: dict[str, Any]) -> str:
    """Identical words in two files (same writing and romaji) become one word."""
    return f"{word['kanji']}|{word['romaji']}"


async def seed(conn: Conn, content: SeedContent | None = None) -> SeedReport:
    """Add whatever seed rows are missing; rows already there are left as they are.

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
        group_ids = await seed_queries.map_group_seed_keys(conn)
        word_ids = await seed_queries.map_word_seed_keys(conn)
        links = await seed_queries.list_group_links(conn)
        for group in content.groups:
            if group.key not in group_ids:
                group_ids[group.key] = await _insert_group(conn, group, now)
                report.groups_added += 1
            group_id = group_ids[group.key]
            for word in group.words:
                key = word_seed_key(word)
                if key not in word_ids:
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
        if report.changed:
            await stats.recount_all(conn)
    return report


async def _insert_group(conn: Conn, group: SeedGroup, now: Any) -> int:
    group_id = await seed_queries.insert_group(conn, key=group.key, name=group.name, created_at=now)
    if group_id is None:
        raise SeedError(
            f"a group named {group.name!r} already exists but was not seeded; "
            "rename it before seeding"
        )
    return group_id
