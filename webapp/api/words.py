"""GET /api/words and /api/words/:id."""

from __future__ import annotations

from typing import Any

from quart import request

from ..errors import NotFound
from ..japanese import clean_query, search_patterns
from ..learner import viewer_learner_id
from ..pagination import parse_page_request
from ..queries import words
from ..queries.word_search import RELEVANCE
from ..services import progress
from ..web import ID, conn
from . import api


@api.get("/words")
async def list_words() -> dict[str, Any]:
    page = parse_page_request(request.args, sorts=words.WORD_SORTS, default_sort="id")
    search = search_patterns(clean_query(request.args.get("q", "")))
    # `q` without `sort`: best matches first, as on the words page.
    sort = page.sort if request.args.get("sort") or not search else RELEVANCE
    db = await conn()
    items = await words.list_words_page(
        db,
        learner_id=viewer_learner_id(),
        limit=page.limit,
        offset=page.offset,
        sort=sort,
        order=page.order,
        search=search,
    )
    total = await words.count_words(db, search=search)
    return {"items": items, "pagination": page.describe(total)}


@api.get(f"/words/<{ID}:word_id>")
async def show_word(word_id: int) -> dict[str, Any]:
    db = await conn()
    learner_id = viewer_learner_id()
    word = await words.get_word(db, word_id, learner_id=learner_id)
    if word is None:
        raise NotFound(f"Word {word_id} not found")
    return {
        **word,
        "stats": {"correct_count": word["correct_count"], "wrong_count": word["wrong_count"]},
        "groups": await words.list_word_groups(db, word_id),
        "schedule": await progress.word_schedule(db, learner_id=learner_id, word_id=word_id),
    }
