"""Study sessions: list, show, the words reviewed, and posting a review."""

from __future__ import annotations

from typing import Any

from quart import request

from ..errors import NotFound
from ..pagination import parse_page_request
from ..queries import sessions, words
from ..services import study
from ..web import ID, conn, json_body, require_bool
from . import api


async def _existing_session(session_id: int) -> dict[str, Any]:
    session = await sessions.get_session(await conn(), session_id)
    if session is None:
        raise NotFound(f"Study session {session_id} not found")
    return session


@api.get("/study_sessions")
async def list_sessions() -> dict[str, Any]:
    page = parse_page_request(request.args)
    db = await conn()
    items = await sessions.list_sessions_page(db, limit=page.limit, offset=page.offset)
    return {"items": items, "pagination": page.describe(await sessions.count_sessions(db))}


@api.get(f"/study_sessions/<{ID}:session_id>")
async def show_session(session_id: int) -> dict[str, Any]:
    return await _existing_session(session_id)


@api.get(f"/study_sessions/<{ID}:session_id>/words")
async def list_session_words(session_id: int) -> dict[str, Any]:
    page = parse_page_request(request.args, sorts=words.SESSION_WORD_SORTS, default_sort="id")
    await _existing_session(session_id)
    db = await conn()
    items = await words.list_session_words_page(
        db, session_id, limit=page.limit, offset=page.offset, sort=page.sort, order=page.order
    )
    total = await words.count_session_words(db, session_id)
    return {"items": items, "pagination": page.describe(total)}


@api.post(f"/study_sessions/<{ID}:session_id>/words/<{ID}:word_id>/review")
async def review_word(session_id: int, word_id: int) -> tuple[dict[str, Any], int]:
    body = await json_body()
    correct = require_bool(body, "correct")
    result = await study.record_review(
        await conn(), session_id=session_id, word_id=word_id, correct=correct
    )
    return result, 201
