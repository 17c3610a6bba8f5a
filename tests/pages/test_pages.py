"""The HTML pages through the test client: full page or fragment, errors, CSRF, escaping."""

from __future__ import annotations

import re

import pytest

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}
HOSTILE = "<script>alert(1)</script>"

# (url, the htmx target id of a region on that page, text only the full page has)
PAGES_WITH_REGIONS = [
    ("/words?sort=english&order=desc&page=2", "words-table", 'id="words-search"'),
    ("/groups?sort=word_count", "groups-table", "<h1>Word Groups</h1>"),
    ("/groups/3", "group-words", "Share this group"),
    ("/groups/3?sessions_page=1", "group-sessions", "Share this group"),
    ("/study_sessions", "sessions-table", "<h1>"),
    ("/study_activities/1", "activity-sessions", "<h1>Flashcards</h1>"),
]
PLAIN_PAGES = [
    "/dashboard",
    "/study_activities",
    "/study_activities/1/launch",
    "/words/1",
    "/settings",
]


async def csrf_token(client) -> str:
    html = await (await client.get("/settings")).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "every page carries the session's CSRF token"
    return match.group(1)


async def launch_flashcards(client, group_id: int = 3) -> str:
    token = await csrf_token(client)
    response = await client.post(
        "/study_activities/1/launch", form={"group_id": str(group_id), "csrf_token": token}
    )
    assert response.status_code == 303
    return response.headers["Location"]


def _card_word_id(html: str) -> str:
    """The id of the word on the flashcard (its "Reveal" button's value)."""
    found = re.search(r'name="reveal" value="(\d+)"', html)
    assert found, html[:500]
    return found.group(1)


async def test_root_goes_to_the_dashboard(client) -> None:
    response = await client.get("/")
    assert response.status_code in (301, 302, 303)
    assert response.headers["Location"].endswith("/dashboard")


@pytest.mark.parametrize("url", PLAIN_PAGES + [u for u, _, _ in PAGES_WITH_REGIONS])
async def test_every_page_renders_in_full_with_navigation(client, url: str) -> None:
    response = await client.get(url)
    html = await response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.startswith("<!doctype html>")
    for link in (
        "/dashboard",
        "/study_activities",
        "/words",
        "/groups",
        "/study_sessions",
        "/settings",
    ):
        assert f'href="{link}"' in html
    assert "htmx-4.0.1.min.js" in html
    assert "HX-Request-Type" in response.headers.get("Vary", "")


@pytest.mark.parametrize(("url", "region", "page_only"), PAGES_WITH_REGIONS)
async def test_htmx_swap_gets_only_the_targeted_region(
    client, url: str, region: str, page_only: str
) -> None:
    response = await client.get(url, headers={**PARTIAL, "HX-Target": f"div#{region}"})
    html = await response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<div id="{region}"')
    assert "<html" not in html and page_only not in html
    assert (
        "HX-Request" in response.headers["Vary"] and "HX-Request-Type" in response.headers["Vary"]
    )


async def test_history_restore_gets_the_full_page(client) -> None:
    headers = {**PARTIAL, "HX-History-Restore-Request": "true", "HX-Target": "div#words-table"}
    html = await (await client.get("/words?page=2", headers=headers)).get_data(as_text=True)
    assert html.startswith("<!doctype html>")


@pytest.mark.parametrize("card", ["last_session", "progress", "stats"])
async def test_dashboard_cards_have_routes_of_their_own(client, card: str) -> None:
    response = await client.get(f"/dashboard/cards/{card}", headers=PARTIAL)
    html = await response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith("<section") and "<html" not in html


async def test_fresh_install_dashboard_shows_a_first_step(client) -> None:
    html = await (await client.get("/dashboard")).get_data(as_text=True)
    assert "Welcome" in html and 'href="/study_activities"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/words/999999",
        "/groups/999999",
        "/study_sessions/999999",
        "/study_activities/999999",
        "/study_sessions/99999/flashcards",
        "/words/99999999999999999999",
        "/no-such-page",
    ],
)
async def test_unknown_ids_give_the_404_page_with_a_way_back(client, url: str) -> None:
    response = await client.get(url)
    html = await response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<!doctype html>" in html and 'href="/dashboard"' in html


async def test_bad_query_parameters_give_a_400_page_not_a_crash(client) -> None:
    for url in ("/words?page=abc", "/words?sort=nope", "/groups?order=sideways"):
        response = await client.get(url)
        assert response.status_code == 400
        assert 'href="/dashboard"' in await response.get_data(as_text=True)


async def test_words_search_finds_a_word_in_any_script(client) -> None:
    for query in ("taberu", "たべる", "タベル", "to eat"):
        html = await (await client.get("/words", query_string={"q": query})).get_data(as_text=True)
        assert "食べる" in html, query


@pytest.mark.parametrize(
    ("url", "form"),
    [
        ("/study_activities/1/launch", {"group_id": "3"}),
        ("/settings/theme", {"theme": "dark"}),
        ("/settings/reset_history", {"confirm": "reset me"}),
    ],
)
async def test_forms_without_the_csrf_token_are_refused(client, url: str, form: dict) -> None:
    await client.get("/settings")  # a session exists, but the form lacks its token
    response = await client.post(url, form=form)
    assert response.status_code == 403
    sessions = await (await client.get("/api/study_sessions")).get_json()
    assert sessions["pagination"]["total_items"] == 0


async def test_csrf_token_also_accepted_as_htmx_header(client) -> None:
    token = await csrf_token(client)
    response = await client.post(
        "/study_activities/1/launch", form={"group_id": "3"}, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 303


async def test_launch_without_a_group_re_renders_the_form_with_a_message(client) -> None:
    token = await csrf_token(client)
    for value in ("", "abc", "999999"):
        response = await client.post(
            "/study_activities/1/launch", form={"group_id": value, "csrf_token": token}
        )
        html = await response.get_data(as_text=True)
        assert response.status_code == 422
        assert 'class="field-error"' in html and "<form" in html


async def test_flashcards_answer_without_javascript_records_reviews(client) -> None:
    location = await launch_flashcards(client)
    token = await csrf_token(client)
    answered = []
    for correct in ("true", "false", "true"):
        html = await (await client.get(location)).get_data(as_text=True)
        word_id = _card_word_id(html)
        revealed = await (await client.get(location, query_string={"reveal": word_id})).get_data(
            as_text=True
        )
        assert "✓ Right" in revealed
        response = await client.post(
            f"{location}/answer", form={"word_id": word_id, "correct": correct, "csrf_token": token}
        )
        assert response.status_code == 303
        answered.append(word_id)
    assert len(set(answered)) == 3, "each answer moves on to a new card"
    session_id = location.split("/")[2]
    session = await (await client.get(f"/api/study_sessions/{session_id}")).get_json()
    assert (session["review_items_count"], session["correct_count"]) == (3, 2)
    html = await (await client.get(location)).get_data(as_text=True)
    # a new learner's session: the daily allowance of 10 new words, plus the
    # wrong answer's word once more at the end
    assert "4 / 11" in html


async def test_flashcard_answer_by_htmx_swaps_in_the_next_card(client) -> None:
    location = await launch_flashcards(client)
    token = await csrf_token(client)
    html = await (await client.get(location)).get_data(as_text=True)
    word_id = _card_word_id(html)
    response = await client.post(
        f"{location}/answer",
        form={"word_id": word_id, "correct": "true", "csrf_token": token},
        headers={**PARTIAL, "HX-Target": "section#flashcard"},
    )
    fragment = await response.get_data(as_text=True)
    assert response.status_code == 200
    assert fragment.lstrip().startswith('<section id="flashcard"') and "2 / 10" in fragment


async def test_a_finished_session_shows_the_summary_with_missed_words(client) -> None:
    location = await launch_flashcards(client, group_id=3)
    token = await csrf_token(client)
    missed = None
    shown = []
    for index in range(11):  # 10 new words, then the missed one again
        html = await (await client.get(location)).get_data(as_text=True)
        word_id = _card_word_id(html)
        shown.append(word_id)
        if index == 0:
            missed = word_id
        correct = "false" if index == 0 else "true"
        await client.post(
            f"{location}/answer", form={"word_id": word_id, "correct": correct, "csrf_token": token}
        )
    html = await (await client.get(location)).get_data(as_text=True)
    assert shown[-1] == missed, "the word answered wrong came back at the end"
    assert "Session complete" in html
    assert "✓ 10 right" in html and "✗ 1 wrong" in html
    assert f'href="/words/{missed}"' in html


async def test_theme_choice_is_rendered_by_the_server(client) -> None:
    token = await csrf_token(client)
    response = await client.post("/settings/theme", form={"theme": "dark", "csrf_token": token})
    assert response.status_code == 303
    html = await (await client.get("/dashboard")).get_data(as_text=True)
    assert 'data-theme="dark"' in html


async def test_reset_history_needs_the_typed_confirmation(client) -> None:
    await launch_flashcards(client)
    token = await csrf_token(client)
    refused = await client.post(
        "/settings/reset_history", form={"confirm": "yes", "csrf_token": token}
    )
    assert refused.status_code == 422
    assert "reset me" in await refused.get_data(as_text=True)
    assert (await (await client.get("/api/study_sessions")).get_json())["pagination"][
        "total_items"
    ] == 1
    done = await client.post(
        "/settings/reset_history", form={"confirm": "reset me", "csrf_token": token}
    )
    assert done.status_code == 303
    assert (await (await client.get("/api/study_sessions")).get_json())["pagination"][
        "total_items"
    ] == 0
    assert "has been reset" in await (await client.get("/settings")).get_data(as_text=True)


async def test_reset_from_another_machine_is_refused_without_a_token(client) -> None:
    await launch_flashcards(client)
    token = await csrf_token(client)
    response = await client.post(
        "/settings/reset_history",
        form={"confirm": "reset me", "csrf_token": token},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert response.status_code == 403
    assert "ADMIN_TOKEN" in await response.get_data(as_text=True)
    assert (await (await client.get("/api/study_sessions")).get_json())["pagination"][
        "total_items"
    ] == 1


async def test_hostile_text_is_escaped_on_every_page(client, conn) -> None:
    await conn.execute(
        "UPDATE words SET japanese = :t, english = :t, romaji = :t WHERE id = 1", {"t": HOSTILE}
    )
    await conn.execute("UPDATE groups SET name = :t WHERE id = 1", {"t": HOSTILE})
    location = await launch_flashcards(client, group_id=1)
    session_id = location.split("/")[2]
    token = await csrf_token(client)
    await client.post(
        f"{location}/answer", form={"word_id": "1", "correct": "false", "csrf_token": token}
    )
    urls = [
        "/dashboard",
        "/words",
        "/words?q=%3Cscript",
        "/words/1",
        "/groups",
        "/groups/1",
        "/study_sessions",
        f"/study_sessions/{session_id}",
        location,
        "/study_activities/1",
        "/study_activities/1/launch",
    ]
    for url in urls:
        html = await (await client.get(url)).get_data(as_text=True)
        assert HOSTILE not in html, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in await (await client.get("/words/1")).get_data(
        as_text=True
    )
