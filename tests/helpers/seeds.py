"""The seed files, read on their own: what seeding must produce.

Expectations come from seeds/ (read here, independently of the app's seeding
code); nothing here mirrors the SQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


@dataclass
class SeedFacts:
    """What seeding must produce, counted from seeds/ by the tests themselves."""

    group_names: list[str]
    # group name -> {(japanese, romaji)} (a word listed twice in a file is one word)
    group_words: dict[str, set[tuple[str, str]]]
    # (japanese, romaji) -> the first entry of that word in the files
    words: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    activities: list[dict[str, Any]] = field(default_factory=list)

    @property
    def word_count(self) -> int:
        return len(self.words)

    @property
    def membership_count(self) -> int:
        return sum(len(keys) for keys in self.group_words.values())

    def groups_of(self, key: tuple[str, str]) -> set[str]:
        return {name for name, keys in self.group_words.items() if key in keys}


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def seed_facts() -> SeedFacts:
    manifest = _read(SEEDS / "manifest.json")
    facts = SeedFacts(group_names=[], group_words={})
    for entry in manifest["groups"]:
        keys: set[tuple[str, str]] = set()
        for word in _read(SEEDS / entry["file"]):
            key = (word["kanji"], word["romaji"])
            keys.add(key)
            facts.words.setdefault(key, word)
        facts.group_names.append(entry["name"])
        facts.group_words[entry["name"]] = keys
    facts.activities = _read(SEEDS / manifest.get("activities", "activities.json"))
    return facts


def word_key(item: dict[str, Any]) -> tuple[str, str]:
    return (item["japanese"], item["romaji"])
