"""The built-in "Type the answer" activity: type the reading or the meaning.

One card at a time from the same queue as flashcards.  Checking an answer
either asks again (kanji typed for a reading, Japanese for a meaning: nothing
is recorded), records it (right → Good, wrong → Again), or, for a near miss,
shows the right answer and lets the learner choose between "count it as a
miss" and "I was right" before anything is recorded.
"""

from __future__ import annotations

import uuid
from typing import Any

from fsrs import Rating
from quart import Response, flash, redirect, request
from quart.typing import ResponseTypes

from ..answers import Asks, Check, Verdict, check_answer, expected_reading
from ..errors import Conflict, InvalidInput, NotFound
from ..learner import current_learner_id
from ..queries import words
from ..response_cache import cached
from ..services import dashboard, flashcards, reviews
from ..web import ID, conn, is_partial_request, parse_id, settings
from . import pages
from .rendering import render_page
from .sessions import _existing_session as existing_session

ASKS: tuple[Asks, ...] = ("reading", "meaning")
# What a learner may type: a long phrase at most (the body limit bounds the rest).
MAX_ANSWER_LENGTH = 200


def _asks_arg(raw: str | None) -> Asks:
    return "meaning" if raw == "meaning" else "reading"


def question_for(word: dict[str, Any], preferred: Asks) -> Asks:
    """The reading when asked for and the word has one, else the meaning."""
    if preferred == "reading" and expected_reading(word) is not None:
        return "reading"
    return "meaning"


async def _render(
    session: dict[str, Any],
    preferred: Asks,
    *,
    status: int = 200,
    checked: dict[str, Any] | None = None,
    typed: str = "",
    message: str = "",
) -> Response:
    """The card: a question, or (with `checked`) the verdict on the word just answered."""
    db = await conn()
    learner_id = current_learner_id()
    zone = await dashboard.resolve_timezone(
        db, None, settings().default_timezone, learner_id=learner_id
    )
    state = await flashcards.flashcard_state(
        db, learner_id=learner_id, session=session, default_timezone=settings().default_timezone
    )
    card = checked["word"] if checked else state["card"]
    return await render_page(
        "typed.html",
        {"typed-card": "_typed_card.html"},
        status=status,
        nav="activities",
        breadcrumbs=[
            ("Sessions", "/study_sessions"),
            (f"Session #{session['id']}", f"/study_sessions/{session['id']}"),
            ("Type the answer", None),
        ],
        session=session,
        preferred=preferred,
        asks=question_for(card, preferred) if card else preferred,
        client_id=str(uuid.uuid4()),
        typed=typed,
        message=message,
        checked=checked,
        zone=zone.key,
        **(state | {"card": card}),
    )


@pages.get(f"/study_sessions/<{ID}:session_id>/typed")
@cached()
async def typed_page(session_id: int) -> Response:
    session = await existing_session(session_id)
    return await _render(session, _asks_arg(request.args.get("asks")))


async def _answered_word(form: Any) -> dict[str, Any]:
    word_id = parse_id(form.get("word_id", ""))
    word = (
        await words.get_word(await conn(), word_id, learner_id=current_learner_id())
        if word_id
        else None
    )
    if word is None:
        raise NotFound("That card does not exist.")
    return word


def _client_id(form: Any) -> str | None:
    raw = form.get("client_id", "").strip()
    if len(raw) > 64:
        raise InvalidInput("client_id is longer than 64 characters.", field="client_id")
    return raw or None


async def _record(
    session_id: int, word: dict[str, Any], form: Any, *, correct: bool, answer: str
) -> None:
    """Record through the one recording service, as flashcards do: right → Good, else Again."""
    await reviews.record_review(
        await conn(),
        learner_id=current_learner_id(),
        session_id=session_id,
        word_id=word["id"],
        correct=correct,
        rating=int(Rating.Good if correct else Rating.Again),
        client_id=_client_id(form),
        answer=answer,
    )


@pages.post(f"/study_sessions/<{ID}:session_id>/typed/check")
async def check_typed(session_id: int) -> Response:
    """Check the typed answer; record it unless it is a near miss or must be asked again."""
    session = await existing_session(session_id)
    form = await request.form
    word = await _answered_word(form)
    preferred = _asks_arg(form.get("preferred"))
    asks = _asks_arg(form.get("asks"))
    typed = form.get("answer", "")[:MAX_ANSWER_LENGTH]
    result: Check = check_answer(asks, word, typed)
    if result.verdict is Verdict.INVALID:
        return await _render(session, preferred, status=422, typed=typed, message=result.message)
    checked = {"word": word, "asks": asks, "verdict": result.verdict.value, "typed": typed}
    if result.verdict is not Verdict.NEAR:
        correct = result.verdict is Verdict.CORRECT
        await _record(session_id, word, form, correct=correct, answer=typed)
        session = await existing_session(session_id)
    checked["client_id"] = _client_id(form)
    return await _render(session, preferred, checked=checked, typed=typed)


@pages.post(f"/study_sessions/<{ID}:session_id>/typed/answer")
async def settle_near_miss(session_id: int) -> Response:
    """The learner's call on a near miss: a miss (Again), or "I was right" (Good)."""
    await existing_session(session_id)
    form = await request.form
    word = await _answered_word(form)
    raw_correct = form.get("correct", "").strip().lower()
    if raw_correct not in ("true", "false"):
        raise InvalidInput("Choose “Count it as a miss” or “I was right”.", field="correct")
    typed = form.get("answer", "")[:MAX_ANSWER_LENGTH]
    await _record(session_id, word, form, correct=raw_correct == "true", answer=typed)
    return await _render(await existing_session(session_id), _asks_arg(form.get("preferred")))


@pages.post(f"/study_sessions/<{ID}:session_id>/typed/undo")
async def undo_typed(session_id: int) -> ResponseTypes:
    """Take back the session's last answer; its card is asked again."""
    await existing_session(session_id)
    preferred = _asks_arg((await request.form).get("preferred"))
    try:
        await reviews.undo_last_review(
            await conn(), learner_id=current_learner_id(), session_id=session_id
        )
    except Conflict:
        await flash("Nothing to undo: this session has no answers left.", "error")
    if is_partial_request():
        return await _render(await existing_session(session_id), preferred)
    return redirect(f"/study_sessions/{session_id}/typed?asks={preferred}", 303)
