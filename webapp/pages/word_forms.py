"""The teacher's word pages: new and edit (with parts as rows, duplicates shown with
"add the existing word" / "create a second copy"), the inline row edit of the words
tables, the romaji suggestion, and delete with its confirmation.

All forms work without JavaScript: Add part / Remove are submit buttons that
re-render the form; errors re-render it with the input (422).
"""

from __future__ import annotations

from typing import Any

from quart import Response, flash, redirect, request
from quart.typing import ResponseTypes
from werkzeug.datastructures import MultiDict

from ..errors import Conflict, InvalidInput, NotFound
from ..learner import viewer_learner_id
from ..queries import groups, words
from ..security import require_admin
from ..services import authoring
from ..services.word_input import clean_text, romaji_for, suggest_kana
from ..web import ID, conn, parse_id
from . import pages
from .rendering import render_page

MAX_PART_ROWS = 30


def parts_from_form(form: MultiDict[str, str]) -> list[dict[str, str]]:
    rows = []
    for index in range(MAX_PART_ROWS):
        kanji = form.get(f"part_kanji_{index}")
        if kanji is None:
            break
        rows.append({"kanji": kanji, "romaji": form.get(f"part_romaji_{index}", "")})
    return rows


def parts_for_save(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Rows left blank are dropped; readings are separated by commas or spaces."""
    return [
        {"kanji": row["kanji"], "romaji": row["romaji"].replace(",", " ").split()}
        for row in rows
        if row["kanji"].strip() or row["romaji"].strip()
    ]


def values_from_word(word: dict[str, Any]) -> dict[str, Any]:
    parts = [
        {"kanji": p.get("kanji", ""), "romaji": ", ".join(p.get("romaji") or [])}
        for p in word["parts"]
    ]
    return {**{k: word[k] for k in ("japanese", "kana", "romaji", "english")}, "parts": parts}


def _errors_by_field(error: InvalidInput) -> dict[str, str]:
    listed: list[dict[str, Any]] = error.detail.get("errors") or [  # type: ignore[assignment]
        {"field": error.detail.get("field", "japanese"), "error": error.message}
    ]
    found: dict[str, str] = {}
    for item in listed:
        found.setdefault(str(item["field"]), str(item["error"]))
    return found


async def _form_page(
    *,
    word_id: int | None,
    values: dict[str, Any],
    group_ids: list[int],
    status: int = 200,
    errors: dict[str, str] | None = None,
    duplicate: dict[str, Any] | None = None,
) -> Response:
    db = await conn()
    title = "New word" if word_id is None else f"Edit {values.get('japanese') or 'word'}"
    return await render_page(
        "word_form.html",
        status=status,
        nav="words",
        breadcrumbs=[("Words", "/words"), (title, None)],
        title=title,
        action="/words/new" if word_id is None else f"/words/{word_id}/edit",
        word_id=word_id,
        values=values,
        group_ids=set(group_ids),
        all_groups=await groups.list_group_choices(db),
        errors=errors or {},
        duplicate=duplicate,
        romaji_hint=romaji_for(values.get("kana") or suggest_kana(values.get("japanese") or ""))
        or "",
    )


async def _describe_duplicate(word_id: int) -> dict[str, Any]:
    db = await conn()
    word = await words.get_word(db, word_id, learner_id=viewer_learner_id())
    assert word is not None
    return {**word, "groups": await words.list_word_groups(db, word_id)}


async def _save(word_id: int | None) -> ResponseTypes:
    require_admin()
    form = await request.form
    values = {k: form.get(k, "") for k in ("japanese", "kana", "romaji", "english")}
    rows = parts_from_form(form)
    group_ids = sorted({gid for gid in (parse_id(v) for v in form.getlist("group_ids")) if gid})
    action = form.get("action", "save")
    if action == "add_part":
        rows.append({"kanji": "", "romaji": ""})
        return await _form_page(
            word_id=word_id, values={**values, "parts": rows}, group_ids=group_ids
        )
    if action.startswith("remove_part_"):
        suffix = action.removeprefix("remove_part_")
        position = int(suffix) if suffix.isascii() and suffix.isdigit() else -1
        rows = [row for i, row in enumerate(rows) if i != position]
        return await _form_page(
            word_id=word_id, values={**values, "parts": rows}, group_ids=group_ids
        )
    db = await conn()
    if action.startswith("use_existing_") and word_id is None:
        existing_id = parse_id(action.removeprefix("use_existing_"))
        if existing_id is None:
            raise NotFound("That word is not in the portal")
        for group_id in group_ids:
            await authoring.add_word_to_group(db, group_id, existing_id)
        await flash("The existing word was added to the groups you ticked.", "success")
        return redirect(f"/words/{existing_id}", 303)
    raw = {**values, "parts": parts_for_save(rows)}
    allow_duplicate = action == "create_copy"
    try:
        if word_id is None:
            saved = await authoring.create_word(
                db,
                raw,
                group_ids=group_ids,
                allow_duplicate=allow_duplicate,
                learner_id=viewer_learner_id(),
            )
        else:
            saved = await authoring.update_word(
                db,
                word_id,
                raw,
                group_ids=group_ids,
                allow_duplicate=allow_duplicate,
                learner_id=viewer_learner_id(),
            )
    except InvalidInput as error:
        return await _form_page(
            word_id=word_id,
            values={**values, "parts": rows},
            group_ids=group_ids,
            status=422,
            errors=_errors_by_field(error),
        )
    except NotFound as error:
        if error.detail.get("field") != "group_ids":
            raise
        return await _form_page(
            word_id=word_id,
            values={**values, "parts": rows},
            group_ids=[],
            status=422,
            errors={"group_ids": error.message},
        )
    except Conflict as error:
        duplicate = await _describe_duplicate(int(error.detail["existing_id"]))  # type: ignore[call-overload]
        return await _form_page(
            word_id=word_id,
            values={**values, "parts": rows},
            group_ids=group_ids,
            status=409,
            duplicate=duplicate,
        )
    await flash(f"Saved {saved['japanese']}.", "success")
    return redirect(f"/words/{saved['id']}", 303)


@pages.get("/words/new")
async def new_word() -> Response:
    require_admin()
    group_id = parse_id(request.args.get("group_id", ""))
    return await _form_page(
        word_id=None,
        values={"japanese": "", "kana": "", "romaji": "", "english": "", "parts": []},
        group_ids=[group_id] if group_id else [],
    )


@pages.post("/words/new")
async def create_word() -> ResponseTypes:
    return await _save(None)


# GET and POST share one rule: two rules on a path turn an out-of-range id into 405
@pages.route(f"/words/<{ID}:word_id>/edit", methods=["GET", "POST"])
async def edit_word(word_id: int) -> ResponseTypes:
    if request.method == "POST":
        return await save_word(word_id)
    require_admin()
    word = await authoring.word_show(await conn(), word_id, learner_id=viewer_learner_id())
    return await _form_page(
        word_id=word_id, values=values_from_word(word), group_ids=[g["id"] for g in word["groups"]]
    )


async def save_word(word_id: int) -> ResponseTypes:
    return await _save(word_id)


@pages.get("/words/romaji")
async def romaji_suggestion() -> Response:
    """The romaji field with the reading's romaji as its suggestion (htmx, as the kana is typed)."""
    try:
        kana = clean_text(request.args.get("kana", "")[:100])
        japanese = clean_text(request.args.get("japanese", "")[:100])
    except ValueError:
        kana = japanese = ""
    return await render_page(
        "_romaji_field.html",
        values={"romaji": request.args.get("romaji", "")[:200]},
        romaji_hint=romaji_for(kana or suggest_kana(japanese)) or "",
        errors={},
    )


async def _row(
    word_id: int,
    *,
    editing: bool,
    status: int = 200,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    word = await words.get_word(await conn(), word_id, learner_id=viewer_learner_id())
    if word is None:
        raise NotFound(f"There is no word with id {word_id}.")
    group_id = parse_id(
        request.args.get("group_id", "") or (await request.form).get("group_id", "")
    )
    return await render_page(
        "_word_row_form.html" if editing else "_word_row.html",
        status=status,
        w=word,
        values=values or word,
        errors=errors or {},
        row_actions="group" if group_id else "words",
        row_group_id=group_id,
    )


# GET and POST share one rule: two rules on a path turn an out-of-range id into 405
@pages.route(f"/words/<{ID}:word_id>/row", methods=["GET", "POST"])
async def word_row(word_id: int) -> Response:
    if request.method == "POST":
        return await save_word_row(word_id)
    editing = request.args.get("edit") == "1"
    if editing:
        require_admin()
    return await _row(word_id, editing=editing)


async def save_word_row(word_id: int) -> Response:
    """Inline Save: the row again, or the row's form with messages (422/409)."""
    require_admin()
    form = await request.form
    changes = {k: form.get(k, "") for k in ("japanese", "kana", "romaji", "english")}
    try:
        await authoring.update_word(
            await conn(),
            word_id,
            changes,
            group_ids=None,
            allow_duplicate=False,
            learner_id=viewer_learner_id(),
        )
    except InvalidInput as error:
        return await _row(
            word_id, editing=True, status=422, values=changes, errors=_errors_by_field(error)
        )
    except Conflict as error:
        return await _row(
            word_id,
            editing=True,
            status=409,
            values=changes,
            errors={"japanese": error.message + " (edit it on its own page to keep both)"},
        )
    return await _row(word_id, editing=False)


# GET and POST share one rule: two rules on a path turn an out-of-range id into 405
@pages.route(f"/words/<{ID}:word_id>/delete", methods=["GET", "POST"])
async def confirm_delete_word(word_id: int) -> ResponseTypes:
    if request.method == "POST":
        return await delete_word(word_id)
    require_admin()
    facts = await authoring.word_deletion_facts(await conn(), word_id)
    return await render_page(
        "word_delete.html",
        nav="words",
        breadcrumbs=[
            ("Words", "/words"),
            (facts["word"]["japanese"], f"/words/{word_id}"),
            ("Delete", None),
        ],
        word=facts["word"],
        facts=facts,
    )


async def delete_word(word_id: int) -> ResponseTypes:
    require_admin()
    result = await authoring.delete_word(await conn(), word_id)
    await flash(
        f"Deleted {result['japanese']} and its {result['reviews_deleted']} answer(s).", "success"
    )
    return redirect("/words", 303)
