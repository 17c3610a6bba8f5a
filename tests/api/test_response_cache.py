"""Rendered answers kept in memory: never stale, never someone else's.

Every GET read of the portal may be served from memory (webapp/response_cache.py);
these tests change the data every way it can change (the API, SQL behind the
app's back, another learner, the clock) and check the next answer shows it.
"""

from __future__ import annotations

from typing import Any

from tests.helpers import flashcards_id, get, launch, post, review
from webapp.db import Conn, parse_timestamp

GROUP = 1


async def _first_word(client: Any) -> int:
    body = await get(client, f"/api/groups/{GROUP}/words?page=1")
    return int(body["items"][0]["id"])


async def test_an_unchanged_answer_revalidates_as_304_without_a_body(client):
    first = await client.get("/api/groups/1")
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"].endswith("no-cache")
    again = await client.get("/api/groups/1", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert await again.get_data() == b""
    assert again.headers["ETag"] == tag


async def test_an_answer_shows_at_once_on_every_read_of_the_learner(client):
    session_id = (await launch(client, GROUP, await flashcards_id(client)))["id"]
    word_id = await _first_word(client)
    before_progress = await get(client, "/api/dashboard/study_progress")
    before_session = await get(client, f"/api/study_sessions/{session_id}")
    before_words = await get(client, f"/api/study_sessions/{session_id}/words")
    await review(client, session_id, word_id, True)
    after_progress = await get(client, "/api/dashboard/study_progress")
    after_session = await get(client, f"/api/study_sessions/{session_id}")
    after_words = await get(client, f"/api/study_sessions/{session_id}/words")
    assert after_progress["total_words_studied"] == before_progress["total_words_studied"] + 1
    assert after_session["review_items_count"] == before_session["review_items_count"] + 1
    assert after_words["pagination"]["total_items"] == before_words["pagination"]["total_items"] + 1


async def test_the_next_card_moves_on_after_each_answer_and_back_after_undo(client):
    session_id = (await launch(client, GROUP, await flashcards_id(client)))["id"]
    first = await get(client, f"/api/study_sessions/{session_id}/next")
    assert await get(client, f"/api/study_sessions/{session_id}/next") == first
    await review(client, session_id, first["word"]["id"], True)
    second = await get(client, f"/api/study_sessions/{session_id}/next")
    assert second["position"] == first["position"] + 1
    await post(client, f"/api/study_sessions/{session_id}/undo", {})
    assert await get(client, f"/api/study_sessions/{session_id}/next") == first


async def test_content_changed_behind_the_app_shows_on_the_next_read(client, conn: Conn):
    word_id = await _first_word(client)
    assert (await get(client, f"/api/words/{word_id}"))["english"] != "changed by SQL"
    page = await client.get(f"/words/{word_id}")
    assert "changed by SQL" not in await page.get_data(as_text=True)
    await conn.execute(
        "UPDATE words SET english = 'changed by SQL' WHERE id = :id", {"id": word_id}
    )
    assert (await get(client, f"/api/words/{word_id}"))["english"] == "changed by SQL"
    page = await client.get(f"/words/{word_id}")
    assert "changed by SQL" in await page.get_data(as_text=True)


async def test_a_learners_data_changed_behind_the_app_shows_on_the_next_read(client, conn: Conn):
    session_id = (await launch(client, GROUP, await flashcards_id(client)))["id"]
    await review(client, session_id, await _first_word(client), True)
    assert (await get(client, "/api/dashboard/quick_stats"))["total_study_sessions"] >= 1
    await conn.execute("DELETE FROM study_sessions")
    await conn.execute("UPDATE learner_stats SET sessions_count = 0")
    stats = await get(client, "/api/dashboard/quick_stats")
    assert stats["total_study_sessions"] == 0
    assert (await get(client, "/api/study_sessions"))["items"] == []


async def test_each_learner_gets_their_own_answer(client):
    session_id = (await launch(client, GROUP, await flashcards_id(client)))["id"]
    await review(client, session_id, await _first_word(client), True)
    mine = await get(client, "/api/dashboard/study_progress")
    created = await post(client, "/api/learners", {"name": "Second learner"}, status=201)
    theirs = await get(
        client, "/api/dashboard/study_progress", headers={"X-Learner-Token": created["token"]}
    )
    assert mine["total_words_studied"] == 1
    assert theirs["total_words_studied"] == 0
    assert await get(client, "/api/dashboard/study_progress") == mine


async def test_time_moves_due_counts_even_when_nothing_was_written(client, clock):
    session_id = (await launch(client, GROUP, await flashcards_id(client)))["id"]
    card = await review(client, session_id, await _first_word(client), True)
    assert (await get(client, "/api/dashboard/due"))["due_now"] == 0
    clock.set(parse_timestamp(card["schedule"]["due"]))
    clock.advance(seconds=1)
    assert (await get(client, "/api/dashboard/due"))["due_now"] == 1


async def test_a_page_is_kept_per_browser_with_its_own_form_token(app):
    first_browser, second_browser = app.test_client(), app.test_client()
    pages = []
    for browser in (first_browser, second_browser, first_browser):
        await browser.get("/dashboard")  # the first visit gets the session cookie
        response = await browser.get("/groups/1")
        pages.append(await response.get_data(as_text=True))
    assert pages[0] == pages[2]
    assert pages[0] != pages[1]  # the CSRF token in the page is each browser's own


async def test_turned_off_every_answer_is_rendered_anew(client_with):
    client = await client_with(RESPONSE_CACHE_MB=0)
    response = await client.get("/api/groups/1")
    assert response.status_code == 200
    assert "ETag" not in response.headers
