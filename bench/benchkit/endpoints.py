"""What the benchmark measures.

API endpoints of the prototype are measured on both servers (the prototype has
the same paths); the project's own API endpoints, pages and fragments on the
project only. A URL that does not answer 200 (yet) is reported as
"n/a (<status>)", so a page another branch is still building can be listed
here before it lands: adding a page is one line in PAGES (or API), with
`compared=False` for an API path the prototype lacks.
Placeholders ({mid}, {word}, …) are filled per dataset by `placeholder_ids`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .load import PARTIAL_HEADERS


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str
    path: str
    kind: str  # "api", "page" or "fragment"
    weight: str | None = None  # "heavy" / "light": the throughput target class (API only)
    headers: dict[str, str] = field(default_factory=dict)
    in_prototype: bool = True  # API only: the prototype serves the same path

    @property
    def compared(self) -> bool:
        return self.kind == "api" and self.in_prototype

    def resolve(self, ids: dict[str, int]) -> str:
        return self.path.format(**ids)


API = (
    Endpoint(
        "last_session",
        "dashboard: last session",
        "/api/dashboard/last_study_session",
        "api",
        "light",
    ),
    Endpoint(
        "study_progress",
        "dashboard: study progress",
        "/api/dashboard/study_progress",
        "api",
        "heavy",
    ),
    Endpoint("quick_stats", "dashboard: quick stats", "/api/dashboard/quick_stats", "api", "heavy"),
    Endpoint("words_p1", "words list, page 1", "/api/words?page=1", "api", "heavy"),
    Endpoint("words_mid", "words list, middle page", "/api/words?page={mid}", "api", "heavy"),
    Endpoint("words_last", "words list, last page", "/api/words?page={last}", "api", "heavy"),
    Endpoint("word_show", "word show", "/api/words/{word}", "api", "light"),
    Endpoint("groups_list", "groups list", "/api/groups?page=1", "api", "heavy"),
    Endpoint("group_show", "group show", "/api/groups/{group}", "api", "light"),
    Endpoint("group_words", "group words", "/api/groups/{group}/words?page=1", "api", "heavy"),
    Endpoint(
        "group_sessions",
        "group sessions",
        "/api/groups/{group}/study_sessions?page=1",
        "api",
        "light",
    ),
    # The study engine's paths (n/a until they land).
    Endpoint(
        "next_card",
        "study: next card",
        "/api/study_sessions/{fc_session}/next",
        "api",
        in_prototype=False,
    ),
    Endpoint("dashboard_due", "dashboard: due", "/api/dashboard/due", "api", in_prototype=False),
)

PAGES = (
    Endpoint("page_dashboard", "page: dashboard", "/dashboard", "page"),
    Endpoint(
        "card_last_session",
        "card: last session",
        "/dashboard/cards/last_session",
        "fragment",
        headers=PARTIAL_HEADERS,
    ),
    Endpoint(
        "card_progress",
        "card: study progress",
        "/dashboard/cards/progress",
        "fragment",
        headers=PARTIAL_HEADERS,
    ),
    Endpoint(
        "card_stats",
        "card: quick stats",
        "/dashboard/cards/stats",
        "fragment",
        headers=PARTIAL_HEADERS,
    ),
    Endpoint(
        "page_words_english",
        "page: words p3 by English",
        "/words?page=3&sort=english&order=asc",
        "page",
    ),
    Endpoint(
        "frag_words_english",
        "fragment: words p3 by English",
        "/words?page=3&sort=english&order=asc",
        "fragment",
        headers=PARTIAL_HEADERS,
    ),
    Endpoint(
        "page_words_deep",
        "page: words middle page by English",
        "/words?page={mid_html}&sort=english&order=asc",
        "page",
    ),
    Endpoint(
        "page_words_last",
        "page: words last page by English",
        "/words?page={last_html}&sort=english&order=asc",
        "page",
    ),
    Endpoint("page_words_search", "page: words search", "/words?q=taberu", "page"),
    Endpoint(
        "page_words_sort_wrong",
        "page: words by wrong, desc",
        "/words?page=2&sort=wrong_count&order=desc",
        "page",
    ),
    Endpoint("page_word", "page: word", "/words/{word}", "page"),
    Endpoint("page_groups", "page: groups", "/groups", "page"),
    Endpoint("page_group", "page: group", "/groups/{group}", "page"),
    Endpoint("page_class", "page: class view", "/groups/{group}/class", "page"),
    Endpoint("page_sessions", "page: sessions", "/study_sessions", "page"),
    Endpoint("page_session", "page: session", "/study_sessions/{session}", "page"),
    Endpoint("page_settings", "page: settings", "/settings", "page"),
    Endpoint(
        "card_due",
        "card: due",
        "/dashboard/cards/due",
        "fragment",
        headers=PARTIAL_HEADERS,
    ),
    Endpoint(
        "page_flashcards", "page: flashcards", "/study_sessions/{fc_session}/flashcards", "page"
    ),
    Endpoint(
        "frag_flashcard_next",
        "fragment: flashcard next card",
        "/study_sessions/{fc_session}/flashcards",
        "fragment",
        headers=PARTIAL_HEADERS,
    ),
)

# Paths that depend on a session launched by the harness come after the read-only ones
# (the next card: its queue is fixed at the first GET, later GETs read the same card).
NEEDS_LAUNCH = frozenset({"next_card", "page_flashcards", "frag_flashcard_next"})

# (deepest page, its first page): "the deepest words page <= 1.5x the first"
DEEP_PAIRS = (("words_last", "words_p1"), ("page_words_last", "page_words_english"))
# The single-row read every page and list is held against (throughput ratios).
REFERENCE_KEY = "group_show"
# JSON lists held to a ratio of the reference (the other API endpoints to the prototype).
JSON_LISTS = ("words_p1", "group_words")


def placeholder_ids(words: int, *, session: int = 1, fc_session: int = 0) -> dict[str, int]:
    """The ids the endpoint paths' placeholders stand for, for a dataset of `words` words."""
    return {
        "mid": math.ceil(math.ceil(words / 100) / 2),  # the middle page of /api/words
        "mid_html": math.ceil(math.ceil(words / 50) / 2),  # the middle page of /words
        "last": math.ceil(words / 100),
        "last_html": math.ceil(words / 50),
        "word": words // 2,
        "group": 1,
        "session": session,
        "fc_session": fc_session,
    }
