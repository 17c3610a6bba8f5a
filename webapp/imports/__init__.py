"""Reading word lists that teachers already have: CSV/TSV/semicolon files, pasted
text, the seed JSON format, Anki's plain-text export and Anki decks (.apkg).

Each parser turns the upload into a `Table` (columns and records with the line
each came from); `rows.py` applies a column mapping and cleans the cells into raw
word fields, which the word input rules then check like any other input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FORMATS = ("csv", "tsv", "anki-text", "seed-json", "apkg")
PORTAL_FIELDS = ("japanese", "kana", "romaji", "english", "parts")
MAX_IMPORT_BYTES = 8 * 1024 * 1024


class UnreadableImport(ValueError):
    """The upload cannot be read as asked; `field` names the option to change."""

    def __init__(self, message: str, field: str = "file") -> None:
        super().__init__(message)
        self.field = field


@dataclass
class Table:
    format: str
    columns: list[str]
    records: list[tuple[int, list[str]]]
    delimiter: str | None = None
    encoding: str | None = None
    bom: bool = False
    html: bool = False
    has_header: bool = False
    mapping: dict[str, int | None] = field(default_factory=dict)
    notetypes: list[dict[str, Any]] | None = None
    notetype: str | None = None
