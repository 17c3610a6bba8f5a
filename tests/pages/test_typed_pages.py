"""The "Type the answer" activity through the test client, on both databases."""

from __future__ import annotations

import re
from typing import Any

from tests.pages.test_pages import PARTIAL, csrf_token
from webapp.queries import seeds as seed_queries
from webapp.services.seeding import SeedContent, load_seed_content, seed


async def typed_activity_id(client: Any) -> int:
    body = await (await client.get("/api/study_activities")).get_json()
    [typed] = [a for a in body["items"] if a["name"] == "Type the answer"]
    assert typed["launch_url"] == f"/study_activities/{typed['id']}/launch", "built in"
    return int(typed["id"])


async def launch_typed(client: Any, group_id: int = 3) -> str:
    activity_id = await typed_activity_id(client)
    response = await client.post(
        f"/study_activities/{activity_id}/launch",
        form={"group_id": str(group_id), "csrf_token": await csrf_token(client)},
    )
    assert response.status_code == 303
    return response.headers["Location"]


async def current_card(client: Any, location: str) -> tuple[str, dict[str, Any]]:
    html = await (await client.get(location)).get_data(as_text=True)
    word_id = re.search(r'name="word_id" value="(\d+)"', html).group(1)  # type: ignore[union-attr]
    word = await (await client.get(f"/api/words/{word_id}")).get_json()
    return html, word


async def check(client: Any, location: str, word: dict[str, Any], answer: str, **extra: str):
    form = {
        "word_id": str(word["id"]),
        "answer": answer,
        "asks": "reading",
        "csrf_token": await csrf_token(client),
        **extra,
    }
    response = await client.post(f"{location}/check", form=form)
    return response, await response.get_data(as_text=True)


async def session_counts(client: Any, location: str) -> tuple[int, int]:
    session_id = location.split("/")[2]
    body = await (await client.get(f"/api/study_sessions/{session_id}")).get_json()
    return body["correct_count"], body["wrong_count"]


async def test_type_the_answer_is_a_built_in_activity_that_opens_its_own_page(client) -> None:
    location = await launch_typed(client)
    assert re.fullmatch(r"/study_sessions/\d+/typed", location)
    html, word = await current_card(client, location)
    assert "Type the reading" in html and "data-kana-input" in html
    assert "wanakana-5.3.1.min.js" in html
    assert f'<span lang="ja">{word["japanese"]}</span>' in html
    session_page = await (await client.get(location.rsplit("/", 1)[0])).get_data(as_text=True)
    assert f'href="{location}"' in session_page, "Continue studying returns to typing"


async def test_a_reading_typed_in_plain_romaji_is_right_and_recorded(client) -> None:
    location = await launch_typed(client)
    _, word = await current_card(client, location)
    response, html = await check(client, location, word, word["romaji"].upper())
    assert response.status_code == 200
    assert "✓ Right" in html and word["english"] in html
    assert await session_counts(client, location) == (1, 0)
    next_html, next_word = await current_card(client, location)
    assert next_word["id"] != word["id"] and re.search(r"2 / \d+", next_html)


async def test_kanji_typed_for_a_reading_asks_again_and_records_nothing(client) -> None:
    location = await launch_typed(client)
    _, word = await current_card(client, location)
    response, html = await check(client, location, word, "食べる")
    assert response.status_code == 422
    assert "not in kanji" in html and 'value="食べる"' in html
    assert await session_counts(client, location) == (0, 0)


async def test_a_wrong_reading_is_recorded_as_a_miss_and_shows_the_answer(client) -> None:
    location = await launch_typed(client)
    _, word = await current_card(client, location)
    response, html = await check(client, location, word, "zzzzzzzzzz".replace("z", "nu"))
    assert response.status_code == 200
    assert "Not this time" in html and word["romaji"] in html
    assert await session_counts(client, location) == (0, 1)


async def test_a_near_miss_waits_for_the_learner_then_i_was_right_counts_it(client) -> None:
    location = await launch_typed(client)
    _, word = await current_card(client, location)
    reading = word["kana"] or word["japanese"]
    near = reading[:-1] if len(reading) > 2 else reading + "ぬ"
    response, html = await check(client, location, word, near)
    assert response.status_code == 200
    assert "Almost" in html and "I was right" in html and "Count it as a miss" in html
    assert await session_counts(client, location) == (0, 0), "nothing recorded before the choice"
    settled = await client.post(
        f"{location}/answer",
        form={
            "word_id": str(word["id"]),
            "answer": near,
            "correct": "true",
            "csrf_token": await csrf_token(client),
        },
        headers={**PARTIAL, "HX-Target": "section#typed-card"},
    )
    fragment = await settled.get_data(as_text=True)
    assert settled.status_code == 200
    assert fragment.lstrip().startswith('<section id="typed-card"')
    assert re.search(r"2 / \d+", fragment)
    assert await session_counts(client, location) == (1, 0)


async def test_the_meaning_can_be_asked_instead(client) -> None:
    location = await launch_typed(client)
    html, word = await current_card(client, f"{location}?asks=meaning")
    assert "Type the meaning" in html and 'name="asks" value="meaning"' in html
    english = word["english"].split(";")[0]
    response, verdict = await check(client, location, word, english, asks="meaning")
    assert response.status_code == 200 and "✓ Right" in verdict
    response, asked_again = await check(client, location, word, "たべる", asks="meaning")
    assert response.status_code == 422 and "in English" in asked_again


async def test_a_targeted_swap_gets_only_the_card(client) -> None:
    location = await launch_typed(client)
    response = await client.get(location, headers={**PARTIAL, "HX-Target": "section#typed-card"})
    html = await response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="typed-card"') and "<html" not in html


async def test_bad_answers_to_the_typed_pages_are_clear_errors(client) -> None:
    location = await launch_typed(client)
    token = await csrf_token(client)
    missing = await client.get("/study_sessions/99999/typed")
    assert missing.status_code == 404
    unknown_word = await client.post(
        f"{location}/check", form={"word_id": "99999", "answer": "a", "csrf_token": token}
    )
    assert unknown_word.status_code == 404
    _, word = await current_card(client, location)
    no_choice = await client.post(
        f"{location}/answer", form={"word_id": str(word["id"]), "csrf_token": token}
    )
    assert no_choice.status_code == 422
    assert "I was right" in await no_choice.get_data(as_text=True)
    assert await session_counts(client, location) == (0, 0)


async def test_seeding_an_existing_portal_adds_the_typed_activity(conn) -> None:
    keys = await seed_queries.list_activity_seed_keys(conn)
    assert {"flashcards", "typed"} <= keys
    await conn.execute("DELETE FROM study_activities WHERE seed_key = 'typed'")
    content = load_seed_content()
    report = await seed(conn, SeedContent(content.groups, content.activities))
    assert report.activities_added == 1
    assert "typed" in await seed_queries.list_activity_seed_keys(conn)
    again = await seed(conn)
    assert again.activities_added == 0


async def test_the_same_answer_sent_twice_is_recorded_once(client) -> None:
    location = await launch_typed(client)
    _, word = await current_card(client, location)
    for _ in range(2):
        response, html = await check(client, location, word, word["romaji"], client_id="a-1")
        assert response.status_code == 200 and "✓ Right" in html
    assert await session_counts(client, location) == (1, 0)


async def test_undo_takes_back_a_typed_answer_and_asks_the_word_again(client) -> None:
    location = await launch_typed(client)
    _, word = await current_card(client, location)
    await check(client, location, word, "nununu", client_id="b-1")
    assert await session_counts(client, location) == (0, 1)
    token = await csrf_token(client)
    undone = await client.post(
        f"{location}/undo", form={"csrf_token": token, "preferred": "meaning"}
    )
    assert undone.status_code == 303
    assert undone.headers["Location"] == f"{location}?asks=meaning"
    assert await session_counts(client, location) == (0, 0)
    html, again = await current_card(client, location)
    assert again["id"] == word["id"] and re.search(r"1 / \d+", html)
    assert "Undo last answer" not in html, "nothing left to undo"
    # an undone answer's id stays spent: sending it again records nothing
    retry, _ = await check(client, location, word, "nununu", client_id="b-1")
    assert retry.status_code == 409
    assert await session_counts(client, location) == (0, 0)
    nothing = await client.post(f"{location}/undo", form={"csrf_token": token})
    assert nothing.status_code == 303
    assert "Nothing to undo" in await (await client.get(location)).get_data(as_text=True)
