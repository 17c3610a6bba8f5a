"""Review items: recording, reading back, undoing, and streaming them for replay.

The counters every review moves (its session's and its learner's) are kept by
the review triggers on INSERT and DELETE (migrations/0005_study_engine.*.sql);
since 0010 the INSERT trigger also writes the card the review carries into
learner_words and serves the session queue (0010_review_write_path.*.sql).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..db import Conn, to_api_timestamp
from ..scheduling import RATING_NAMES, CardState, default_rating
from .cards import CARD_COLUMNS

_REVIEW_COLUMNS = "id, word_id, study_session_id, correct, rating, client_id, answer, created_at"
_SNAPSHOT_COLUMNS = (
    "prev_state, prev_step, prev_stability, prev_difficulty, prev_due, prev_last_review,"
    " prev_first_review, prev_review_id"
)
# The card a review produced, as recorded (last_review is the review's created_at).
_CARD_COLUMNS = "card_state, card_step, card_stability, card_difficulty, card_due"


# The id the next review will get, read under the write lock (so nobody else takes
# it): SQLite's AUTOINCREMENT gives max(sqlite_sequence, largest id) + 1; PostgreSQL
# draws from the identity sequence (an id drawn for an answer not recorded is a gap).
_NEXT_REVIEW_ID = {
    "sqlite": "MAX(COALESCE((SELECT seq FROM sqlite_sequence"
    " WHERE name = 'words_review_items'), 0),"
    " COALESCE((SELECT MAX(id) FROM words_review_items), 0)) + 1",
    "postgresql": "nextval(pg_get_serial_sequence('words_review_items', 'id'))",
}


async def get_review_context(
    conn: Conn, *, session_id: int, word_id: int, client_id: str | None
) -> dict[str, Any] | None:
    """Everything an answer needs to know, in one statement (None: no such session).

    `learner_id` (the session's), `word_found`, `prior_id` (a review with this
    client_id), `undone` (the client_id was undone), the learner's card row and
    `review_id`, the id the answer's row will have (run it under the learner's
    write lock), so the card it produces, whose fuzz is seeded by that id, can be
    computed before the row is inserted.
    """
    return await conn.fetch_one(
        "SELECT s.learner_id, (SELECT COUNT(*) FROM words WHERE id = :word_id) AS word_found,"
        " (SELECT r.id FROM words_review_items r WHERE r.study_session_id = s.id"
        "  AND r.client_id = :client_id) AS prior_id,"
        " (SELECT COUNT(*) FROM undone_answers u WHERE u.study_session_id = s.id"
        "  AND u.client_id = :client_id) AS undone,"
        " lw.correct_count, lw.wrong_count,"
        " lw.state, lw.step, lw.stability, lw.difficulty, lw.due, lw.last_review,"
        f" lw.first_review, lw.last_review_id, {_NEXT_REVIEW_ID[conn.dialect]} AS review_id "
        "FROM study_sessions s LEFT JOIN learner_words lw"
        " ON lw.learner_id = s.learner_id AND lw.word_id = :word_id "
        "WHERE s.id = :session_id",
        {"session_id": session_id, "word_id": word_id, "client_id": client_id},
    )


async def get_session_learner(conn: Conn, session_id: int) -> int | None:
    """The learner a session belongs to (None: no such session)."""
    value = await conn.fetch_val(
        "SELECT learner_id FROM study_sessions WHERE id = :id", {"id": session_id}
    )
    return None if value is None else int(value)


async def insert_review(
    conn: Conn,
    *,
    review_id: int,
    word_id: int,
    session_id: int,
    correct: bool,
    rating: int,
    client_id: str | None,
    answer: str | None,
    created_at: datetime,
    snapshot: dict[str, Any],
    card: CardState,
) -> None:
    """Insert review `review_id` (from get_review_context) with the card before it
    (`snapshot`: its prev_* columns) and the card it produced (`card`, whose
    last_review is `created_at`).  The review trigger moves the counters, writes
    `card` into learner_words and serves the session queue's entry
    (migrations/0010_review_write_path.*.sql)."""
    await conn.execute(
        "INSERT INTO words_review_items (id, word_id, study_session_id, correct, rating,"
        f" client_id, answer, created_at, {_SNAPSHOT_COLUMNS}, {_CARD_COLUMNS}) "
        "VALUES (:id, :word_id, :session_id, :correct, :rating, :client_id, :answer,"
        " :created_at, :prev_state, :prev_step, :prev_stability, :prev_difficulty,"
        " :prev_due, :prev_last_review, :prev_first_review, :prev_review_id,"
        " :card_state, :card_step, :card_stability, :card_difficulty, :card_due)",
        {
            "id": review_id,
            "word_id": word_id,
            "session_id": session_id,
            "correct": correct,
            "rating": rating,
            "client_id": client_id,
            "answer": answer,
            "created_at": conn.timestamp(created_at),
            **snapshot,
            "card_state": card.state,
            "card_step": card.step,
            "card_stability": card.stability,
            "card_difficulty": card.difficulty,
            "card_due": conn.timestamp(card.due),
        },
    )


def review_item(row: dict[str, Any]) -> dict[str, Any]:
    correct = bool(row["correct"])
    rating = row.get("rating")
    return {
        "id": row["id"],
        "word_id": row["word_id"],
        "study_session_id": row["study_session_id"],
        "correct": correct,
        "rating": RATING_NAMES[int(rating) if rating is not None else default_rating(correct)],
        "client_id": row.get("client_id"),
        "created_at": to_api_timestamp(row["created_at"]),
    }


async def get_review(conn: Conn, review_id: int) -> dict[str, Any] | None:
    row = await conn.fetch_one(
        f"SELECT {_REVIEW_COLUMNS} FROM words_review_items WHERE id = :id", {"id": review_id}
    )
    return None if row is None else review_item(row)


async def get_last_review_of_session(conn: Conn, session_id: int) -> dict[str, Any] | None:
    """The session's newest review with its card snapshot (prev_* columns)."""
    return await conn.fetch_one(
        f"SELECT {_REVIEW_COLUMNS}, {_SNAPSHOT_COLUMNS} FROM words_review_items "
        "WHERE study_session_id = :session_id ORDER BY id DESC LIMIT 1",
        {"session_id": session_id},
    )


async def delete_review(conn: Conn, review_id: int) -> None:
    """Remove one review; the DELETE trigger moves its counters back."""
    await conn.execute("DELETE FROM words_review_items WHERE id = :id", {"id": review_id})


async def insert_undone_answer(
    conn: Conn, *, session_id: int, client_id: str, undone_at: datetime
) -> None:
    await conn.execute(
        "INSERT INTO undone_answers (study_session_id, client_id, undone_at) "
        "VALUES (:session_id, :client_id, :undone_at) ON CONFLICT DO NOTHING",
        {"session_id": session_id, "client_id": client_id, "undone_at": conn.timestamp(undone_at)},
    )


async def list_learner_word_reviews(
    conn: Conn, learner_id: int, word_id: int
) -> list[dict[str, Any]]:
    """One learner's reviews of one word, in the order they were applied."""
    return await conn.fetch_all(
        "SELECT r.id, r.correct, r.rating, r.created_at FROM words_review_items r"
        " JOIN study_sessions s ON s.id = r.study_session_id "
        "WHERE r.word_id = :word_id AND s.learner_id = :learner_id "
        "ORDER BY r.created_at, r.id",
        {"learner_id": learner_id, "word_id": word_id},
    )


async def list_reviews_for_replay(
    conn: Conn, *, after: tuple[int, int, Any, int] | None, limit: int
) -> list[dict[str, Any]]:
    """Every review ordered by (learner, word, created_at, id), a page after `after`."""
    where = ""
    values: dict[str, Any] = {"limit": limit}
    if after is not None:
        where = (
            "WHERE (s.learner_id, r.word_id, r.created_at, r.id) > "
            "(:a_learner, :a_word, :a_created, :a_id) "
        )
        values.update(
            {"a_learner": after[0], "a_word": after[1], "a_created": after[2], "a_id": after[3]}
        )
    return await conn.fetch_all(
        "SELECT s.learner_id, r.word_id, r.id, r.correct, r.rating, r.created_at"
        " FROM words_review_items r JOIN study_sessions s ON s.id = r.study_session_id "
        f"{where}ORDER BY s.learner_id, r.word_id, r.created_at, r.id LIMIT :limit",
        values,
    )


async def list_all_cards(conn: Conn) -> list[dict[str, Any]]:
    """Every learner_words row, for comparing with a replay."""
    return await conn.fetch_all(
        f"SELECT learner_id, word_id, {CARD_COLUMNS}, first_review, last_review_id"
        " FROM learner_words ORDER BY learner_id, word_id"
    )
