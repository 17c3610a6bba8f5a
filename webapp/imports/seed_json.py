"""The portal's seed JSON format: `[{"kanji", "kana", "romaji", "english", "parts"}]`
(what a group's JSON export writes). `japanese` is accepted for `kanji`."""

from __future__ import annotations

import json
from typing import Any

from . import Table, UnreadableImport

COLUMNS = ["kanji", "kana", "romaji", "english", "parts"]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def parse_seed_json(text: str) -> Table:
    try:
        items = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise UnreadableImport(f"The file is not valid JSON: {error}") from None
    if isinstance(items, dict) and isinstance(items.get("words"), list):
        items = items["words"]
    if not isinstance(items, list):
        raise UnreadableImport('Seed JSON must be a list of {"kanji", "kana", "romaji", …}')
    records: list[tuple[int, list[str]]] = []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            records.append((position, ["", "", "", "", ""]))
            continue
        kanji = item.get("kanji", item.get("japanese"))
        values = [kanji, item.get("kana"), item.get("romaji"), item.get("english"), None]
        cells = [_cell(v) for v in values]
        parts = item.get("parts")
        cells[4] = json.dumps(parts, ensure_ascii=False) if parts else ""
        records.append((position, cells))
    if not records:
        raise UnreadableImport("The file has no words")
    return Table(
        format="seed-json",
        columns=COLUMNS,
        records=records,
        has_header=True,
        mapping={"japanese": 1, "kana": 2, "romaji": 3, "english": 4, "parts": 5},
    )
