"""/learners: the admin's roster (rename, delete, issue a recovery move code)."""

from __future__ import annotations

from typing import Any

from quart import Response, flash, redirect, request
from quart.typing import ResponseTypes

from ..errors import PortalError
from ..learner import move_url
from ..queries import learners as learner_queries
from ..security import require_admin
from ..services import DEFAULT_LEARNER_ID, listings
from ..services import learners as profiles
from ..web import ID, conn
from . import pages
from .rendering import PAGE_SIZE, chosen_sort, render_page


async def _roster(status: int = 200, **extra: Any) -> Response:
    page = listings.LEARNERS.parse(request.args, per_page=PAGE_SIZE)
    listing = await listings.LEARNERS.fetch(await conn(), page, default_id=DEFAULT_LEARNER_ID)
    return await render_page(
        "learners.html",
        {"learners-table": "_learners_table.html"},
        status=status,
        nav="learners",
        breadcrumbs=[("Learners", None)],
        learners=listing.items,
        page=listing.pagination,
        **chosen_sort(page),
        base_url="/learners",
        errors=extra.pop("errors", {}),
        **extra,
    )


@pages.get("/learners")
async def roster() -> Response:
    require_admin()
    return await _roster()


@pages.post(f"/learners/<{ID}:learner_id>/rename")
async def rename(learner_id: int) -> ResponseTypes:
    require_admin()
    form = await request.form
    try:
        await profiles.update_learner(await conn(), learner_id, {"name": form.get("name", "")})
    except PortalError as refusal:
        if refusal.status == 404:
            raise
        return await _roster(status=refusal.status, errors={learner_id: refusal.message})
    await flash("Renamed.", "success")
    return redirect("/learners", 303)


@pages.get(f"/learners/<{ID}:learner_id>/delete")
async def confirm_delete(learner_id: int) -> Response:
    require_admin()
    db = await conn()
    learner = await profiles.get_learner(db, learner_id)
    counts = await learner_queries.count_learner_history(db, learner_id)
    return await render_page(
        "learner_delete.html",
        nav="learners",
        breadcrumbs=[("Learners", "/learners"), (f"Delete {learner['name']}", None)],
        learner=learner,
        counts=counts,
    )


@pages.post(f"/learners/<{ID}:learner_id>/delete")
async def delete(learner_id: int) -> ResponseTypes:
    require_admin()
    try:
        deleted = await profiles.delete_learner(await conn(), learner_id)
    except PortalError as refusal:
        if refusal.status == 404:
            raise
        return await _roster(status=refusal.status, errors={learner_id: refusal.message})
    await flash(
        f"Deleted, with {deleted['study_sessions']} sessions and {deleted['reviews']} answers.",
        "success",
    )
    return redirect("/learners", 303)


@pages.post(f"/learners/<{ID}:learner_id>/move_code")
async def issue_code(learner_id: int) -> Response:
    require_admin()
    issued = await profiles.issue_move_code(await conn(), learner_id)
    return await _roster(move_code={**issued, "url": move_url(issued["plain_code"])})
