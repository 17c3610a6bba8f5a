"""GET /api/words and /api/words/:id."""

from __future__ import annotations

from quart import request

from ..errors import NotFound
from ..japanese import search_patterns
from ..pagination import parse_page_request
from ..queries import words
from ..web import ID, conn
from . import api
from .authoring import WORD_WRITES

MAX_QUERY_LENGTH = 100


@api.get("/words")
async def list_words() -> dict:
    page = parse_page_request(request.args, sorts=words.WORD_SORTS, default_sort="id")
    # q: the words page's any-script search (taberu, たべる, タベル), for pickers too
    search = search_patterns(request.args.get("q", "")[:MAX_QUERY_LENGTH])
    db = await conn()
    items = await words.list_words_page(
        db, limit=page.limit, offset=page.offset, sort=page.sort, order=page.order, search=search
    )
    total = await words.count_words(db, search=search)
    return {"items": items, "pagination": page.describe(total)}


@api.route(f"/words/<{ID}:word_id>", methods=["GET", "PATCH", "DELETE"])
async def show_word(word_id: int) -> dict:
    if request.method != "GET":  # one rule per path: see api/authoring.py
        return await WORD_WRITES[request.method](word_id)
    db = await conn()
    word = await words.get_word(db, word_id)
    if word is None:
        raise NotFound(f"Word {word_id} not found")
    return {
        **word,
        "stats": {"correct_count": word["correct_count"], "wrong_count": word["wrong_count"]},
        "groups": await words.list_word_groups(db, word_id),
    }
