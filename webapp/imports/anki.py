"""Anki decks (.apkg): a zip holding a SQLite collection.

Which collection is real depends on the package version in the `meta` entry
(protobuf `PackageMetadata{version}`): none → `collection.anki2` (schema 11),
2 → `collection.anki21`, 3 → `collection.anki21b`, zstd-compressed (schema 18).
Newer packages also hold a dummy `collection.anki2` whose one note asks to
"update to the latest Anki version": it is never read as content.  Media are
never extracted, and what is decompressed is capped (zip and zstd bombs).
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from typing import Any

import zstandard

from . import MAX_IMPORT_BYTES, Table, UnreadableImport

MAX_COLLECTION_BYTES = 128 * 1024 * 1024
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
DUMMY_NOTE = "please update to the latest anki version"
COLLECTION_BY_VERSION = {1: "collection.anki2", 2: "collection.anki21", 3: "collection.anki21b"}


def is_zip(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04")


def _package_version(archive: zipfile.ZipFile) -> int:
    names = set(archive.namelist())
    if "meta" not in names:
        return 2 if "collection.anki21" in names else 1
    meta = _read_capped(archive, "meta", 1024)
    # PackageMetadata: field 1 (varint) = version; `08 03` is version 3.
    if len(meta) >= 2 and meta[0] == 0x08:
        version, shift = 0, 0
        for byte in meta[1:]:
            version |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        if version in COLLECTION_BY_VERSION:
            return version
        raise UnreadableImport(
            f"This deck was written by a newer Anki (package version {version}): "
            "export it with “Support older Anki versions” ticked"
        )
    raise UnreadableImport("This .apkg has a package header the portal does not understand")


def _read_capped(archive: zipfile.ZipFile, name: str, cap: int) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > cap:
        raise UnreadableImport(f"The deck's {name} is too large to import")
    with archive.open(info) as member:
        data = member.read(cap + 1)
    if len(data) > cap:
        raise UnreadableImport(f"The deck's {name} is too large to import")
    return data


def _decompress_zstd(data: bytes) -> bytes:
    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data))
    try:
        out = reader.read(MAX_COLLECTION_BYTES + 1)
    except zstandard.ZstdError as error:
        raise UnreadableImport(f"The deck's collection cannot be decompressed: {error}") from None
    if len(out) > MAX_COLLECTION_BYTES:
        raise UnreadableImport("The deck's collection is too large to import")
    return out


def _open_collection(data: bytes) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    try:
        db.deserialize(data)
        db.execute("PRAGMA trusted_schema = OFF")
        db.execute("PRAGMA query_only = ON")
        db.execute("SELECT COUNT(*) FROM notes").fetchone()
    except sqlite3.Error as error:
        db.close()
        raise UnreadableImport(
            f"The deck's collection is not a readable Anki database: {error}"
        ) from None
    return db


def _notetypes(db: sqlite3.Connection) -> dict[int, dict[str, Any]]:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    types: dict[int, dict[str, Any]] = {}
    if "notetypes" in tables and "fields" in tables:
        for ntid, name in db.execute("SELECT id, name FROM notetypes"):
            types[int(ntid)] = {"id": int(ntid), "name": str(name), "fields": []}
        for ntid, _ord, name in db.execute("SELECT ntid, ord, name FROM fields ORDER BY ntid, ord"):
            if int(ntid) in types:
                types[int(ntid)]["fields"].append(str(name))
        return types
    row = db.execute("SELECT models FROM col").fetchone()
    models = json.loads(row[0]) if row and row[0] else {}
    for mid, model in models.items():
        fields = sorted(model.get("flds", []), key=lambda f: f.get("ord", 0))
        types[int(mid)] = {
            "id": int(mid),
            "name": str(model.get("name", mid)),
            "fields": [str(f.get("name", "")) for f in fields],
        }
    return types


def parse_apkg(data: bytes, notetype: str | None) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnreadableImport("The file is not a valid .apkg (zip) package") from None
    with archive:
        version = _package_version(archive)
        entry = COLLECTION_BY_VERSION[version]
        if entry not in archive.namelist():
            raise UnreadableImport(f"The deck has no {entry}")
        raw = _read_capped(archive, entry, MAX_COLLECTION_BYTES)
    if raw.startswith(ZSTD_MAGIC):
        raw = _decompress_zstd(raw)
    db = _open_collection(raw)
    try:
        types = _notetypes(db)
        notes = db.execute("SELECT id, mid, flds FROM notes ORDER BY id").fetchall()
    finally:
        db.close()
    if len(notes) == 1 and DUMMY_NOTE in str(notes[0][2]).lower():
        raise UnreadableImport(
            "This package holds only Anki's “Please update to the latest Anki version” note: "
            "it was written in a format this package does not contain; export the deck again"
        )
    if not notes:
        raise UnreadableImport("The deck has no notes")
    counts: dict[int, int] = {}
    for _, mid, _ in notes:
        counts[int(mid)] = counts.get(int(mid), 0) + 1
    used = [
        {"id": mid, "name": types.get(mid, {}).get("name", str(mid)), "notes": count}
        for mid, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    chosen = _choose(used, notetype)
    fields = types.get(chosen["id"], {}).get("fields") or []
    records: list[tuple[int, list[str]]] = []
    for position, (_, mid, flds) in enumerate(notes, start=1):
        if int(mid) == chosen["id"]:
            records.append((position, str(flds).split("\x1f")))
    width = max([len(fields)] + [len(cells) for _, cells in records])
    columns = [fields[i] if i < len(fields) else f"Field {i + 1}" for i in range(width)]
    table = Table(format="apkg", columns=columns, records=records, html=True, has_header=True)
    table.notetypes = used
    table.notetype = chosen["name"]
    return table


def _choose(used: list[dict[str, Any]], notetype: str | None) -> dict[str, Any]:
    if not notetype:
        return used[0]
    wanted = notetype.strip()
    for item in used:
        if str(item["id"]) == wanted or item["name"].lower() == wanted.lower():
            return item
    names = ", ".join(item["name"] for item in used)
    raise UnreadableImport(f"The deck has no note type {wanted!r} (it has: {names})", "notetype")


__all__ = ["MAX_IMPORT_BYTES", "is_zip", "parse_apkg"]
