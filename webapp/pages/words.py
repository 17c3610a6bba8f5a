"""/words (search, sort, page) and /words/:id."""

from __future__ import annotations

from quart import Response, request

from ..errors import NotFound
from ..japanese import clean_query
from ..learner import viewer_learner_id
from ..queries import words
from ..response_cache import cached
from ..services import listings, progress
from ..web import ID, conn
from . import pages
from .progress_views import learner_zone
from .rendering import PAGE_SIZE, chosen_sort, render_page


@pages.get("/words")
@cached()
async def list_words() -> Response:
    page = listings.WORDS.parse(request.args, per_page=PAGE_SIZE)
    listing = await listings.fetch_words(
        await conn(), page, request.args, learner_id=viewer_learner_id()
    )
    return await render_page(
        "words.html",
        {"words-table": "_words_table.html"},
        nav="words",
        breadcrumbs=[("Words", None)],
        words=listing.items,
        page=listing.pagination,
        **chosen_sort(page),
        q=clean_query(request.args.get("q", "")),
        base_url="/words",
        search_form="words-search",
    )


@pages.get(f"/words/<{ID}:word_id>")
@cached()
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
        zone=(await learner_zone(db))[0].key,
    )
