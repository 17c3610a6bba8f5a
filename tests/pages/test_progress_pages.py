"""The dashboard's Due card and the word page's schedule, on both databases."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from tests.pages.test_pages import PARTIAL, csrf_token
from tests.pages.test_typed_pages import check, current_card, launch_typed


async def answer_two(client) -> list[dict]:
    """Answer two typed cards of Core Verbs (one right, one wrong): both get a schedule."""
    groups = await (await client.get("/api/groups?per_page=100")).get_json()
    verbs = next(g["id"] for g in groups["items"] if g["name"] == "Core Verbs")
    location = await launch_typed(client, group_id=verbs)
    answered = []
    for typed in ("right", "nununu"):
        _, word = await current_card(client, location)
        await check(client, location, word, word["romaji"] if typed == "right" else typed)
        answered.append(word)
    return answered


def dd_after(html: str, label: str) -> str:
    match = re.search(rf"<dt>{label}</dt><dd[^>]*>(.*?)</dd>", html, re.S)
    assert match, label
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


async def test_the_due_card_matches_the_due_api_and_has_a_text_alternative(client) -> None:
    await answer_two(client)
    due = await (await client.get("/api/dashboard/due")).get_json()
    assert due["due_today"] == 2, "both words come back today (learning steps)"
    html = await (await client.get("/dashboard")).get_data(as_text=True)
    assert dd_after(html, "Due now") == str(due["due_now"])
    assert dd_after(html, "Due today") == str(due["due_today"])
    assert dd_after(html, "Known words") == str(due["known_words"])
    assert 'role="img"' in html and 'aria-describedby="forecast-table"' in html
    rows = re.findall(
        r'<tr><td><time datetime="([\d-]+)">[^<]+</time></td><td>(\d+)</td></tr>', html
    )
    assert rows == [(day["date"], str(day["count"])) for day in due["forecast"]]
    assert len(re.findall(r'<rect class="bar', html)) == 7
    card = await client.get(
        "/dashboard/cards/due", headers={**PARTIAL, "HX-Target": "section#card-due"}
    )
    fragment = await card.get_data(as_text=True)
    assert card.status_code == 200 and fragment.lstrip().startswith("<section")
    assert 'id="card-due"' in fragment.split(">", 1)[0] and "<html" not in fragment


async def test_the_word_page_shows_reading_next_review_and_recall_in_the_learners_zone(
    client,
) -> None:
    untouched = await (await client.get("/words/1")).get_data(as_text=True)
    assert "Not studied yet" in untouched
    right, _ = await answer_two(client)
    token = await csrf_token(client)
    saved = await client.post(
        "/settings/study",
        form={
            "csrf_token": token,
            "new_words_per_day": "10",
            "session_length": "20",
            "timezone": "Asia/Tokyo",
        },
    )
    assert saved.status_code == 303
    html = await (await client.get(f"/words/{right['id']}")).get_data(as_text=True)
    api = await (await client.get(f"/api/words/{right['id']}")).get_json()
    due = datetime.fromisoformat(api["schedule"]["due"].replace("Z", "+00:00"))
    local = due.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"{local:%H:%M} (Asia/Tokyo)" in dd_after(html, "Next review")
    assert dd_after(html, "Recall now") == f"{round(api['schedule']['retrievability'] * 100)}%"
    assert right["kana"] != right["japanese"], "a verb written in kanji"
    assert dd_after(html, "Reading") == right["kana"]
    dashboard = await (await client.get("/dashboard")).get_data(as_text=True)
    assert "Days in Asia/Tokyo." in dashboard and "Set your time zone" not in dashboard


async def test_mastery_counts_known_words_not_words_seen(client) -> None:
    await answer_two(client)
    html = await (await client.get("/dashboard")).get_data(as_text=True)
    assert "Mastery 0.0%" in html and "(0 known" in html, "two words seen once are not known"
