"""Study sessions: list, show, the words reviewed, the queue, answers and undo."""

from __future__ import annotations

from typing import Any

from quart import Response, request

from ..errors import InvalidInput, NotFound
from ..learner import current_learner_id
from ..queries import sessions
from ..response_cache import cached
from ..scheduling import RATINGS
from ..services import listings, queue, reviews
from ..web import ID, conn, json_body, require_bool, settings
from . import api

CLIENT_ID_MAX = 64
ANSWER_MAX = 500


async def _existing_session(session_id: int) -> dict[str, Any]:
    """The session, if it is the current learner's (anyone else's is a 404)."""
    session = await sessions.get_session(await conn(), session_id)
    if session is None or session["learner_id"] != current_learner_id():
        raise NotFound(f"Study session {session_id} not found")
    return session


@api.get("/study_sessions")
@cached()
async def list_sessions() -> dict[str, Any]:
    page = listings.SESSIONS.parse(request.args)
    listing = await listings.SESSIONS.fetch(await conn(), page, learner_id=current_learner_id())
    return listing.as_json()


@api.get(f"/study_sessions/<{ID}:session_id>")
@cached()
async def show_session(session_id: int) -> dict[str, Any]:
    return await _existing_session(session_id)


@api.get(f"/study_sessions/<{ID}:session_id>/words")
@cached()
async def list_session_words(session_id: int) -> dict[str, Any]:
    page = listings.SESSION_WORDS.parse(request.args)
    await _existing_session(session_id)
    return (await listings.SESSION_WORDS.fetch(await conn(), page, session_id)).as_json()


def _optional_text(body: dict[str, Any], name: str, limit: int) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"'{name}' must be a non-empty string", field=name)
    if len(value) > limit:
        raise InvalidInput(f"'{name}' must be at most {limit} characters", field=name)
    return value


def _optional_rating(body: dict[str, Any]) -> int | None:
    value = body.get("rating")
    if value is None:
        return None
    if not isinstance(value, str) or value.lower() not in RATINGS:
        raise InvalidInput("'rating' must be one of again, hard, good, easy", field="rating")
    return int(RATINGS[value.lower()])


@api.post(f"/study_sessions/<{ID}:session_id>/words/<{ID}:word_id>/review")
async def review_word(session_id: int, word_id: int) -> tuple[dict[str, Any], int]:
    body = await json_body()
    correct = require_bool(body, "correct")
    result, created = await reviews.record_review(
        await conn(),
        learner_id=current_learner_id(),
        session_id=session_id,
        word_id=word_id,
        correct=correct,
        rating=_optional_rating(body),
        client_id=_optional_text(body, "client_id", CLIENT_ID_MAX),
        answer=_optional_text(body, "answer", ANSWER_MAX),
    )
    return result, 201 if created else 200


@api.get(f"/study_sessions/<{ID}:session_id>/next")
@cached()
async def next_word(session_id: int) -> dict[str, Any] | Response:
    # next_card checks the owner in the statement that reads the card (404 otherwise)
    card = await queue.next_card(
        await conn(),
        learner_id=current_learner_id(),
        session_id=session_id,
        default_timezone=settings().default_timezone,
    )
    if card is None:
        return Response(status=204)
    return card


@api.post(f"/study_sessions/<{ID}:session_id>/undo")
async def undo(session_id: int) -> dict[str, Any]:
    await _existing_session(session_id)
    return await reviews.undo_last_review(
        await conn(), learner_id=current_learner_id(), session_id=session_id
    )
