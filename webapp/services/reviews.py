"""Recording and undoing answers: the one home of a review's side effects.

Each runs in one transaction under the learner's write lock (SQLite BEGIN
IMMEDIATE; PostgreSQL an advisory lock per learner, as several worker processes
write) and reads the server's clock inside it, so the order of `(created_at, id)`
is the order answers were applied: what makes a replay equal the live state.

- the FSRS card changes only through `scheduling.apply_review`, here and in replay;
  the review's id (its fuzz seed) is taken before the row is written, so the card
  is computed first and the review row carries it (card_*);
- the review row keeps the card as it was before it (prev_*), which undo restores;
- the review's INSERT trigger does the rest in the same statement: the counters
  (session, learner-word, learner), the learner's card row, and the session queue
  (the entry the answer served; an Again re-queues the word once).  An answer is
  BEGIN, one SELECT, one INSERT, COMMIT (PostgreSQL adds the advisory lock; on
  SQLite the BEGIN IMMEDIATE travels with the SELECT).
"""

from __future__ import annotations

from typing import Any

from ..db import Conn, parse_timestamp, utc_now
from ..errors import Conflict, NotFound
from ..queries import cards, queue, reviews
from ..scheduling import apply_review, default_rating, fold_reviews, schedule_item


async def record_review(
    conn: Conn,
    *,
    learner_id: int,
    session_id: int,
    word_id: int,
    correct: bool,
    rating: int | None = None,
    client_id: str | None = None,
    answer: str | None = None,
) -> tuple[dict[str, Any], bool]:
    """Record one answer of `learner_id`'s session; returns (result, created).

    `rating` defaults to Good for a right answer and Again for a wrong one.  A
    `client_id` already recorded in this session returns the first result with
    created False and records nothing; one that was undone is a Conflict.
    """
    # SQLite: BEGIN IMMEDIATE goes with the context SELECT (one hop), the clock after it
    # PostgreSQL: the learner's advisory lock goes with the BEGIN (one round trip)
    async with conn.transaction(
        begin_with_first_statement=True, advisory_lock=cards.learner_lock_key(learner_id)
    ):
        context = await reviews.get_review_context(
            conn, session_id=session_id, word_id=word_id, client_id=client_id
        )
        if context is None or int(context["learner_id"]) != learner_id:
            raise NotFound(f"Study session {session_id} not found")
        if context["prior_id"] is not None:
            return await _first_result(conn, learner_id, int(context["prior_id"])), False
        if context["undone"]:
            raise Conflict(
                "This answer was undone; answer the card again with a new client_id",
                field="client_id",
            )
        if not context["word_found"]:
            raise NotFound(f"Word {word_id} not found")
        previous = cards.card_from_row(context)
        now = utc_now()
        if previous is not None and previous.last_review > now:
            now = previous.last_review  # never before the card's last answer
        chosen = rating if rating is not None else default_rating(correct)
        review_id = int(context["review_id"])
        card = apply_review(
            previous,
            learner_id=learner_id,
            word_id=word_id,
            review_id=review_id,
            rating=chosen,
            reviewed_at=now,
        )
        # one statement: its trigger moves the counters, writes `card` into the
        # learner's row and serves the queue (an Again also re-queues the word once)
        await reviews.insert_review(
            conn,
            review_id=review_id,
            word_id=word_id,
            session_id=session_id,
            correct=correct,
            rating=chosen,
            client_id=client_id,
            answer=answer,
            created_at=now,
            snapshot=cards.snapshot_values(conn, context if context["state"] is not None else None),
            card=card,
        )
    review = reviews.review_item(
        {
            "id": review_id,
            "word_id": word_id,
            "study_session_id": session_id,
            "correct": correct,
            "rating": chosen,
            "client_id": client_id,
            "created_at": now,
        }
    )
    return {"success": True, **review, "schedule": schedule_item(card, now)}, True


async def _first_result(conn: Conn, learner_id: int, review_id: int) -> dict[str, Any]:
    """The answer already recorded under a client_id, with the word's current schedule."""
    review = await reviews.get_review(conn, review_id)
    assert review is not None
    row = await cards.get_card_row(conn, learner_id, review["word_id"])
    card = None if row is None else cards.card_from_row(row)
    return {"success": True, **review, "schedule": schedule_item(card, utc_now())}


async def undo_last_review(conn: Conn, *, learner_id: int, session_id: int) -> dict[str, Any]:
    """Remove the session's newest answer and put back exactly what it changed.

    The card returns to the review's snapshot when that review made the current
    card; if the word was answered again later (another session), the card is
    rebuilt by replay without it.  Counters move back in the DELETE trigger; the
    client_id stays spent.  Conflict when the session has no answer left.
    """
    async with conn.transaction(advisory_lock=cards.learner_lock_key(learner_id)):
        if await reviews.get_session_learner(conn, session_id) != learner_id:
            raise NotFound(f"Study session {session_id} not found")
        last = await reviews.get_last_review_of_session(conn, session_id)
        if last is None:
            raise Conflict("Nothing to undo: this session has no answers left")
        review_id, word_id = int(last["id"]), int(last["word_id"])
        row = await cards.get_card_row(conn, learner_id, word_id)
        made_current = row is not None and row["last_review_id"] == review_id
        if made_current:
            first = last["prev_first_review"]
            await cards.save_card(
                conn,
                learner_id=learner_id,
                word_id=word_id,
                card=cards.card_from_row(last, prefix="prev_"),
                first_review=None if first is None else parse_timestamp(first),
                last_review_id=last["prev_review_id"],
            )
        await queue.unserve(conn, session_id=session_id, review_id=review_id)
        await reviews.delete_review(conn, review_id)
        if last["client_id"] is not None:
            await reviews.insert_undone_answer(
                conn, session_id=session_id, client_id=last["client_id"], undone_at=utc_now()
            )
        if not made_current:
            await rebuild_word_card(conn, learner_id=learner_id, word_id=word_id)
        after = await cards.get_card_row(conn, learner_id, word_id)
    card = None if after is None else cards.card_from_row(after)
    return {"review": reviews.review_item(last), "schedule": schedule_item(card, utc_now())}


async def rebuild_word_card(conn: Conn, *, learner_id: int, word_id: int) -> None:
    """Replay one learner's history of one word into its card (inside a transaction)."""
    history = await reviews.list_learner_word_reviews(conn, learner_id, word_id)
    folded = fold_reviews(learner_id, word_id, history)
    if folded is None:
        return  # no review left: the DELETE trigger removed the row
    await cards.save_card(
        conn,
        learner_id=learner_id,
        word_id=word_id,
        card=folded.card,
        first_review=folded.first_review,
        last_review_id=folded.last_review_id,
    )
