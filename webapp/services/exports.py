"""A group's words as CSV (for spreadsheets) or as the seed JSON format.

CSV is UTF-8 with a BOM (Excel needs it), CRLF, `parts` as JSON text, and cells
that a spreadsheet would run as a formula prefixed with `'` (OWASP); the
importer removes that one `'` again, so an export imports as identical words.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any
from urllib.parse import quote

from ..db import Conn
from ..queries import authoring
from .authoring import live_group

EXPORT_FORMATS = ("csv", "json")
CSV_HEADER = ("japanese", "kana", "romaji", "english", "parts")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def words_as_csv(words: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for word in words:
        parts = json.dumps(word["parts"], ensure_ascii=False) if word["parts"] else ""
        cells = (word["japanese"], word["kana"], word["romaji"], word["english"], parts)
        writer.writerow([escape_formula(cell) for cell in cells])
    return "\ufeff" + out.getvalue()


def words_as_seed_json(words: list[dict[str, Any]]) -> str:
    items = [
        {
            "kanji": w["japanese"],
            "kana": w["kana"],
            "romaji": w["romaji"],
            "english": w["english"],
            "parts": w["parts"],
        }
        for w in words
    ]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def attachment_header(name: str, extension: str) -> str:
    """Content-Disposition with an ASCII fallback and the real name in UTF-8 (RFC 6266)."""
    fallback = re.sub(r"[^A-Za-z0-9 ._-]+", "_", name).strip(" _") or "group"
    filename = f"{name}.{extension}"
    return f"attachment; filename=\"{fallback}.{extension}\"; filename*=UTF-8''{quote(filename)}"


async def export_group(conn: Conn, group_id: int, fmt: str) -> tuple[dict[str, Any], str]:
    """(the group, the file's text) in `fmt` (csv or json), words by id."""
    group = await live_group(conn, group_id)
    words = await authoring.list_group_words_for_export(conn, group_id)
    text = words_as_csv(words) if fmt == "csv" else words_as_seed_json(words)
    return group, text
