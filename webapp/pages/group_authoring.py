"""The teacher's controls on /groups and /groups/:id: new group, rename in place,
add words with the picker, remove a word, delete the group (with confirmation).

Every form is a plain POST that redirects (303) with a message; htmx requests to
the rename form and the picker get their fragment instead.
"""

from __future__ import annotations

from quart import Response, flash, redirect, request
from quart.typing import ResponseTypes

from ..errors import Conflict, InvalidInput
from ..japanese import clean_query, search_patterns
from ..learner import viewer_learner_id
from ..queries import words
from ..queries.word_search import RELEVANCE
from ..response_cache import cached
from ..security import require_admin
from ..services import authoring
from ..web import ID, conn, is_partial_request, parse_id
from . import pages
from .groups import render_group_list
from .rendering import render_page

PICKER_SIZE = 10


@pages.post("/groups")
async def create_group() -> ResponseTypes:
    require_admin()
    form = await request.form
    name = form.get("name", "")
    try:
        group = await authoring.create_group(await conn(), name)
    except (InvalidInput, Conflict) as error:
        return await render_group_list(
            status=error.status, new_group={"name": name, "error": error.message}
        )
    await flash(f"Group “{group['name']}” created. Add words or import a list.", "success")
    return redirect(f"/groups/{group['id']}", 303)


async def _title(
    group_id: int, *, editing: bool, status: int = 200, name: str = "", error: str = ""
) -> Response:
    group = await authoring.live_group(await conn(), group_id)
    template = "_group_name_form.html" if editing else "_group_title.html"
    return await render_page(
        "group_rename.html",
        {"group-title": template},
        status=status,
        nav="groups",
        breadcrumbs=[
            ("Word Groups", "/groups"),
            (group["name"], f"/groups/{group_id}"),
            ("Rename", None),
        ],
        group=group,
        rename={"name": name or group["name"], "error": error},
    )


# GET and POST share one rule: two rules on a path turn an out-of-range id into 405
@pages.route(f"/groups/<{ID}:group_id>/rename", methods=["GET", "POST"])
async def rename_form(group_id: int) -> ResponseTypes:
    if request.method == "POST":
        return await rename_group(group_id)
    require_admin()
    return await _title(group_id, editing=True)


@pages.get(f"/groups/<{ID}:group_id>/title")
@cached()
async def group_title(group_id: int) -> Response:
    return await _title(group_id, editing=False)


async def rename_group(group_id: int) -> ResponseTypes:
    require_admin()
    form = await request.form
    name = form.get("name", "")
    try:
        group = await authoring.rename_group(await conn(), group_id, name)
    except (InvalidInput, Conflict) as error:
        return await _title(
            group_id, editing=True, status=error.status, name=name, error=error.message
        )
    if is_partial_request():
        return await _title(group_id, editing=False)
    await flash(f"Renamed to “{group['name']}”.", "success")
    return redirect(f"/groups/{group_id}", 303)


@pages.get(f"/groups/<{ID}:group_id>/picker")
@cached()
async def word_picker(group_id: int) -> Response:
    """Search-as-you-type results with an Add button per word (a real GET form)."""
    require_admin()
    db = await conn()
    group = await authoring.live_group(db, group_id)
    q = clean_query(request.args.get("q", ""))
    search = search_patterns(q)
    found = (
        await words.list_words_page(
            db,
            learner_id=viewer_learner_id(),
            limit=PICKER_SIZE,
            offset=0,
            sort=RELEVANCE,
            search=search,
        )
        if search
        else []
    )
    return await render_page(
        "group_picker.html",
        {"word-picker": "_word_picker.html"},
        nav="groups",
        breadcrumbs=[
            ("Word Groups", "/groups"),
            (group["name"], f"/groups/{group_id}"),
            ("Add words", None),
        ],
        group=group,
        q=q,
        found=found,
    )


@pages.post(f"/groups/<{ID}:group_id>/words")
async def add_word(group_id: int) -> ResponseTypes:
    require_admin()
    form = await request.form
    word_id = parse_id(form.get("word_id", ""))
    if word_id is None:
        raise InvalidInput("Choose a word to add", field="word_id")
    added, _ = await authoring.add_word_to_group(await conn(), group_id, word_id)
    await flash(
        "Word added to the group." if added else "That word is already in the group.", "success"
    )
    back = form.get("back", "")
    return redirect(back if back.startswith(f"/groups/{group_id}") else f"/groups/{group_id}", 303)


@pages.post(f"/groups/<{ID}:group_id>/words/<{ID}:word_id>/remove")
async def remove_word(group_id: int, word_id: int) -> ResponseTypes:
    require_admin()
    await authoring.remove_word_from_group(await conn(), group_id, word_id)
    await flash("Word removed from the group (it stays in the portal).", "success")
    return redirect(f"/groups/{group_id}", 303)


# GET and POST share one rule: two rules on a path turn an out-of-range id into 405
@pages.route(f"/groups/<{ID}:group_id>/delete", methods=["GET", "POST"])
async def confirm_delete_group(group_id: int) -> ResponseTypes:
    if request.method == "POST":
        return await delete_group(group_id)
    require_admin()
    facts = await authoring.group_deletion_facts(await conn(), group_id)
    group = facts["group"]
    return await render_page(
        "group_delete.html",
        nav="groups",
        breadcrumbs=[
            ("Word Groups", "/groups"),
            (group["name"], f"/groups/{group_id}"),
            ("Delete", None),
        ],
        group=group,
        facts=facts,
    )


async def delete_group(group_id: int) -> ResponseTypes:
    require_admin()
    result = await authoring.delete_group(await conn(), group_id)
    await flash(
        f"Deleted “{result['name']}”. Its words stay in the portal; "
        f"{result['study_sessions_kept']} study session(s) stay in learners' history.",
        "success",
    )
    return redirect("/groups", 303)
