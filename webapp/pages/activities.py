"""/study_activities, one activity, and the launch form."""

from __future__ import annotations

from typing import Any

from quart import Response, redirect, request
from quart.typing import ResponseTypes

from ..errors import NotFound
from ..learner import current_learner_id, viewer_learner_id
from ..queries import activities, groups
from ..queries.activities import BUILTIN_STUDY_PAGES
from ..response_cache import cached
from ..services import listings, study
from ..web import ID, conn, parse_id
from . import pages
from .rendering import PAGE_SIZE, render_page


async def _existing_activity(activity_id: int) -> dict[str, Any]:
    activity = await activities.get_activity(await conn(), activity_id)
    if activity is None:
        raise NotFound(f"There is no study activity with id {activity_id}.")
    return activity


@pages.get("/study_activities")
@cached()
async def list_activities() -> Response:
    db = await conn()
    items = await activities.list_activities_page(db, limit=1000, offset=0)
    return await render_page(
        "study_activities.html",
        nav="activities",
        breadcrumbs=[("Study Activities", None)],
        activities=items,
    )


@pages.get(f"/study_activities/<{ID}:activity_id>")
@cached()
async def show_activity(activity_id: int) -> Response:
    activity = await _existing_activity(activity_id)
    page = listings.SESSIONS.parse(request.args, per_page=PAGE_SIZE)
    listing = await listings.SESSIONS.fetch(
        await conn(),
        page,
        learner_id=viewer_learner_id(),
        filters={"study_activity_id": activity_id},
    )
    return await render_page(
        "study_activity.html",
        {"activity-sessions": "_sessions_table.html"},
        nav="activities",
        breadcrumbs=[("Study Activities", "/study_activities"), (activity["name"], None)],
        activity=activity,
        sessions=listing.items,
        page=listing.pagination,
        table_id="activity-sessions",
        base_url=f"/study_activities/{activity_id}",
        show_activity=False,
        empty_text="No sessions with this activity yet.",
    )


async def _launch_form(
    activity: dict[str, Any], selected: str | None, errors: dict[str, str], status: int = 200
) -> Response:
    return await render_page(
        "launch.html",
        status=status,
        nav="activities",
        breadcrumbs=[
            ("Study Activities", "/study_activities"),
            (activity["name"], f"/study_activities/{activity['id']}"),
            ("Launch", None),
        ],
        activity=activity,
        groups=await groups.list_group_choices(await conn()),
        selected_group_id=selected,
        errors=errors,
    )


@pages.get(f"/study_activities/<{ID}:activity_id>/launch")
async def launch_form(activity_id: int) -> Response:
    activity = await _existing_activity(activity_id)
    return await _launch_form(activity, request.args.get("group_id"), {})


@pages.post(f"/study_activities/<{ID}:activity_id>/launch")
async def launch(activity_id: int) -> ResponseTypes:
    """Create the session, then go to it: flashcards for a built-in activity,
    the session page (with its "Open ↗" link) for an external one."""
    activity = await _existing_activity(activity_id)
    form = await request.form
    raw = form.get("group_id", "").strip()
    db = await conn()
    group_id = parse_id(raw)
    group = await groups.get_group(db, group_id) if group_id else None
    if group is None:
        message = "Choose a word group to study." if not raw else "That word group does not exist."
        return await _launch_form(activity, raw or None, {"group_id": message}, status=422)
    mode = form.get("mode", "scheduled")
    if mode not in study.QUEUE_MODES:
        mode = "scheduled"
    created = await study.launch_session(
        db,
        learner_id=current_learner_id(),
        group_id=group["id"],
        activity_id=activity_id,
        mode=mode,
    )
    target = f"/study_sessions/{created['id']}"
    if activity["builtin"]:
        target += "/" + BUILTIN_STUDY_PAGES[activity["activity_type"]]
    return redirect(target, 303)
