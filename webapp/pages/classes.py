"""/groups/:id/class: the teacher's class progress on a group (admin)."""

from __future__ import annotations

from quart import Response, request

from ..security import require_admin
from ..services import classes, listings
from ..web import ID, conn
from . import pages
from .groups import share_url
from .rendering import PAGE_SIZE, chosen_sort, render_page


@pages.get(f"/groups/<{ID}:group_id>/class")
async def class_progress(group_id: int) -> Response:
    require_admin()
    page = listings.parse_class_page(request.args, per_page=PAGE_SIZE)
    view = await classes.class_view(await conn(), group_id, page)
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
        page=view["pagination"],
        **chosen_sort(page),
        base_url=f"/groups/{group_id}/class",
        share_url=share_url(group_id),
    )
