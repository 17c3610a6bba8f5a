"""/study_sessions, one session, and the built-in flashcards session."""

from __future__ import annotations

from typing import Any

from quart import Response, flash, redirect, request
from quart.typing import ResponseTypes

from ..errors import Conflict, InvalidInput, NotFound
from ..learner import current_learner_id, external_launch_url
from ..queries import activities, sessions
from ..response_cache import cached
from ..services import flashcards, listings, reviews
from ..web import ID, conn, is_partial_request, parse_id, settings
from . import pages
from .rendering import PAGE_SIZE, render_page


async def _existing_session(session_id: int) -> dict[str, Any]:
    """The session, if it is the current learner's (anyone else's is a 404)."""
    session = await sessions.get_session(await conn(), session_id)
    if session is None or session["learner_id"] != current_learner_id():
        raise NotFound(f"There is no study session with id {session_id}.")
    return session


@pages.get("/study_sessions")
@cached()
async def list_sessions() -> Response:
    page = listings.SESSIONS.parse(request.args, per_page=PAGE_SIZE)
    listing = await listings.SESSIONS.fetch(await conn(), page, learner_id=current_learner_id())
    return await render_page(
        "study_sessions.html",
        {"sessions-table": "_sessions_table.html"},
        nav="sessions",
        breadcrumbs=[("Sessions", None)],
        sessions=listing.items,
        page=listing.pagination,
        base_url="/study_sessions",
    )


@pages.get(f"/study_sessions/<{ID}:session_id>")
@cached()
async def show_session(session_id: int) -> Response:
    session = await _existing_session(session_id)
    # the page shows a session's words in one order (the API can sort them)
    page = listings.SESSION_WORDS.parse(request.args, per_page=PAGE_SIZE, sortable=False)
    db = await conn()
    activity = await activities.get_activity(db, session["study_activity_id"])
    reviewed = await listings.SESSION_WORDS.fetch(db, page, session_id)
    external_url = external_launch_url(session, activity["launch_url"] if activity else None)
    # Finished when the flashcards would show their end summary: nothing to continue.
    finished = external_url is None and (await _flashcard_state(session))["summary"] is not None
    return await render_page(
        "study_session.html",
        {"session-words": "_words_table.html"},
        nav="sessions",
        breadcrumbs=[("Sessions", "/study_sessions"), (f"Session #{session_id}", None)],
        session=session,
        external_url=external_url,
        unsafe_launch_url=activity["unsafe_launch_url"] if activity else None,
        finished=finished,
        words=reviewed.items,
        page=reviewed.pagination,
        sort=None,
        order=None,
        q="",
        table_id="session-words",
        base_url=f"/study_sessions/{session_id}",
        sortable=False,
        counts_label="in this session",
        empty_text="No words reviewed in this session yet.",
    )


async def _flashcard_state(session: dict[str, Any]) -> dict[str, Any]:
    """What the flashcards show for this session (the session page reads it too)."""
    return await flashcards.flashcard_state(
        await conn(),
        learner_id=current_learner_id(),
        session=session,
        default_timezone=settings().default_timezone,
    )


async def _render_flashcard(session: dict[str, Any], revealed: bool) -> Response:
    state = await _flashcard_state(session)
    return await render_page(
        "flashcards.html",
        {"flashcard": "_flashcard.html"},
        nav="activities",
        breadcrumbs=[
            ("Sessions", "/study_sessions"),
            (f"Session #{session['id']}", f"/study_sessions/{session['id']}"),
            ("Flashcards", None),
        ],
        session=session,
        revealed=revealed and state["card"] is not None,
        **state,
    )


@pages.get(f"/study_sessions/<{ID}:session_id>/flashcards")
@cached()
async def flashcards_page(session_id: int) -> Response:
    session = await _existing_session(session_id)
    return await _render_flashcard(
        session, revealed=parse_id(request.args.get("reveal", "")) is not None
    )


async def _show_next(session_id: int) -> ResponseTypes:
    """After an answer or an undo: the next card (htmx) or a redirect to it (no JS)."""
    if is_partial_request():
        return await _render_flashcard(await _existing_session(session_id), revealed=False)
    return redirect(f"/study_sessions/{session_id}/flashcards", 303)


@pages.post(f"/study_sessions/<{ID}:session_id>/flashcards/answer")
async def answer_flashcard(session_id: int) -> ResponseTypes:
    """Record the answer (with the form's client_id, if any), then show the next card."""
    await _existing_session(session_id)
    form = await request.form
    word_id = parse_id(form.get("word_id", ""))
    raw_correct = form.get("correct", "").strip().lower()
    if word_id is None:
        raise NotFound("That card does not exist.")
    if raw_correct not in ("true", "false"):
        raise InvalidInput("Answer with ✓ Right or ✗ Wrong.")
    client_id = form.get("client_id", "").strip()[:64] or None
    await reviews.record_review(
        await conn(),
        learner_id=current_learner_id(),
        session_id=session_id,
        word_id=word_id,
        correct=raw_correct == "true",
        client_id=client_id,
    )
    return await _show_next(session_id)


@pages.post(f"/study_sessions/<{ID}:session_id>/flashcards/undo")
async def undo_flashcard(session_id: int) -> ResponseTypes:
    """Take back the session's last answer; its card comes up again."""
    await _existing_session(session_id)
    try:
        await reviews.undo_last_review(
            await conn(), learner_id=current_learner_id(), session_id=session_id
        )
    except Conflict:
        await flash("Nothing to undo: this session has no answers left.", "error")
    return await _show_next(session_id)
