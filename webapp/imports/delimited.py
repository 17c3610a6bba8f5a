"""Delimited text: CSV, TSV and semicolon files, pasted cells, and Anki's
"Notes in Plain Text" export (recognised by its `#separator:`/`#html:` headers).

Records keep the physical line they start on (1-based; header and `#` lines
count, a BOM does not); blank lines are skipped.
"""

from __future__ import annotations

import csv
import io
import re

from . import Table, UnreadableImport

DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}
DELIMITER_NAMES = {v: k for k, v in DELIMITERS.items()}
ENCODINGS = ("utf-8", "cp932")
# Anki's names for a separator (#separator:Tab), besides the literal character.
ANKI_SEPARATORS = {
    "comma": ",",
    "semicolon": ";",
    "tab": "\t",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
_ANKI_HEADER = re.compile(r"^#([a-z ]+):(.*)$", re.IGNORECASE)
_ANKI_KEYS = {
    "separator",
    "html",
    "tags",
    "columns",
    "notetype",
    "deck",
    "notetype column",
    "deck column",
    "tags column",
    "guid column",
    "match scope",
    "if matches",
}
_SPECIAL_COLUMNS = ("notetype column", "deck column", "tags column", "guid column")
HEADER_ALIASES = {
    "japanese": {"japanese", "expression", "vocabulary-kanji", "term", "word", "front", "kanji"},
    "kana": {"kana", "reading", "vocabulary-kana", "furigana", "hiragana"},
    "romaji": {"romaji", "romanization", "romanisation"},
    "english": {"english", "meaning", "vocabulary-english", "definition", "back", "translation"},
    "parts": {"parts"},
}


def decode(data: bytes, encoding: str | None) -> tuple[str, str, bool]:
    """(text, encoding, had a BOM): UTF-8 (with or without BOM), else cp932."""
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    tried = [encoding] if encoding else list(ENCODINGS)
    for name in tried:
        try:
            return data.decode(name), name, bom
        except UnicodeDecodeError:
            continue
    if encoding:
        raise UnreadableImport(f"The file is not valid {encoding}: choose another encoding")
    raise UnreadableImport("The file is neither UTF-8 nor Shift_JIS (cp932) text")


def looks_like_anki_text(text: str) -> bool:
    for line in text.splitlines()[:20]:
        match = _ANKI_HEADER.match(line.strip())
        if match and match.group(1).strip().lower() in ("separator", "html", "columns"):
            return True
    return False


def guess_delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first:
        return "\t"
    return ";" if first.count(";") > first.count(",") else ","


def _records(text: str, delimiter: str, first_line: int) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    previous_end = 0
    try:
        for cells in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            records.append((start + first_line - 1, cells))
    except csv.Error as error:
        raise UnreadableImport(f"line {previous_end + first_line}: {error}") from None
    return records


def header_mapping(names: list[str]) -> dict[str, int | None]:
    lowered = [name.strip().lower() for name in names]
    mapping: dict[str, int | None] = {}
    for portal_field, aliases in HEADER_ALIASES.items():
        index = next((i for i, name in enumerate(lowered) if name in aliases), None)
        mapping[portal_field] = None if index is None else index + 1
    return mapping


def positional_mapping(table: Table, candidates: list[int]) -> dict[str, int | None]:
    """Headerless: first column → japanese, last → english, the second of three or
    more → kana (or romaji when its samples are ASCII)."""
    mapping: dict[str, int | None] = dict.fromkeys(HEADER_ALIASES)
    if not candidates:
        return mapping
    mapping["japanese"] = candidates[0]
    if len(candidates) >= 2:
        mapping["english"] = candidates[-1]
    if len(candidates) >= 3:
        second = candidates[1]
        samples = [cells[second - 1] for _, cells in table.records[:20] if len(cells) >= second]
        ascii_only = samples and all(s.isascii() for s in samples if s.strip())
        mapping["romaji" if ascii_only else "kana"] = second
    return mapping


def parse_csv(text: str, delimiter: str | None, fmt: str) -> Table:
    delimiter = delimiter or ("\t" if fmt == "tsv" else guess_delimiter(text))
    records = _records(text, delimiter, 1)
    table = Table(format=fmt, columns=[], records=records, delimiter=delimiter)
    if not records:
        raise UnreadableImport("The file has no rows")
    width = max(len(cells) for _, cells in records)
    first = records[0][1]
    mapping = header_mapping(first)
    if mapping["japanese"] or mapping["english"]:
        table.has_header = True
        table.columns = [name.strip() or f"Column {i}" for i, name in enumerate(first, 1)]
        table.columns += [f"Column {i}" for i in range(len(first) + 1, width + 1)]
        table.records = records[1:]
        table.mapping = mapping
    else:
        table.columns = [f"Column {i}" for i in range(1, width + 1)]
        table.mapping = positional_mapping(table, list(range(1, width + 1)))
    return table


def _is_html(headers: dict[str, str], records: list[tuple[int, list[str]]]) -> bool:
    """As Anki reads it: `#html:`, else HTML when a field looks like HTML."""
    if "html" in headers:
        return headers["html"].lower() == "true"
    return any(re.search(r"<[a-z/][^>]*>|&[a-z]+;", c) for _, cells in records[:50] for c in cells)


def parse_anki_text(text: str, delimiter: str | None) -> Table:
    lines = text.split("\n")
    headers: dict[str, str] = {}
    consumed = 0
    for index, line in enumerate(lines):
        stripped = line.rstrip("\r")
        if index == 0 and stripped.lower().startswith("tags:"):
            headers["tags"] = stripped[5:]
            consumed += 1
            continue
        match = _ANKI_HEADER.match(stripped)
        if not match or match.group(1).strip().lower() not in _ANKI_KEYS:
            break
        headers[match.group(1).strip().lower()] = match.group(2).strip()
        consumed += 1
    if delimiter is None:
        named = headers.get("separator", "")
        delimiter = ANKI_SEPARATORS.get(named.lower(), named if len(named) == 1 else None)
    body = "\n".join(lines[consumed:])
    delimiter = delimiter or guess_delimiter(body)
    records = _records(body, delimiter, consumed + 1)
    if not records:
        raise UnreadableImport("The file has no notes")
    width = max(len(cells) for _, cells in records)
    special: set[int] = set()
    for key in _SPECIAL_COLUMNS:
        value = headers.get(key, "")
        if value.isdigit():
            special.add(int(value))
    names = [n.strip() for n in headers["columns"].split(delimiter)] if "columns" in headers else []
    columns = [
        (names[i - 1] if i <= len(names) and names[i - 1] else f"Field {i}")
        for i in range(1, width + 1)
    ]
    for key in _SPECIAL_COLUMNS:
        value = headers.get(key, "")
        if value.isdigit() and 1 <= int(value) <= width:
            columns[int(value) - 1] = key.replace(" column", "").capitalize()
    table = Table(
        format="anki-text",
        columns=columns,
        records=records,
        delimiter=delimiter,
        html=_is_html(headers, records),
        has_header=False,
    )
    by_name = header_mapping(names) if names else {}
    if by_name.get("japanese") or by_name.get("english"):
        table.mapping = by_name
    else:
        candidates = [i for i in range(1, width + 1) if i not in special]
        table.mapping = positional_mapping(table, candidates)
    return table
