"""From an upload to raw word rows: detect the format, read it into a Table, apply
the column mapping (the default one, or the teacher's) and clean each cell."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from . import FORMATS, PORTAL_FIELDS, Table, UnreadableImport
from .anki import is_zip, parse_apkg
from .cleaning import clean_cell, furigana_base, furigana_reading, has_furigana
from .delimited import (
    DELIMITERS,
    decode,
    header_mapping,
    looks_like_anki_text,
    parse_anki_text,
    parse_csv,
    positional_mapping,
)
from .seed_json import parse_seed_json


def detect_format(data: bytes, filename: str) -> str:
    name = filename.lower()
    if name.endswith(".apkg") or name.endswith(".colpkg") or is_zip(data):
        return "apkg"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if name.endswith(".json") or head.startswith(b"["):
        return "seed-json"
    text = data[:65536].decode("utf-8", errors="ignore")
    if looks_like_anki_text(text):
        return "anki-text"
    if name.endswith(".tsv"):
        return "tsv"
    return "csv"


def read_table(data: bytes, options: Mapping[str, Any]) -> Table:
    """Parse the upload as the options say (format, delimiter, encoding, notetype)."""
    if not data.strip():
        raise UnreadableImport("The file is empty")
    fmt = options.get("format") or detect_format(data, options.get("filename") or "")
    if fmt not in FORMATS:
        raise UnreadableImport(f"format must be one of {', '.join(FORMATS)}", "format")
    if fmt == "apkg":
        table = parse_apkg(data, options.get("notetype"))
        by_name = header_mapping(table.columns)
        if by_name["japanese"] or by_name["english"]:
            table.mapping = by_name
        else:
            table.mapping = positional_mapping(table, list(range(1, len(table.columns) + 1)))
        return table
    text, encoding, bom = decode(data, options.get("encoding"))
    delimiter = DELIMITERS.get(options.get("delimiter") or "")
    if fmt == "seed-json":
        table = parse_seed_json(text)
    elif fmt == "anki-text":
        table = parse_anki_text(text, delimiter)
    else:
        table = parse_csv(text, delimiter, fmt)
    table.encoding, table.bom = encoding, bom
    return table


def resolve_mapping(table: Table, requested: Mapping[str, Any] | None) -> dict[str, int | None]:
    """The teacher's mapping (column names or 1-based indexes) over the default one."""
    mapping = {name: table.mapping.get(name) for name in PORTAL_FIELDS}
    if not requested:
        return mapping
    lowered = [c.strip().lower() for c in table.columns]
    for name, value in requested.items():
        if name not in PORTAL_FIELDS:
            raise UnreadableImport(
                f"mapping: {name!r} is not a portal field ({', '.join(PORTAL_FIELDS)})", "mapping"
            )
        if value is None or value == "":
            mapping[name] = None
        elif isinstance(value, int) and not isinstance(value, bool):
            if not 1 <= value <= len(table.columns):
                raise UnreadableImport(
                    f"mapping: {name} → column {value}, but the file has "
                    f"{len(table.columns)} column(s)",
                    "mapping",
                )
            mapping[name] = value
        elif isinstance(value, str) and value.strip().isdigit():
            return resolve_mapping(table, {**requested, name: int(value.strip())})
        elif isinstance(value, str) and value.strip().lower() in lowered:
            mapping[name] = lowered.index(value.strip().lower()) + 1
        else:
            raise UnreadableImport(f"mapping: {name} → {value!r}: no such column", "mapping")
    for required in ("japanese", "english"):
        if not mapping.get(required):
            raise UnreadableImport(f"mapping: {required} must be mapped to a column", "mapping")
    return mapping


def _cell(cells: list[str], index: int | None, html_markup: bool) -> str:
    if not index or index > len(cells):
        return ""
    return clean_cell(cells[index - 1], html_markup=html_markup)


Row = tuple[int, dict[str, Any], str]


def word_rows(table: Table, mapping: dict[str, int | None]) -> list[Row]:
    """(line, raw word fields, the record as text) for every record."""
    rows: list[Row] = []
    for line, cells in table.records:
        raw: dict[str, Any] = {
            name: _cell(cells, mapping.get(name), table.html) for name in PORTAL_FIELDS
        }
        japanese, kana = raw["japanese"], raw["kana"]
        if has_furigana(kana):
            raw["kana"] = furigana_reading(kana)
        if has_furigana(japanese):
            if not raw["kana"]:
                raw["kana"] = furigana_reading(japanese)
            raw["japanese"] = furigana_base(japanese)
        raw["parts"] = _parts(raw["parts"])
        rows.append((line, raw, " | ".join(cells)[:300]))
    return rows


def _parts(text: str) -> Any:
    if not text:
        return []
    try:
        return json.loads(text)
    except ValueError:
        return text  # the word rules report it as not a list
