"""Undo, client_id idempotency, and the replay of the history (`reschedule`)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from tests.helpers import flashcards_id, get, post, run_cli
from webapp.db import Conn, parse_timestamp
from webapp.services.reschedule import replay_all, reschedule

GROUP = 1


async def _state(client: Any, conn: Conn, session_id: int) -> dict[str, Any]:
    """What a learner sees and what is stored: cards, counts, session, queue position."""
    cards = await conn.fetch_all(
        "SELECT learner_id, word_id, correct_count, wrong_count, state, step, stability,"
        " difficulty, due, last_review, first_review, last_review_id"
        " FROM learner_words ORDER BY learner_id, word_id"
    )
    stats = await conn.fetch_one("SELECT * FROM learner_stats WHERE learner_id = 1")
    response = await client.get(f"/api/study_sessions/{session_id}/next")
    next_card = await response.get_json() if response.status_code == 200 else None
    return {
        "cards": cards,
        "stats": stats,
        "session": await get(client, f"/api/study_sessions/{session_id}"),
        "progress": await get(client, "/api/dashboard/study_progress"),
        "next": next_card,
    }


async def _launch(client: Any) -> int:
    body = await post(
        client,
        "/api/study_sessions",
        {"group_id": GROUP, "study_activity_id": await flashcards_id(client)},
        status=201,
    )
    return int(body["id"])


async def _answer(
    client: Any, session_id: int, word_id: int, correct: bool, status: int = 201, **extra: Any
) -> dict[str, Any]:
    return await post(
        client,
        f"/api/study_sessions/{session_id}/words/{word_id}/review",
        {"correct": correct, **extra},
        status=status,
    )


async def test_undo_goes_back_several_answers_restoring_exact_state(client, conn, clock):
    clock.set(datetime(2026, 11, 23, 9, tzinfo=UTC))
    session_id = await _launch(client)
    first = (await get(client, f"/api/study_sessions/{session_id}/next"))["word"]["id"]
    states = [await _state(client, conn, session_id)]
    plan = [(first, True, "good"), (first, False, None), (first, True, "easy"), (2, True, None)]
    for step, (word_id, correct, rating) in enumerate(plan):
        clock.advance(minutes=11)
        extra = {"client_id": f"answer-{step}"} | ({"rating": rating} if rating else {})
        await _answer(client, session_id, word_id, correct, **extra)  # type: ignore[arg-type]
        states.append(await _state(client, conn, session_id))

    for step in reversed(range(len(plan))):
        clock.advance(minutes=1)
        undone = await post(client, f"/api/study_sessions/{session_id}/undo")
        assert undone["review"]["client_id"] == f"answer-{step}"
        assert undone["review"]["word_id"] == plan[step][0]
        assert await _state(client, conn, session_id) == states[step], f"after undoing {step}"
        if step == 0:
            assert undone["schedule"] is None, "the first answer undone: never studied"

    response = await client.post(f"/api/study_sessions/{session_id}/undo")
    assert response.status_code == 409
    assert "Nothing to undo" in (await response.get_json())["error"]
    # an undone answer's client_id stays spent: a late retry records nothing
    retry = await _answer(client, session_id, first, True, status=409, client_id="answer-0")
    assert retry["field"] == "client_id"
    assert await _state(client, conn, session_id) == states[0]


async def test_the_same_client_id_returns_the_first_result_and_records_nothing(client, conn):
    session_id = await _launch(client)
    created = await _answer(client, session_id, 3, False, client_id="tab-1:7")
    again = await _answer(client, session_id, 3, True, status=200, client_id="tab-1:7")
    assert again["id"] == created["id"] and again["correct"] is False
    assert (await get(client, f"/api/study_sessions/{session_id}"))["review_items_count"] == 1
    # the same id in another session is another answer
    other = await _launch(client)
    await _answer(client, other, 3, True, client_id="tab-1:7")
    for bad in ("", "x" * 65, 12):
        body = await _answer(client, session_id, 3, True, status=422, client_id=bad)
        assert body["field"] == "client_id"
    body = await _answer(client, session_id, 3, True, status=422, rating="perfect")
    assert body["field"] == "rating"


async def test_sixteen_concurrent_duplicates_record_exactly_one_answer(client, conn):
    session_id = await _launch(client)
    path = f"/api/study_sessions/{session_id}/words/5/review"

    async def post_once() -> tuple[int, Any]:
        response = await client.post(path, json={"correct": True, "client_id": "retry-me"})
        return response.status_code, await response.get_json()

    results = await asyncio.gather(*(post_once() for _ in range(16)))
    assert sorted(status for status, _ in results) == [200] * 15 + [201]
    assert len({body["id"] for _, body in results}) == 1
    rows = await conn.fetch_val(
        "SELECT COUNT(*) FROM words_review_items WHERE study_session_id = :id", {"id": session_id}
    )
    assert rows == 1
    word = await get(client, "/api/words/5")
    assert (word["correct_count"], word["wrong_count"]) == (1, 0)


async def test_each_review_keeps_the_card_it_produced_and_undo_goes_back_to_the_one_before(
    client, conn, clock
):
    clock.set(datetime(2026, 11, 23, 9, tzinfo=UTC))
    session_id = await _launch(client)
    word_id = (await get(client, f"/api/study_sessions/{session_id}/next"))["word"]["id"]

    async def newest_review_and_card() -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        review = await conn.fetch_one(
            "SELECT id, created_at, card_state, card_step, card_stability, card_difficulty,"
            " card_due FROM words_review_items WHERE study_session_id = :id"
            " ORDER BY id DESC LIMIT 1",
            {"id": session_id},
        )
        card = await conn.fetch_one(
            "SELECT state, step, stability, difficulty, due, last_review, last_review_id"
            " FROM learner_words WHERE learner_id = 1 AND word_id = :word_id",
            {"word_id": word_id},
        )
        return review, card

    kept = []
    for rating in ("again", "good", "easy", "hard"):
        clock.advance(hours=5)
        answered = await _answer(client, session_id, word_id, rating != "again", rating=rating)
        review, card = await newest_review_and_card()
        assert review is not None and card is not None
        assert review["id"] == answered["id"] == card["last_review_id"]
        # the row holds the card the answer returned, and the learner's card is that one
        assert (review["card_stability"], review["card_difficulty"]) == (
            card["stability"],
            card["difficulty"],
        )
        assert (review["card_state"], review["card_step"]) == (card["state"], card["step"])
        assert parse_timestamp(review["card_due"]) == parse_timestamp(card["due"])
        assert parse_timestamp(card["last_review"]) == parse_timestamp(review["created_at"])
        assert round(review["card_stability"], 4) == answered["schedule"]["stability"]
        assert (
            parse_timestamp(review["card_due"]).strftime("%Y-%m-%dT%H:%M:%SZ")
            == (answered["schedule"]["due"])
        )
        kept.append(card)

    for before in reversed(kept[:-1]):
        await post(client, f"/api/study_sessions/{session_id}/undo")
        review, card = await newest_review_and_card()
        assert card == before
        assert review is not None and review["card_stability"] == before["stability"]


async def _comparable_cards(conn: Conn) -> dict[tuple[int, int], tuple[Any, ...]]:
    rows = await conn.fetch_all(
        "SELECT learner_id, word_id, state, step, stability, difficulty, due, last_review,"
        " first_review, last_review_id FROM learner_words"
    )
    return {
        (r["learner_id"], r["word_id"]): (
            r["state"], r["step"], r["stability"], r["difficulty"], parse_timestamp(r["due"]),
            parse_timestamp(r["last_review"]), parse_timestamp(r["first_review"]),
            r["last_review_id"],
        )
        for r in rows
    }  # fmt: skip


async def test_replay_equals_the_incremental_cards_with_undo_in_between(
    client, conn, clock, database_url
):
    clock.set(datetime(2026, 11, 23, 9, tzinfo=UTC))
    for day in range(20):
        session_id = await _launch(client)
        for position in range(12):
            response = await client.get(f"/api/study_sessions/{session_id}/next")
            if response.status_code == 204:
                break
            word_id = (await response.get_json())["word"]["id"]
            rating = ("again", "hard", "good", "easy")[(word_id + day + position) % 4]
            await _answer(client, session_id, word_id, rating != "again", rating=rating)
            clock.advance(minutes=3)
            if (day + position) % 5 == 4:
                await post(client, f"/api/study_sessions/{session_id}/undo")
        clock.advance(days=1)

    stored = await _comparable_cards(conn)
    replayed = await replay_all(conn)
    assert len(stored) == len(replayed) > 5
    for key, folded in replayed.items():
        card = folded.card
        want = (
            card.state, card.step, card.stability, card.difficulty, card.due,
            card.last_review, folded.first_review, folded.last_review_id,
        )  # fmt: skip
        assert stored[key] == want, key
    assert (await reschedule(conn, check=True)).differences == []

    checked = run_cli("reschedule", "--check", database_url=database_url)
    assert checked.code == 0, checked.err
    assert f"{len(stored)} cards equal the replay" in checked.out
    # a card that drifted from its history is found, then rebuilt
    await conn.execute(
        "UPDATE learner_words SET stability = stability * 2"
        " WHERE word_id = (SELECT MIN(word_id) FROM learner_words)"
    )
    drifted = run_cli("reschedule", "--check", database_url=database_url)
    assert drifted.code == 1 and "1 of" in drifted.err and "differ" in drifted.err
    rebuilt = run_cli("reschedule", database_url=database_url)
    assert rebuilt.code == 0 and "1 rewritten" in rebuilt.out
    assert await _comparable_cards(conn) == stored
