"""The flashcards page on the study engine, without JavaScript: kana on the answer
side, undo by a plain form, the "nothing due" state, and the study settings form."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from webapp.db import set_clock

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


async def _token(client) -> str:
    html = await (await client.get("/settings")).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


async def _launch(client, token: str, mode: str | None = None) -> str:
    form = {"group_id": "3", "csrf_token": token} | ({"mode": mode} if mode else {})
    response = await client.post("/study_activities/1/launch", form=form)
    assert response.status_code == 303
    return response.headers["Location"]


async def _card_id(client, location: str) -> str | None:
    html = await (await client.get(location)).get_data(as_text=True)
    match = re.search(r'name="reveal" value="(\d+)"', html)
    return match.group(1) if match else None


async def _answer(client, location: str, token: str, word_id: str, correct: str) -> None:
    response = await client.post(
        f"{location}/answer", form={"word_id": word_id, "correct": correct, "csrf_token": token}
    )
    assert response.status_code == 303


async def test_the_answer_side_shows_the_reading_in_kana(client) -> None:
    token = await _token(client)
    location = await _launch(client, token)
    word_id = await _card_id(client, location)
    word = await (await client.get(f"/api/words/{word_id}")).get_json()
    html = await (await client.get(location, query_string={"reveal": word_id})).get_data(
        as_text=True
    )
    if word["kana"] != word["japanese"]:
        assert '<p class="kana">' in html and word["kana"] in html
    assert word["romaji"] in html and word["english"] in html


async def test_undo_by_form_brings_the_card_back_and_removes_the_answer(client) -> None:
    token = await _token(client)
    location = await _launch(client, token)
    first = await _card_id(client, location)
    html = await (await client.get(location)).get_data(as_text=True)
    assert "Undo last answer" not in html, "nothing to undo before the first answer"
    await _answer(client, location, token, first, "false")  # type: ignore[arg-type]
    assert await _card_id(client, location) != first
    html = await (await client.get(location)).get_data(as_text=True)
    assert f'action="{location}/undo"' in html

    response = await client.post(f"{location}/undo", form={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == location
    assert await _card_id(client, location) == first
    session = await (await client.get(f"/api/study_sessions/{location.split('/')[2]}")).get_json()
    assert session["review_items_count"] == 0
    word = await (await client.get(f"/api/words/{first}")).get_json()
    assert (word["wrong_count"], word["schedule"]) == (0, None)

    # with htmx the widget swaps itself; an undo with nothing left says so and loses nothing
    fragment = await client.post(f"{location}/undo", form={"csrf_token": token}, headers=PARTIAL)
    assert fragment.status_code == 200
    assert (await fragment.get_data(as_text=True)).lstrip().startswith('<section id="flashcard"')
    refused = await client.post(f"{location}/undo", form={})
    assert refused.status_code in (400, 403), "undo is an unsafe request: CSRF applies"


async def test_nothing_due_shows_the_next_due_time_and_the_two_other_ways(client) -> None:
    moment = datetime(2026, 11, 23, 9, tzinfo=UTC)
    set_clock(lambda: moment)
    try:
        token = await _token(client)
        location = await _launch(client, token)
        answered = 0
        while (word_id := await _card_id(client, location)) is not None:
            await _answer(client, location, token, word_id, "false" if answered == 0 else "true")
            answered += 1
        assert answered == 11, "10 new words and the missed one again"
        later = await _launch(client, token)
        html = await (await client.get(later)).get_data(as_text=True)
        assert "Nothing to study now" in html and "Nothing is due in this group" in html
        assert re.search(r'<time datetime="2026-11-23T09:\d\d:\d\dZ"', html), "next due time"
        assert 'name="mode" value="ahead"' in html and 'name="mode" value="missed"' in html
        ahead = await _launch(client, token, mode="ahead")
        assert await _card_id(client, ahead) is not None, "study ahead has cards"
    finally:
        set_clock(None)


async def test_study_settings_form_saves_and_refuses_bad_values(client) -> None:
    token = await _token(client)
    saved = await client.post(
        "/settings/study",
        form={"new_words_per_day": "3", "session_length": "7", "timezone": "Asia/Tokyo",
              "csrf_token": token},
    )  # fmt: skip
    assert saved.status_code == 303
    settings = await (await client.get("/api/study_settings")).get_json()
    assert settings == {"new_words_per_day": 3, "session_length": 7, "timezone": "Asia/Tokyo"}
    refused = await client.post(
        "/settings/study",
        form={"new_words_per_day": "3", "session_length": "0", "timezone": "Asia/Tokyo",
              "csrf_token": token},
    )  # fmt: skip
    assert refused.status_code == 422
    html = await refused.get_data(as_text=True)
    assert "session_length" in html and 'aria-invalid="true"' in html
    assert (await (await client.get("/api/study_settings")).get_json())["session_length"] == 7
