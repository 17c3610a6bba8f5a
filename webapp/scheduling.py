"""FSRS memory states: the one fold every review goes through (live and replay).

`apply_review` is the only place a card changes because of an answer: recording a
review calls it once, `python -m webapp reschedule` folds it over the history, so
the two always agree field for field.

fsrs 6.3.2 fuzzes Review intervals with the module-global `random()`, which cannot
be seeded per card; the scheduler here runs with fuzzing off and applies the same
fuzz ranges with a `random.Random` seeded by (learner, word, review id), so a
replay gives exactly the due dates the live path gave, in any process.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import FUZZ_RANGES

from .db import parse_timestamp

# The answer buttons' default mapping: a right answer is Good, a wrong one Again.
RATINGS = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}
RATING_NAMES = {int(value): name for name, value in RATINGS.items()}
STATE_NAMES = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}
DESIRED_RETENTION = 0.9
# A word is "known" once its stability reaches 21 days (Anki's "mature" threshold).
KNOWN_STABILITY_DAYS = 21.0
# Our own fuzz applies to Review intervals of at least this many whole days.
FUZZ_MIN_DAYS = 3


@dataclass(frozen=True)
class CardState:
    """A word's FSRS memory state for one learner (times are aware UTC)."""

    state: int
    step: int | None
    stability: float
    difficulty: float
    due: datetime
    last_review: datetime


def default_rating(correct: bool) -> int:
    return int(Rating.Good if correct else Rating.Again)


@cache
def scheduler() -> Scheduler:
    return Scheduler(desired_retention=DESIRED_RETENTION, enable_fuzzing=False)


def _fuzz_range(interval_days: int) -> tuple[int, int]:
    """fsrs's own fuzz range for an interval, from the same FUZZ_RANGES table."""
    delta = 1.0
    for fuzz in FUZZ_RANGES:
        delta += fuzz["factor"] * max(min(float(interval_days), fuzz["end"]) - fuzz["start"], 0.0)
    low = max(2, round(interval_days - delta))
    high = min(round(interval_days + delta), scheduler().maximum_interval)
    return min(low, high), high


def _fuzzed_due(card: Card, now: datetime, seed: str) -> datetime:
    if card.state != State.Review or card.due is None:
        return card.due
    interval_days = round((card.due - now) / timedelta(days=1))
    if interval_days < FUZZ_MIN_DAYS:
        return card.due
    low, high = _fuzz_range(interval_days)
    return now + timedelta(days=random.Random(seed).randint(low, high))


def apply_review(
    previous: CardState | None,
    *,
    learner_id: int,
    word_id: int,
    review_id: int,
    rating: int,
    reviewed_at: datetime,
) -> CardState:
    """The card after one answer; `previous` None means the word was new."""
    now = reviewed_at.astimezone(UTC)
    if previous is None:
        card = Card(card_id=word_id, due=now)
    else:
        card = Card(
            card_id=word_id,
            state=State(previous.state),
            step=previous.step,
            stability=previous.stability,
            difficulty=previous.difficulty,
            due=previous.due.astimezone(UTC),
            last_review=previous.last_review.astimezone(UTC),
        )
    card, _log = scheduler().review_card(card, Rating(rating), review_datetime=now)
    due = _fuzzed_due(card, now, f"{learner_id}:{word_id}:{review_id}")
    assert card.stability is not None and card.difficulty is not None
    return CardState(
        state=int(card.state),
        step=card.step,
        stability=float(card.stability),
        difficulty=float(card.difficulty),
        due=due,
        last_review=now,
    )


def retrievability(card: CardState, now: datetime) -> float:
    """Probability of recall now (fsrs counts whole elapsed days: 1.0 on the review day)."""
    fsrs_card = Card(
        card_id=1,
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )
    value = float(scheduler().get_card_retrievability(fsrs_card, current_datetime=now))
    return 0.0 if math.isnan(value) else value


def schedule_item(card: CardState | None, now: datetime) -> dict[str, Any] | None:
    """The API's `schedule` object (None: never studied)."""
    if card is None:
        return None
    return {
        "state": STATE_NAMES[State(card.state)],
        "due": card.due.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "stability": round(card.stability, 4),
        "difficulty": round(card.difficulty, 4),
        "retrievability": round(retrievability(card, now), 4),
        "last_review": card.last_review.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "known": card.stability >= KNOWN_STABILITY_DAYS,
    }


@dataclass(frozen=True)
class FoldedCard:
    """A card rebuilt from history, with the columns kept beside it."""

    card: CardState
    first_review: datetime
    last_review_id: int


def review_rating(review: dict[str, Any]) -> int:
    """A stored review's rating; reviews from before the scheduler have none."""
    rating = review.get("rating")
    return int(rating) if rating is not None else default_rating(bool(review["correct"]))


def fold_reviews(learner_id: int, word_id: int, reviews: list[dict[str, Any]]) -> FoldedCard | None:
    """Replay one learner's reviews of one word (ordered by created_at, id) with the
    same `apply_review` the live path used; None when there are none."""
    card: CardState | None = None
    first: datetime | None = None
    last_id = 0
    for review in reviews:
        reviewed_at = parse_timestamp(review["created_at"])
        card = apply_review(
            card,
            learner_id=learner_id,
            word_id=word_id,
            review_id=int(review["id"]),
            rating=review_rating(review),
            reviewed_at=reviewed_at,
        )
        first = first or reviewed_at
        last_id = int(review["id"])
    if card is None or first is None:
        return None
    return FoldedCard(card, first, last_id)
