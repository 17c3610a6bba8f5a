"""Imports under /api (admin only): upload → stored preview → commit.

POST takes multipart/form-data (`file` or `text`, the target and the options);
everything else is JSON.
"""

from __future__ import annotations

from typing import Any

from quart import Response, jsonify, request

from ..errors import InvalidInput, UnsupportedMediaType
from ..pagination import parse_page_request
from ..security import require_admin
from ..services import imports
from ..web import ID, conn, json_body
from . import api


async def read_upload() -> tuple[bytes, str, dict[str, Any]]:
    """(the file's bytes or the pasted text, the file name, the other form fields)."""
    if request.mimetype not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise UnsupportedMediaType("Send the import as multipart/form-data (a file or text)")
    form = await request.form
    files = await request.files
    upload = files.get("file")
    text = form.get("text", "")
    data = upload.read() if upload is not None and upload.filename else b""
    if data and text.strip():
        raise InvalidInput("Send either a file or pasted text, not both", field="file")
    if not data and not text.strip():
        raise InvalidInput("Choose a file or paste some text to import", field="file")
    filename = upload.filename if data and upload is not None else ""
    return data or text.encode("utf-8"), filename or "", dict(form.items())


@api.post("/imports")
async def create_import() -> Response:
    require_admin()
    data, filename, fields = await read_upload()
    preview = await imports.create_preview(await conn(), data, filename, fields)
    response = jsonify(preview)
    response.status_code = 201
    return response


@api.route(f"/imports/<{ID}:preview_id>", methods=["GET", "PATCH", "DELETE"])
async def show_import(preview_id: int) -> dict[str, Any]:
    """One rule for the path (see api/authoring.py), dispatched by method."""
    if request.method == "PATCH":
        return await change_import(preview_id)
    if request.method == "DELETE":
        return await discard_import(preview_id)
    require_admin()
    page = parse_page_request(request.args)
    return await imports.get_preview(await conn(), preview_id, page.page)


async def change_import(preview_id: int) -> dict[str, Any]:
    require_admin()
    return await imports.change_preview(await conn(), preview_id, await json_body())


@api.post(f"/imports/<{ID}:preview_id>/commit")
async def commit_import(preview_id: int) -> dict[str, Any]:
    require_admin()
    return await imports.commit_preview(await conn(), preview_id)


async def discard_import(preview_id: int) -> dict[str, Any]:
    require_admin()
    await imports.discard_preview(await conn(), preview_id)
    return {"success": True}
