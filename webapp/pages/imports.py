"""/imports/new (upload or paste, target, duplicate rule) and /imports/:id (the stored
preview: summary, detected format, mapping, errors, rows; Import or Cancel)."""

from __future__ import annotations

import contextlib
from typing import Any

from quart import Response, flash, redirect, request
from quart.typing import ResponseTypes

from ..errors import Conflict, InvalidInput, NotFound
from ..imports import FORMATS, PORTAL_FIELDS
from ..imports.delimited import DELIMITERS, ENCODINGS
from ..pagination import parse_page_request
from ..queries import groups
from ..security import require_admin
from ..services import imports
from ..web import ID, conn
from . import pages
from .rendering import PAGE_SIZE, render_page

FORM_OPTIONS = ("format", "delimiter", "encoding", "notetype", "on_duplicate")


async def _new_page(
    status: int = 200, values: dict[str, Any] | None = None, error: dict[str, str] | None = None
) -> Response:
    return await render_page(
        "import_new.html",
        status=status,
        nav="groups",
        breadcrumbs=[("Word Groups", "/groups"), ("Import words", None)],
        all_groups=await groups.list_group_choices(await conn()),
        values=values or {},
        error=error or {},
        formats=FORMATS,
    )


@pages.get("/imports/new")
async def new_import() -> Response:
    require_admin()
    return await _new_page(
        values={
            "group_id": request.args.get("group_id", ""),
            "target": "existing" if request.args.get("group_id") else "new",
        }
    )


@pages.post("/imports")
async def upload() -> ResponseTypes:
    require_admin()
    form = await request.form
    files = await request.files
    upload_file = files.get("file")
    data = upload_file.read() if upload_file is not None and upload_file.filename else b""
    text = form.get("text", "")
    values = {
        k: form.get(k, "")
        for k in ("group_id", "group_name", "target", "on_duplicate", "format", "text")
    }
    fields: dict[str, Any] = {"on_duplicate": values["on_duplicate"], "format": values["format"]}
    if values["target"] == "existing":
        fields["group_id"] = values["group_id"]
    else:
        fields["group_name"] = values["group_name"]
    if bool(data) == bool(text.strip()):
        message = "Choose a file or paste text (one of them)."
        return await _new_page(422, values, {"field": "file", "error": message})
    source = data or text.encode("utf-8")
    filename = upload_file.filename if data and upload_file is not None else ""
    try:
        preview = await imports.create_preview(await conn(), source, filename or "", fields)
    except (InvalidInput, Conflict, NotFound) as error:
        field = str(error.detail.get("field", "file"))
        return await _new_page(
            422 if error.status != 413 else 413, values, {"field": field, "error": error.message}
        )
    return redirect(f"/imports/{preview['id']}", 303)


async def _preview_page(preview_id: int, status: int = 200, error: str = "") -> Response:
    page = parse_page_request(request.args, per_page=PAGE_SIZE)
    db = await conn()
    try:
        preview = await imports.get_preview(db, preview_id, page.page, per_page=PAGE_SIZE)
    except NotFound:
        return await render_page(
            "import_gone.html",
            status=404,
            nav="groups",
            breadcrumbs=[("Word Groups", "/groups"), ("Import", None)],
        )
    return await render_page(
        "import_preview.html",
        status=status,
        nav="groups",
        breadcrumbs=[("Word Groups", "/groups"), ("Import preview", None)],
        preview=preview,
        importable=sum(preview["summary"][k] for k in ("add", "link", "update")),
        fields=PORTAL_FIELDS,
        delimiters=DELIMITERS,
        encodings=ENCODINGS,
        formats=FORMATS,
        error=error,
        page=preview["pagination"],
        base_url=f"/imports/{preview_id}",
    )


# GET and POST share one rule: two rules on a path turn an out-of-range id into 405
@pages.route(f"/imports/<{ID}:preview_id>", methods=["GET", "POST"])
async def show_import(preview_id: int) -> ResponseTypes:
    if request.method == "POST":
        return await update_import(preview_id)
    require_admin()
    return await _preview_page(preview_id)


async def update_import(preview_id: int) -> ResponseTypes:
    """ "Update preview": the mapping, duplicate rule and detected options, no re-upload."""
    require_admin()
    form = await request.form
    changes: dict[str, Any] = {k: form.get(k) for k in FORM_OPTIONS if form.get(k) is not None}
    mapping = {
        name: (int(form[f"map_{name}"]) if form.get(f"map_{name}", "").isdigit() else None)
        for name in PORTAL_FIELDS
        if f"map_{name}" in form
    }
    if mapping:
        changes["mapping"] = mapping
    try:
        await imports.change_preview(await conn(), preview_id, changes)
    except (InvalidInput, Conflict) as error:
        return await _preview_page(
            preview_id, status=error.status if error.status != 409 else 409, error=error.message
        )
    await flash("Preview updated.", "success")
    return redirect(f"/imports/{preview_id}", 303)


@pages.post(f"/imports/<{ID}:preview_id>/commit")
async def commit_import(preview_id: int) -> ResponseTypes:
    require_admin()
    try:
        result = await imports.commit_preview(await conn(), preview_id)
    except Conflict as error:
        return await _preview_page(preview_id, status=409, error=error.message)
    summary, group = result["summary"], result["group"]
    await flash(
        f"Imported into “{group['name']}”: {summary['add']} added, "
        f"{summary['link']} already in the portal (reused), {summary['update']} updated, "
        f"{summary['skip']} skipped, "
        f"{summary['error']} rows with errors left out.",
        "success",
    )
    return redirect(f"/groups/{group['id']}", 303)


@pages.post(f"/imports/<{ID}:preview_id>/cancel")
async def cancel_import(preview_id: int) -> ResponseTypes:
    require_admin()
    with contextlib.suppress(NotFound):  # already gone: cancelling twice is fine
        await imports.discard_preview(await conn(), preview_id)
    await flash("Import cancelled; nothing was imported.", "info")
    return redirect("/groups", 303)
