"""GET /api/groups/:id/export: a group's words as CSV or seed JSON (public)."""

from __future__ import annotations

from quart import Response, request

from ..errors import BadRequest
from ..services.exports import EXPORT_FORMATS, attachment_header, export_group
from ..web import ID, conn
from . import api

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def export_format() -> str:
    fmt = request.args.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise BadRequest(f"'format' must be csv or json, got {fmt[:20]!r}", parameter="format")
    return fmt


async def export_response(group_id: int) -> Response:
    fmt = export_format()
    group, text = await export_group(await conn(), group_id, fmt)
    response = Response(text.encode("utf-8"), content_type=MEDIA_TYPES[fmt])
    response.headers["Content-Disposition"] = attachment_header(group["name"], fmt)
    return response


@api.get(f"/groups/<{ID}:group_id>/export")
async def export_group_words(group_id: int) -> Response:
    return await export_response(group_id)
