"""/groups and /groups/:id (the page a teacher shares with a class)."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from quart import Response, request

from ..db import Conn
from ..errors import NotFound
from ..learner import viewer_learner_id
from ..queries import activities, groups
from ..response_cache import cached
from ..services import listings
from ..web import ID, conn, settings
from . import pages
from .rendering import PAGE_SIZE, chosen_sort, render_page


@pages.get("/groups")
@cached()
async def list_groups() -> Response:
    return await render_group_list()


async def render_group_list(status: int = 200, new_group: dict[str, str] | None = None) -> Response:
    """The groups page; `new_group` re-renders the New group form with its input."""
    page = listings.GROUPS.parse(request.args, per_page=PAGE_SIZE)
    listing = await listings.GROUPS.fetch(await conn(), page)
    return await render_page(
        "groups.html",
        {"groups-table": "_groups_table.html"},
        status=status,
        new_group=new_group or {},
        nav="groups",
        breadcrumbs=[("Word Groups", None)],
        groups=listing.items,
        page=listing.pagination,
        **chosen_sort(page),
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


async def shown_group(db: Conn, group_id: int) -> dict[str, Any]:
    """The group a page shows (a deleted or unknown one is the pages' 404)."""
    group = await groups.get_group(db, group_id)
    if group is None:
        raise NotFound(f"There is no word group with id {group_id}.")
    return group


@pages.get(f"/groups/<{ID}:group_id>")
@cached()
async def show_group(group_id: int) -> Response:
    db = await conn()
    group = await shown_group(db, group_id)
    words_page = listings.WORDS.parse(request.args, per_page=PAGE_SIZE)
    sessions_page = listings.SESSIONS.parse(request.args, per_page=PAGE_SIZE, prefix="sessions_")
    # the words' count is the group's maintained word_count (see queries.words.count_words)
    group_words = await listings.WORDS.fetch(
        db, words_page, learner_id=viewer_learner_id(), group_id=group_id
    )
    group_sessions = await listings.SESSIONS.fetch(
        db, sessions_page, learner_id=viewer_learner_id(), filters={"group_id": group_id}
    )
    flashcards = await activities.get_first_activity_of_type(db, "flashcards")
    link = share_url(group_id)
    return await render_page(
        "group.html",
        {"group-words": "_group_words.html", "group-sessions": "_group_sessions.html"},
        nav="groups",
        breadcrumbs=[("Word Groups", "/groups"), (group["name"], None)],
        group={**group, "total_word_count": group["word_count"]},
        words=group_words.items,
        page=group_words.pagination,
        **chosen_sort(words_page),
        q="",
        group_sessions=group_sessions.items,
        sessions_pagination=group_sessions.pagination,
        share_url=link,
        # a laptop's link: say it opens only here, and how hosting fixes that
        share_local_only=settings().public_url is None and is_loopback_url(link),
        flashcards_activity_id=flashcards["id"] if flashcards else None,
    )
