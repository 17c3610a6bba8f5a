"""/groups and /groups/:id (the page a teacher shares with a class)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from quart import Response, request

from ..errors import NotFound
from ..learner import viewer_learner_id
from ..pagination import parse_page_request
from ..queries import activities, groups, sessions, words
from ..web import ID, conn, settings
from . import pages
from .rendering import PAGE_SIZE, render_page


@pages.get("/groups")
async def list_groups() -> Response:
    page = parse_page_request(
        request.args, per_page=PAGE_SIZE, sorts=groups.GROUP_SORTS, default_sort="name"
    )
    db = await conn()
    items = await groups.list_groups_page(
        db, limit=page.limit, offset=page.offset, sort=page.sort, order=page.order
    )
    return await render_page(
        "groups.html",
        {"groups-table": "_groups_table.html"},
        nav="groups",
        breadcrumbs=[("Word Groups", None)],
        groups=items,
        page=page.describe(await groups.count_groups(db)),
        sort=request.args.get("sort") and page.sort,
        order=request.args.get("order") and page.order,
        base_url="/groups",
    )


def share_url(group_id: int) -> str:
    """The link a teacher sends: from PUBLIC_URL, never from a Host a client chose.

    In local mode the Host is one of this machine's loopback names (check_host
    refuses any other), so it is used; a hosted portal without PUBLIC_URL can only
    give the path.
    """
    path = f"/groups/{group_id}"
    if settings().public_url:
        return f"{settings().public_url}{path}"
    if settings().local_mode:
        return f"{request.host_url.rstrip('/')}{path}"
    return path


def is_loopback_url(url: str) -> bool:
    """True for a link only this computer can open (localhost, 127.x.x.x, ::1)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pages.get(f"/groups/<{ID}:group_id>")
async def show_group(group_id: int) -> Response:
    db = await conn()
    group = await groups.get_group(db, group_id)
    if group is None:
        raise NotFound(f"There is no word group with id {group_id}.")
    words_page = parse_page_request(
        request.args, per_page=PAGE_SIZE, sorts=words.WORD_SORTS, default_sort="id"
    )
    sessions_page = parse_page_request(request.args, per_page=PAGE_SIZE, prefix="sessions_")
    group_words = await words.list_words_page(
        db,
        learner_id=viewer_learner_id(),
        limit=words_page.limit,
        offset=words_page.offset,
        sort=words_page.sort,
        order=words_page.order,
        group_id=group_id,
    )
    filters = {"group_id": group_id}
    group_sessions = await sessions.list_sessions_page(
        db,
        learner_id=viewer_learner_id(),
        limit=sessions_page.limit,
        offset=sessions_page.offset,
        filters=filters,
    )
    flashcards = await activities.get_first_activity_of_type(db, "flashcards")
    link = share_url(group_id)
    return await render_page(
        "group.html",
        {"group-words": "_group_words.html", "group-sessions": "_group_sessions.html"},
        nav="groups",
        breadcrumbs=[("Word Groups", "/groups"), (group["name"], None)],
        group={**group, "total_word_count": group["word_count"]},
        words=group_words,
        page=words_page.describe(group["word_count"]),
        sort=request.args.get("sort") and words_page.sort,
        order=request.args.get("order") and words_page.order,
        q="",
        group_sessions=group_sessions,
        sessions_pagination=sessions_page.describe(
            await sessions.count_sessions(db, learner_id=viewer_learner_id(), filters=filters)
        ),
        share_url=link,
        # a laptop's link: say it opens only here, and how hosting fixes that
        share_local_only=settings().public_url is None and is_loopback_url(link),
        flashcards_activity_id=flashcards["id"] if flashcards else None,
    )
