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
    content = content or load_seed_content()
    report = SeedReport()
    now = utc_now()
    async with conn.transaction():
        for activity in content.activities:
            report.activities_added += await seed_queries.insert_activity_if_missing(
                conn, activity, created_at=now
            )
        for group in content.groups:
            report.groups_added += await seed_queries.insert_group_if_missing(
                conn, key=group.key, name=group.name, created_at=now
            )
            group_id = await seed_queries.get_group_id_by_seed_key(conn, group.key)
            if group_id is None:
                raise SeedError(
                    f"a group named {group.name!r} already exists but was not seeded; "
                    "rename it before seeding"
                )
            for word in group.words:
                key = word_seed_key(word)
                report.words_added += await seed_queries.insert_word_if_missing(
                    conn, word, seed_key=key, created_at=now
                )
                word_id = await seed_queries.get_word_id_by_seed_key(conn, key)
                report.links_added += await seed_queries.link_word_to_group(
                    conn, word_id=word_id, group_id=group_id
                )
        if report.changed:
            await stats.recount_all(conn)
    return report
