"""What the benchmark measures.

API endpoints are those of the prototype, measured on both servers (the
prototype has the same paths). Pages and fragments exist on the project only;
a URL that does not answer 200 yet is reported as "n/a (<status>)".
Placeholders ({mid}, {word}, …) are filled per dataset by `bench/run.py`.
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

    @property
    def compared(self) -> bool:
        return self.kind == "api"

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
    Endpoint("page_group", "page: group", "/groups/{group}", "page"),
    Endpoint("page_session", "page: session", "/study_sessions/{session}", "page"),
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

# Pages that depend on a session launched by the harness come after the read-only ones.
NEEDS_LAUNCH = frozenset({"page_flashcards", "frag_flashcard_next"})

# (deep page, its first page): "a deep page of a list <= 2x its first page"
DEEP_PAIRS = (("words_mid", "words_p1"), ("page_words_deep", "page_words_english"))


def placeholder_ids(words: int, *, session: int = 1, fc_session: int = 0) -> dict[str, int]:
    """The ids the endpoint paths' placeholders stand for, for a dataset of `words` words."""
    return {
        "mid": math.ceil(math.ceil(words / 100) / 2),  # the middle page of /api/words
        "mid_html": math.ceil(math.ceil(words / 50) / 2),  # the middle page of /words
        "word": words // 2,
        "group": 1,
        "session": session,
        "fc_session": fc_session,
    }
