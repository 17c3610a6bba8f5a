"""The portal's paginated lists, shared by the API and the pages (see pagination.ListKind).

Learner ids go to `fetch` as keywords: `learner_id=` (whose sessions, whose counters)
and, for the roster, `default_id=` (which learner is the default one).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..db import Conn
from ..japanese import clean_query, search_patterns
from ..pagination import API_PAGE_SIZE, Listing, ListKind, PageRequest, parse_page_request
from ..queries import activities, groups, learners, sessions, words
from ..queries.classes import CLASS_SORTS
from ..queries.word_search import RELEVANCE

# learner_id picks whose counters the rows show; the count is the same for everyone
WORDS = ListKind(
    words.list_words_page,
    words.count_words,
    words.WORD_SORTS,
    "id",
    rows_only=frozenset({"learner_id"}),
)
GROUPS = ListKind(groups.list_groups_page, groups.count_groups, groups.GROUP_SORTS, "name")
# learner_id=, and filters={"group_id": …} or {"study_activity_id": …}
SESSIONS = ListKind(sessions.list_sessions_page, sessions.count_sessions)
SESSION_WORDS = ListKind(
    words.list_session_words_page, words.count_session_words, words.SESSION_WORD_SORTS, "id"
)
ACTIVITIES = ListKind(activities.list_activities_page, activities.count_activities)
LEARNERS = ListKind(
    learners.list_learners_page,
    learners.count_learners,
    learners.LEARNER_SORTS,
    "name",
    rows_only=frozenset({"default_id"}),
)


async def fetch_words(
    conn: Conn, page: PageRequest, args: Mapping[str, str], *, learner_id: int
) -> Listing:
    """A page of the words matching `args["q"]` (every word without one), with the
    learner's counters. A search the reader has not sorted lists the best matches first."""
    search = search_patterns(clean_query(args.get("q", "")))
    sort = page.sort if args.get("sort") or not search else RELEVANCE
    return await WORDS.fetch(conn, page, sort=sort, learner_id=learner_id, search=search)


def parse_class_page(args: Mapping[str, str], *, per_page: int = API_PAGE_SIZE) -> PageRequest:
    """The class view's page; its rows and count come with the class totals
    (services.classes.class_view), so it has no ListKind."""
    return parse_page_request(args, per_page=per_page, sorts=CLASS_SORTS, default_sort="name")
