"""Every figure is one learner's: a second learner's answers never show up for the
first, and recording, undoing and deleting keep every counter equal to a recount
written here, in the test (not the portal's own recount)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.helpers import flashcards_id, get, launch, post, review
from webapp.db import Conn
from webapp.services import reviews, study

SECOND = 2


async def _add_second_learner(conn: Conn) -> None:
    await conn.execute(
        "INSERT INTO learners (id, name, timezone, created_at) VALUES (:id, 'Second', NULL, :at)",
        {"id": SECOND, "at": conn.timestamp(datetime.now(UTC))},
    )
    await conn.execute("INSERT INTO learner_stats (learner_id) VALUES (:id)", {"id": SECOND})


async def _recount(conn: Conn) -> dict[str, Any]:
    """The counters as the raw rows give them, computed independently of the portal."""
    true = "1" if conn.is_sqlite else "TRUE"
    per_word = await conn.fetch_all(
        f"SELECT s.learner_id, r.word_id, SUM(CASE WHEN r.correct = {true} THEN 1 ELSE 0 END) AS c,"
        f" SUM(CASE WHEN r.correct = {true} THEN 0 ELSE 1 END) AS w"
        " FROM words_review_items r JOIN study_sessions s ON s.id = r.study_session_id"
        " GROUP BY s.learner_id, r.word_id ORDER BY s.learner_id, r.word_id"
    )
    learners = await conn.fetch_all(
        "SELECT l.id,"
        f" (SELECT COUNT(*) FROM words_review_items r JOIN study_sessions s"
        f"  ON s.id = r.study_session_id WHERE s.learner_id = l.id AND r.correct = {true}) AS c,"
        f" (SELECT COUNT(*) FROM words_review_items r JOIN study_sessions s"
        f"  ON s.id = r.study_session_id WHERE s.learner_id = l.id AND r.correct <> {true}) AS w,"
        " (SELECT COUNT(*) FROM study_sessions s WHERE s.learner_id = l.id) AS sessions,"
        " (SELECT COUNT(DISTINCT r.word_id) FROM words_review_items r JOIN study_sessions s"
        "  ON s.id = r.study_session_id WHERE s.learner_id = l.id) AS studied,"
        " (SELECT COUNT(DISTINCT s.group_id) FROM study_sessions s"
        "  WHERE s.learner_id = l.id) AS groups"
        " FROM learners l ORDER BY l.id"
    )
    per_group = await conn.fetch_all(
        "SELECT learner_id, group_id, COUNT(*) AS n FROM study_sessions"
        " GROUP BY learner_id, group_id ORDER BY learner_id, group_id"
    )
    sessions = await conn.fetch_all(
        f"SELECT s.id, (SELECT COUNT(*) FROM words_review_items r WHERE r.study_session_id = s.id"
        f" AND r.correct = {true}) AS c, (SELECT COUNT(*) FROM words_review_items r"
        f" WHERE r.study_session_id = s.id AND r.correct <> {true}) AS w"
        " FROM study_sessions s ORDER BY s.id"
    )
    return {
        "words": [(r["learner_id"], r["word_id"], int(r["c"]), int(r["w"])) for r in per_word],
        "learners": [
            (r["id"], int(r["c"]), int(r["w"]), int(r["sessions"]), int(r["studied"]),
             int(r["groups"]))
            for r in learners
        ],
        "groups": [(r["learner_id"], r["group_id"], int(r["n"])) for r in per_group],
        "sessions": [(r["id"], int(r["c"]), int(r["w"])) for r in sessions],
    }  # fmt: skip


async def _kept(conn: Conn) -> dict[str, Any]:
    """The counters the portal maintains."""
    words = await conn.fetch_all(
        "SELECT learner_id, word_id, correct_count, wrong_count FROM learner_words"
        " ORDER BY learner_id, word_id"
    )
    learners = await conn.fetch_all(
        "SELECT learner_id, correct_count, wrong_count, sessions_count, words_studied,"
        " active_groups FROM learner_stats ORDER BY learner_id"
    )
    groups = await conn.fetch_all(
        "SELECT learner_id, group_id, sessions_count FROM learner_groups"
        " ORDER BY learner_id, group_id"
    )
    sessions = await conn.fetch_all(
        "SELECT id, correct_count, wrong_count FROM study_sessions ORDER BY id"
    )
    return {
        "words": [tuple(r.values()) for r in words],
        "learners": [tuple(r.values()) for r in learners],
        "groups": [tuple(r.values()) for r in groups],
        "sessions": [tuple(r.values()) for r in sessions],
    }


async def _assert_counters_recount(conn: Conn) -> None:
    kept, recounted = await _kept(conn), await _recount(conn)
    assert kept == recounted


async def test_a_second_learners_answers_are_counted_for_them_only(client, conn):
    await _add_second_learner(conn)
    activity = await flashcards_id(client)
    first = await launch(client, 1, activity)
    await review(client, first["id"], 1, True)
    await review(client, first["id"], 2, False)

    # the second learner studies the same words and one more, on two groups
    for group_id in (1, 2):
        other = await study.launch_session(
            conn, learner_id=SECOND, group_id=group_id, activity_id=activity
        )
        for word_id, correct in ((1, False), (2, False), (3, True)):
            await reviews.record_review(
                conn, learner_id=SECOND, session_id=other["id"], word_id=word_id, correct=correct
            )
    await _assert_counters_recount(conn)

    word_one = await get(client, "/api/words/1")
    assert (word_one["correct_count"], word_one["wrong_count"]) == (1, 0)
    assert (await get(client, "/api/words/3"))["schedule"] is None, "learner 1 never studied it"
    progress = await get(client, "/api/dashboard/study_progress")
    assert progress["total_words_studied"] == 2
    stats = await get(client, "/api/dashboard/quick_stats")
    assert (stats["total_study_sessions"], stats["total_active_groups"]) == (1, 1)
    assert stats["success_rate"] == 50.0
    sessions = await get(client, "/api/study_sessions")
    assert [s["id"] for s in sessions["items"]] == [first["id"]], "only my sessions"

    # sorting by wrong answers uses mine: word 2 (1 wrong) first, word 1 (0) after it
    by_wrong = await get(client, "/api/words?sort=wrong_count&order=desc")
    assert by_wrong["items"][0]["id"] == 2
    assert by_wrong["items"][0]["wrong_count"] == 1

    # a session of another learner is not mine: 404, nothing recorded
    others = await conn.fetch_val(
        "SELECT MIN(id) FROM study_sessions WHERE learner_id = :id", {"id": SECOND}
    )
    await post(client, f"/api/study_sessions/{others}/words/1/review", {"correct": True},
               status=404)  # fmt: skip
    await post(client, f"/api/study_sessions/{others}/undo", status=404)
    # nor is its next card: 404, and its queue is not built
    assert (await client.get(f"/api/study_sessions/{others}/next")).status_code == 404
    queued = await conn.fetch_val(
        "SELECT COUNT(*) FROM session_queue WHERE study_session_id = :id", {"id": others}
    )
    assert queued == 0
    await _assert_counters_recount(conn)


async def test_undo_and_deleting_a_word_keep_every_counter_equal_to_a_recount(client, conn):
    await _add_second_learner(conn)
    activity = await flashcards_id(client)
    mine = await launch(client, 1, activity)
    for word_id, correct in ((1, True), (2, False), (1, False), (4, True)):
        await review(client, mine["id"], word_id, correct)
    other = await study.launch_session(conn, learner_id=SECOND, group_id=1, activity_id=activity)
    for word_id in (1, 4, 5):
        await reviews.record_review(
            conn, learner_id=SECOND, session_id=other["id"], word_id=word_id, correct=True
        )
    await _assert_counters_recount(conn)

    await post(client, f"/api/study_sessions/{mine['id']}/undo")
    await post(client, f"/api/study_sessions/{mine['id']}/undo")
    await _assert_counters_recount(conn)
    assert (await get(client, "/api/dashboard/study_progress"))["total_words_studied"] == 2

    # deleting a word takes its reviews, for both learners, and their counts with them
    await conn.execute("DELETE FROM words WHERE id = 1")
    await _assert_counters_recount(conn)
    assert (await get(client, "/api/dashboard/study_progress"))["total_words_studied"] == 1
    session = await get(client, f"/api/study_sessions/{mine['id']}")
    assert (session["correct_count"], session["wrong_count"]) == (0, 1)
