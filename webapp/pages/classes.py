"""/groups/:id/class: the teacher's class progress on a group (admin)."""

from __future__ import annotations

from quart import Response, request

from ..pagination import parse_page_request
from ..queries.classes import CLASS_SORTS
from ..security import require_admin
from ..services import classes
from ..web import ID, conn
from . import pages
from .groups import share_url
from .rendering import PAGE_SIZE, render_page


@pages.get(f"/groups/<{ID}:group_id>/class")
async def class_progress(group_id: int) -> Response:
    require_admin()
    page = parse_page_request(
        request.args, per_page=PAGE_SIZE, sorts=CLASS_SORTS, default_sort="name"
    )
    view = await classes.class_view(
        await conn(),
        group_id,
        sort=page.sort,
        order=page.order,
        limit=page.limit,
        offset=page.offset,
    )
    group = view["group"]
    return await render_page(
        "class.html",
        {"class-table": "_class_table.html"},
        nav="groups",
        breadcrumbs=[
            ("Word Groups", "/groups"),
            (group["name"], f"/groups/{group['id']}"),
            ("Class progress", None),
        ],
        view=view,
        group=group,
        rows=view["items"],
        page=page.describe(view["totals"]["learners"]),
        sort=request.args.get("sort") and page.sort,
        order=request.args.get("order") and page.order,
        base_url=f"/groups/{group_id}/class",
        share_url=share_url(group_id),
    )
