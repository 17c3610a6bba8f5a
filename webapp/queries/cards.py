"""Per-(learner, word) rows: the learner's counts and the word's FSRS card.

The counts are moved by the review triggers (migrations/0005_study_engine.*.sql);
an answer's new card is written by the review's INSERT trigger from the card the
row carries (0010_review_write_path.*.sql); undo and replay write it here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..db import Conn, parse_timestamp
from ..scheduling import KNOWN_STABILITY_DAYS, CardState

# pg_advisory_xact_lock(namespace, learner): one writer per learner across processes.
LEARNER_LOCK_NAMESPACE = 5005
CARD_COLUMNS = "state, step, stability, difficulty, due, last_review"


def learner_lock_key(learner_id: int) -> tuple[int, int]:
    """The lock that serialises one learner's answers, undos and resets:
    `conn.transaction(advisory_lock=learner_lock_key(id))`.  On PostgreSQL it is an
    advisory transaction lock (several worker processes write); SQLite's BEGIN
    IMMEDIATE already holds the one write lock."""
    return LEARNER_LOCK_NAMESPACE, learner_id


def card_from_row(row: dict[str, Any], prefix: str = "") -> CardState | None:
    """A CardState from `state, step, …` columns (optionally `prev_`-prefixed)."""
    if row.get(prefix + "state") is None:
        return None
    step = row[prefix + "step"]
    return CardState(
        state=int(row[prefix + "state"]),
        step=None if step is None else int(step),
        stability=float(row[prefix + "stability"]),
        difficulty=float(row[prefix + "difficulty"]),
        due=parse_timestamp(row[prefix + "due"]),
        last_review=parse_timestamp(row[prefix + "last_review"]),
    )


def _card_values(conn: Conn, card: CardState | None) -> dict[str, Any]:
    if card is None:
        return dict.fromkeys(("state", "step", "stability", "difficulty", "due", "last_review"))
    return {
        "state": card.state,
        "step": card.step,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "due": conn.timestamp(card.due),
        "last_review": conn.timestamp(card.last_review),
    }


async def get_card_row(conn: Conn, learner_id: int, word_id: int) -> dict[str, Any] | None:
    """The learner's row for a word (counts, card columns, first_review, last_review_id)."""
    return await conn.fetch_one(
        f"SELECT correct_count, wrong_count, {CARD_COLUMNS}, first_review, last_review_id "
        "FROM learner_words WHERE learner_id = :learner_id AND word_id = :word_id",
        {"learner_id": learner_id, "word_id": word_id},
    )


async def save_card(
    conn: Conn,
    *,
    learner_id: int,
    word_id: int,
    card: CardState | None,
    first_review: datetime | None,
    last_review_id: int | None,
) -> None:
    """Write the card columns of an existing row (the review trigger made the row)."""
    await conn.execute(
        "UPDATE learner_words SET state = :state, step = :step, stability = :stability,"
        " difficulty = :difficulty, due = :due, last_review = :last_review,"
        " first_review = :first_review, last_review_id = :last_review_id "
        "WHERE learner_id = :learner_id AND word_id = :word_id",
        {
            **_card_values(conn, card),
            "first_review": None if first_review is None else conn.timestamp(first_review),
            "last_review_id": last_review_id,
            "learner_id": learner_id,
            "word_id": word_id,
        },
    )


def snapshot_values(conn: Conn, row: dict[str, Any] | None) -> dict[str, Any]:
    """The `prev_*` columns of a review: the learner's card row before it."""
    card = None if row is None else card_from_row(row)
    values = {f"prev_{name}": value for name, value in _card_values(conn, card).items()}
    first = None if row is None or card is None else row["first_review"]
    values["prev_first_review"] = None if first is None else conn.timestamp(parse_timestamp(first))
    values["prev_review_id"] = None if row is None or card is None else row["last_review_id"]
    return values


async def count_known_words(conn: Conn, learner_id: int) -> int:
    """Words the learner knows: stability of at least KNOWN_STABILITY_DAYS."""
    return int(
        await conn.fetch_val(
            "SELECT COUNT(*) FROM learner_words WHERE learner_id = :learner_id"
            " AND stability >= :known",
            {"learner_id": learner_id, "known": KNOWN_STABILITY_DAYS},
        )
    )


async def count_due_windows(
    conn: Conn, learner_id: int, *, now: datetime, bounds: list[datetime]
) -> dict[str, Any]:
    """`due_now` (due <= now) and `until_<i>` (due < bounds[i]) in one statement.

    Each count is a range of the (learner_id, due) index: overdue cards once, then
    each window between two bounds, added up here; one CASE per bound over every
    overdue card instead cost 10x as much (most imported cards are overdue).
    """
    values: dict[str, Any] = {"learner_id": learner_id, "now": conn.timestamp(now)}
    where = "FROM learner_words WHERE learner_id = :learner_id AND due IS NOT NULL"
    windows = [f"(SELECT COUNT(*) {where} AND due <= :now) AS due_now"]
    lower = "due > :now"  # the first window starts after now, each later one at its bound
    for index, bound in enumerate(bounds):
        values[f"b{index}"] = conn.timestamp(bound)
        windows.append(
            f"(SELECT COUNT(*) {where} AND {lower} AND due < :b{index}) AS window_{index}"
        )
        lower = f"due >= :b{index}"
    row = await conn.fetch_one(f"SELECT {', '.join(windows)}", values)
    assert row is not None
    counts = {"due_now": int(row["due_now"])}
    total = counts["due_now"]
    for index in range(len(bounds)):
        total += int(row[f"window_{index}"])
        counts[f"until_{index}"] = total
    return counts
