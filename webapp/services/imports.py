"""Imports with a preview: the upload is parsed once and stored with its plan
(what will be added, linked, updated or skipped, and every bad row); the teacher
may change the mapping, the duplicate rule or the target without uploading again;
"commit" recomputes the plan against the current data and applies it in one
transaction.  A preview writes no content, only its own row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from ..db import Conn, to_api_timestamp, utc_now
from ..errors import Conflict, InvalidInput, NotFound
from ..imports import FORMATS, PORTAL_FIELDS, UnreadableImport
from ..imports.delimited import DELIMITER_NAMES, DELIMITERS, ENCODINGS
from ..imports.rows import read_table, resolve_mapping, word_rows
from ..queries import authoring as authoring_queries
from ..queries import import_previews
from .authoring import clean_group_name, live_group
from .word_input import check_word, japanese_key, same_word

PREVIEW_LIFETIME = timedelta(hours=1)
COMMIT_CHUNK = 1000  # new words per progress line
ON_DUPLICATE = ("reuse", "update", "create")
OPTION_NAMES = ("format", "delimiter", "encoding", "mapping", "notetype", "on_duplicate")
Progress = Callable[[str], None]


def _invalid(error: UnreadableImport) -> InvalidInput:
    return InvalidInput(str(error), field=error.field)


def clean_options(raw: Mapping[str, Any], base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Validated options over `base` (a preview's current ones); 422 naming the field."""
    options: dict[str, Any] = dict(base or {"on_duplicate": "reuse"})
    for name in OPTION_NAMES:
        if name not in raw:
            continue
        value = raw[name]
        if value in (None, ""):
            options[name] = None
            continue
        if name == "mapping":
            if isinstance(value, str):
                try:
                    value = json.loads(value)
                except ValueError:
                    raise InvalidInput("mapping must be a JSON object", field="mapping") from None
            if not isinstance(value, dict):
                raise InvalidInput("mapping must be a JSON object", field="mapping")
            options["mapping"] = value
            continue
        if not isinstance(value, str):
            raise InvalidInput(f"{name} must be text", field=name)
        value = value.strip()
        allowed: tuple[str, ...] | None = {
            "format": FORMATS,
            "delimiter": tuple(DELIMITERS),
            "encoding": ENCODINGS,
            "on_duplicate": ON_DUPLICATE,
        }.get(name)
        if allowed is not None and value.lower() not in allowed:
            raise InvalidInput(f"{name} must be one of {', '.join(allowed)}", field=name)
        options[name] = value.lower() if allowed else value
    options["on_duplicate"] = options.get("on_duplicate") or "reuse"
    return options


async def clean_target(conn: Conn, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Exactly one of group_id (existing) or group_name (new)."""
    group_id, group_name = raw.get("group_id"), raw.get("group_name")
    has_id = group_id not in (None, "")
    has_name = group_name not in (None, "") and str(group_name).strip() != ""
    if has_id == has_name:
        raise InvalidInput(
            "Give exactly one of group_id (an existing group) or group_name (a new group)",
            field="group_id",
        )
    if has_id:
        text = str(group_id).strip()
        if not text.isdigit() or not 1 <= int(text) <= 2_147_483_647:
            raise InvalidInput("group_id must be a group id", field="group_id")
        group = await live_group(conn, int(text))
        return {"group_id": group["id"], "group_name": group["name"], "new_group": False}
    try:
        name = clean_group_name(group_name)
    except InvalidInput as error:
        raise InvalidInput(
            error.message.replace("name", "group_name", 1), field="group_name"
        ) from None
    existing = await authoring_queries.find_group_by_name(conn, name)
    if existing is not None:
        raise Conflict(
            f"A group named {existing['name']!r} already exists: import into it instead",
            field="group_name",
            existing_id=existing["id"],
        )
    return {"group_id": None, "group_name": name, "new_group": True}


async def plan_import(
    conn: Conn, source: bytes, options: Mapping[str, Any], target: Mapping[str, Any]
) -> dict[str, Any]:
    """The plan for `source` against the current data (reads only)."""
    try:
        table = read_table(source, options)
        mapping = resolve_mapping(table, options.get("mapping"))
    except UnreadableImport as error:
        raise _invalid(error) from None
    rows = word_rows(table, mapping)
    checked = [(line, check_word(raw), text) for line, raw, text in rows]
    good = [c.word for _, c, _ in checked if c.ok]
    existing = await authoring_queries.list_words_by_japanese(
        conn, {w["japanese"] for w in good} | {japanese_key(w) for w in good}
    )
    by_japanese: dict[str, list[dict[str, Any]]] = {}
    for word in existing:
        by_japanese.setdefault(japanese_key(word), []).append(word)
    members = (
        await authoring_queries.list_group_word_ids(conn, target["group_id"])
        if target.get("group_id")
        else set()
    )
    on_duplicate = options.get("on_duplicate") or "reuse"
    items: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    seen: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for line, check, text in checked:
        if not check.ok:
            for problem in check.errors:
                errors.append({"line": line, **problem, "raw": text})
            items.append(
                {
                    "line": line,
                    "action": "error",
                    "word": check.word,
                    "word_id": None,
                    "reason": check.errors[0]["error"],
                }
            )
            continue
        word = check.word
        key = japanese_key(word)
        earlier = next((ln for ln, w in seen.get(key, []) if same_word(w, word)), None)
        if earlier is not None:
            items.append(
                {
                    "line": line,
                    "action": "skip",
                    "word": word,
                    "word_id": None,
                    "reason": f"repeats line {earlier} of this file",
                }
            )
            continue
        seen.setdefault(key, []).append((line, word))
        match = None
        if on_duplicate != "create":
            match = next((w for w in by_japanese.get(key, []) if same_word(w, word)), None)
        items.append(_action(word, match, members, on_duplicate, line))
    summary = dict.fromkeys(("add", "link", "update", "skip", "error"), 0)
    for item in items:
        summary[item["action"]] += 1
    return {
        "format": table.format,
        "delimiter": DELIMITER_NAMES.get(table.delimiter or "", table.delimiter),
        "encoding": table.encoding,
        "bom": table.bom,
        "target": dict(target),
        "on_duplicate": on_duplicate,
        "columns": _columns(table, mapping),
        "mapping": mapping,
        "notetypes": table.notetypes,
        "notetype": table.notetype,
        "summary": {"rows": len(items), **summary},
        "errors": errors,
        "items": items,
    }


def _action(
    word: dict[str, Any], match: dict[str, Any] | None, members: set[int], rule: str, line: int
) -> dict[str, Any]:
    item: dict[str, Any] = {"line": line, "word": word, "word_id": None, "reason": None}
    if match is None:
        return {**item, "action": "add"}
    item["word_id"] = match["id"]
    changed = any(match[k] != word[k] for k in ("romaji", "english", "parts", "kana"))
    if rule == "update" and changed:
        return {**item, "action": "update", "reason": "the existing word's text changes"}
    if match["id"] in members:
        return {**item, "action": "skip", "reason": "already in the group"}
    return {**item, "action": "link", "reason": "the same word is already in the portal"}


def _columns(table: Any, mapping: dict[str, int | None]) -> list[dict[str, Any]]:
    roles = {index: name for name, index in mapping.items() if index}
    columns = []
    for index, name in enumerate(table.columns, start=1):
        sample = next(
            (
                cells[index - 1]
                for _, cells in table.records[:20]
                if len(cells) >= index and cells[index - 1].strip()
            ),
            "",
        )
        columns.append(
            {"index": index, "name": name, "role": roles.get(index), "sample": sample[:80]}
        )
    return columns


def preview_body(row: Mapping[str, Any], *, page: int = 1, per_page: int = 100) -> dict[str, Any]:
    plan = json.loads(row["plan"])
    items = plan.pop("items")
    total = len(items)
    body: dict[str, Any] = {
        "id": row["id"],
        "status": row["status"],
        "created_at": to_api_timestamp(row["created_at"]),
        "expires_at": to_api_timestamp(row["expires_at"]),
        "filename": row["filename"],
        **plan,
        "items": items[(page - 1) * per_page : page * per_page],
        "pagination": {
            "current_page": page,
            "total_pages": -(-total // per_page),
            "total_items": total,
            "items_per_page": per_page,
        },
    }
    if row.get("result"):
        body["result"] = json.loads(row["result"])
    return body


async def create_preview(
    conn: Conn, source: bytes, filename: str, raw_options: Mapping[str, Any]
) -> dict[str, Any]:
    options = clean_options(raw_options)
    target = await clean_target(conn, raw_options)
    plan = await plan_import(conn, source, {**options, "filename": filename}, target)
    now = utc_now()
    stored = {**options, "target": target}
    async with conn.transaction():
        await import_previews.delete_expired_previews(conn, now=now)
        preview_id = await import_previews.insert_preview(
            conn,
            source=source,
            filename=filename[:200],
            options=json.dumps(stored, ensure_ascii=False),
            plan=json.dumps(plan, ensure_ascii=False),
            created_at=now,
            expires_at=now + PREVIEW_LIFETIME,
        )
    return await get_preview(conn, preview_id)


async def _stored(conn: Conn, preview_id: int) -> dict[str, Any]:
    row = await import_previews.get_preview(conn, preview_id, now=utc_now())
    if row is None:
        raise NotFound(f"Import preview {preview_id} not found (or expired after an hour)")
    return row


async def get_preview(
    conn: Conn, preview_id: int, page: int = 1, *, per_page: int = 100
) -> dict[str, Any]:
    return preview_body(await _stored(conn, preview_id), page=page, per_page=per_page)


async def change_preview(conn: Conn, preview_id: int, raw: Mapping[str, Any]) -> dict[str, Any]:
    row = await _stored(conn, preview_id)
    if row["status"] == "committed":
        raise Conflict(f"Import {preview_id} was already committed: start a new one")
    stored = json.loads(row["options"])
    target = stored.pop("target")
    if "format" in raw or "delimiter" in raw or "encoding" in raw or "notetype" in raw:
        stored["mapping"] = None  # other columns: start again from the default mapping
    options = clean_options(raw, stored)
    if "group_id" in raw or "group_name" in raw:
        target = await clean_target(conn, raw)
    source = await import_previews.get_preview_source(conn, preview_id)
    plan = await plan_import(conn, source, {**options, "filename": row["filename"]}, target)
    async with conn.transaction():
        await import_previews.update_preview(
            conn,
            preview_id,
            options=json.dumps({**options, "target": target}, ensure_ascii=False),
            plan=json.dumps(plan, ensure_ascii=False),
        )
    return await get_preview(conn, preview_id)


async def commit_preview(
    conn: Conn, preview_id: int, progress: Progress | None = None
) -> dict[str, Any]:
    """Apply the plan, recomputed now, in one transaction; a second commit is 409."""
    async with conn.transaction():
        row = await _stored(conn, preview_id)
        if not await import_previews.claim_for_commit(conn, preview_id):
            raise Conflict(f"Import {preview_id} was already committed: nothing imported twice")
        options = json.loads(row["options"])
        target = options.pop("target")
        if target["new_group"]:
            taken = await authoring_queries.find_group_by_name(conn, target["group_name"])
            if taken is not None:
                raise Conflict(
                    f"A group named {taken['name']!r} was created meanwhile",
                    field="group_name",
                    existing_id=taken["id"],
                )
        source = await import_previews.get_preview_source(conn, preview_id)
        plan = await plan_import(conn, source, {**options, "filename": row["filename"]}, target)
        now = utc_now()
        group_id = target["group_id"] or await authoring_queries.insert_group(
            conn, name=target["group_name"], created_at=now
        )
        items = plan["items"]
        members = [i["word_id"] for i in items if i["action"] in ("link", "update")]
        for item in items:
            if item["action"] == "update":
                await authoring_queries.update_word(conn, item["word_id"], item["word"])
        new_words = [i["word"] for i in items if i["action"] == "add"]
        for start in range(0, len(new_words), COMMIT_CHUNK):
            chunk = new_words[start : start + COMMIT_CHUNK]
            members += await authoring_queries.insert_words(conn, chunk, created_at=now)
            if progress:
                progress(f"  {start + len(chunk):,} / {len(new_words):,} new words")
        linked = await authoring_queries.link_words(conn, group_id=group_id, word_ids=members)
        count = await authoring_queries.add_to_group_word_count(conn, group_id, linked)
        group = await live_group(conn, group_id)
        result = {
            "id": preview_id,
            "status": "committed",
            "group": {"id": group_id, "name": group["name"], "word_count": count},
            "summary": plan["summary"],
        }
        await import_previews.save_result(conn, preview_id, json.dumps(result, ensure_ascii=False))
    return result


async def discard_preview(conn: Conn, preview_id: int) -> None:
    async with conn.transaction():
        await _stored(conn, preview_id)
        await import_previews.delete_preview(conn, preview_id)


__all__ = ["PORTAL_FIELDS", "change_preview", "commit_preview", "create_preview", "get_preview"]
