"""GET /api/words and /api/words/:id."""

from __future__ import annotations

from typing import Any

from quart import request

from ..learner import viewer_learner_id
from ..response_cache import cached
from ..services import authoring, listings
from ..web import ID, conn
from . import api
from .authoring import WORD_WRITES


@api.get("/words")
@cached()
async def list_words() -> dict[str, Any]:
    page = listings.WORDS.parse(request.args)
    listing = await listings.fetch_words(
        await conn(), page, request.args, learner_id=viewer_learner_id()
    )
    return listing.as_json()


@api.route(f"/words/<{ID}:word_id>", methods=["GET", "PATCH", "DELETE"])
@cached()
async def show_word(word_id: int) -> dict[str, Any]:
    if request.method != "GET":  # one rule per path: see api/authoring.py
        return await WORD_WRITES[request.method](word_id)
    return await authoring.word_show(await conn(), word_id, learner_id=viewer_learner_id())
