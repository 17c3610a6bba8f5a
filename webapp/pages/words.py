"""/words (search, sort, page) and /words/:id."""

from __future__ import annotations

from quart import Response, request

from ..errors import NotFound
from ..japanese import clean_query, search_patterns
from ..learner import viewer_learner_id
from ..pagination import parse_page_request
from ..queries import words
from ..queries.word_search import RELEVANCE
from ..services import progress
from ..web import ID, conn
from . import pages
from .rendering import PAGE_SIZE, render_page


@pages.get("/words")
async def list_words() -> Response:
    page = parse_page_request(
        request.args, per_page=PAGE_SIZE, sorts=words.WORD_SORTS, default_sort="id"
    )
    q = clean_query(request.args.get("q", ""))
    search = search_patterns(q)
    # A search the reader has not sorted lists the best matches first.
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
    return await render_page(
        "words.html",
        {"words-table": "_words_table.html"},
        nav="words",
        breadcrumbs=[("Words", None)],
        words=items,
        page=page.describe(total),
        sort=request.args.get("sort") and page.sort,
        order=request.args.get("order") and page.order,
        q=q,
        base_url="/words",
        search_form="words-search",
    )


@pages.get(f"/words/<{ID}:word_id>")
async def show_word(word_id: int) -> Response:
    db = await conn()
    word = await words.get_word(db, word_id, learner_id=viewer_learner_id())
    if word is None:
        raise NotFound(f"There is no word with id {word_id}.")
    word["stats"] = {"correct_count": word["correct_count"], "wrong_count": word["wrong_count"]}
    word["groups"] = await words.list_word_groups(db, word_id)
    word["schedule"] = await progress.word_schedule(
        db, learner_id=viewer_learner_id(), word_id=word_id
    )
    return await render_page(
        "word.html",
        nav="words",
        breadcrumbs=[("Words", "/words"), (word["japanese"], None)],
        word=word,
    )
