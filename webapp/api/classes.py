"""GET /api/groups/:id/class: the teacher's view of a group (admin)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from quart import Response, request

from ..errors import BadRequest
from ..security import require_admin
from ..services import classes, listings
from ..web import ID, conn
from . import api


def attachment(filename: str) -> str:
    """Content-Disposition with an ASCII fallback and the real (any-script) name."""
    fallback = "".join(ch if ch.isascii() and ch not in '"\\' else "_" for ch in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


@api.get(f"/groups/<{ID}:group_id>/class")
async def class_progress(group_id: int) -> Response | dict[str, Any]:
    require_admin()
    page = listings.parse_class_page(request.args)
    output = request.args.get("format", "json")
    db = await conn()
    if output == "csv":
        filename, text = await classes.class_csv(db, group_id, sort=page.sort, order=page.order)
        response = Response(text, mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        response.headers["Content-Disposition"] = attachment(filename)
        return response
    if output != "json":
        raise BadRequest("'format' must be csv or json", parameter="format")
    return await classes.class_view(db, group_id, page)
