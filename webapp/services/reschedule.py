"""Rebuild every FSRS card from the review history (`python -m webapp reschedule`).

The replay folds each learner's reviews of each word, ordered by (created_at, id),
with `scheduling.fold_reviews`, the same `apply_review` the live path uses, so on
a consistent database the replay equals the stored cards field for field.  Run it
after `import-seed-db`, `import` (both do), a change of scheduler parameters, or an
upgrade of fsrs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..db import Conn, parse_timestamp
from ..queries import cards, reviews
from ..scheduling import FoldedCard, fold_reviews

BATCH = 5000
Key = tuple[int, int]


@dataclass
class RescheduleReport:
    cards: int = 0
    reviews: int = 0
    differences: list[str] = field(default_factory=list)


def _stored(row: dict[str, Any]) -> tuple[Any, ...]:
    card = cards.card_from_row(row)
    first = row["first_review"]
    return (
        card,
        None if first is None else parse_timestamp(first),
        None if row["last_review_id"] is None else int(row["last_review_id"]),
    )


def _replayed(folded: FoldedCard) -> tuple[Any, ...]:
    return (folded.card, folded.first_review, folded.last_review_id)


async def replay_all(
    conn: Conn, progress: Callable[[str], None] | None = None
) -> dict[Key, FoldedCard]:
    """Every (learner, word) card as the history gives it, streamed in batches."""
    replayed: dict[Key, FoldedCard] = {}
    after = None
    current: Key | None = None
    history: list[dict[str, Any]] = []
    seen = 0

    def close() -> None:
        if current is not None:
            folded = fold_reviews(current[0], current[1], history)
            if folded is not None:
                replayed[current] = folded

    while True:
        rows = await reviews.list_reviews_for_replay(conn, after=after, limit=BATCH)
        if not rows:
            break
        for row in rows:
            key = (int(row["learner_id"]), int(row["word_id"]))
            if key != current:
                close()
                current, history = key, []
            history.append(row)
        last = rows[-1]
        after = (last["learner_id"], last["word_id"], last["created_at"], last["id"])
        seen += len(rows)
        if progress:
            progress(f"  replayed {seen:,} reviews")
    close()
    return replayed


async def reschedule(
    conn: Conn, *, check: bool = False, progress: Callable[[str], None] | None = None
) -> RescheduleReport:
    """Compare (check) or rewrite the stored cards with the replay of the history."""
    report = RescheduleReport()
    async with conn.transaction():
        replayed = await replay_all(conn, progress)
        stored = {
            (int(row["learner_id"]), int(row["word_id"])): row
            for row in await reviews.list_all_cards(conn)
        }
        report.cards = len(replayed)
        for key in sorted(set(replayed) | set(stored)):
            folded = replayed.get(key)
            row = stored.get(key)
            want = _replayed(folded) if folded else (None, None, None)
            have = _stored(row) if row else (None, None, None)
            if want == have:
                continue
            report.differences.append(
                f"learner {key[0]} word {key[1]}: stored {have}, replay {want}"
            )
            if not check and folded is not None and row is not None:
                await cards.save_card(
                    conn,
                    learner_id=key[0],
                    word_id=key[1],
                    card=folded.card,
                    first_review=folded.first_review,
                    last_review_id=folded.last_review_id,
                )
    return report
