"""With JavaScript off every link and form still works as a plain request."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.helpers.browser import (
    TINY_GROUP,
    expect_column,
    expect_page_of,
    expect_position,
    path_of,
    stat,
    wait_for_url_query,
)

pytestmark = pytest.mark.browser

NAV = [
    ("Study Activities", "/study_activities", "Study activities"),
    ("Words", "/words", "Words"),
    ("Word Groups", "/groups", "Word groups"),
    ("Sessions", "/study_sessions", "Study sessions"),
    ("Settings", "/settings", "Settings"),
    ("Dashboard", "/dashboard", "Dashboard"),
]


async def test_navigation_and_words_table_without_javascript(contexts, portal) -> None:
    page, _ = await contexts.page(portal, java_script_enabled=False)
    await page.goto("/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    nav = page.get_by_role("navigation", name="Main")
    for label, path, heading in NAV:
        await nav.get_by_role("link", name=label).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert path_of(page) == path
        await expect(nav.get_by_role("link", name=label)).to_have_attribute("aria-current", "page")

    # Sort and page by following the links.
    await page.goto("/words")
    await page.get_by_role("link", name=re.compile(r"^English")).click()
    await wait_for_url_query(page, sort="english", order="asc", page="1")
    english = [
        t.strip()
        for t in await page.locator("#words-table tbody td:nth-child(3)").all_inner_texts()
    ]
    assert english == sorted(english)
    await page.get_by_role("link", name="Next →").click()
    await wait_for_url_query(page, sort="english", order="asc", page="2")
    await expect_page_of(page, "words-table", 2)
    await page.get_by_role("link", name="← Previous").click()
    await expect_page_of(page, "words-table", 1)
    await expect_column(page, "words-table", 3, english)

    # Search by submitting the form (Enter): the sort is kept.
    await page.get_by_label("Search by Japanese, romaji or English").fill("タベル")
    await page.get_by_label("Search by Japanese, romaji or English").press("Enter")
    await wait_for_url_query(page, q="タベル", sort="english", order="asc")
    await expect(page.get_by_role("link", name="食べる", exact=True)).to_be_visible()
    # And with the button.
    await page.get_by_label("Search by Japanese, romaji or English").fill("taberu")
    await page.get_by_role("button", name="Search").click()
    await wait_for_url_query(page, q="taberu", sort="english", order="asc")
    await expect(page.get_by_role("link", name="食べる", exact=True)).to_be_visible()

    # The dashboard card's refresh link is a plain link to the dashboard.
    await page.goto("/dashboard")
    async with page.expect_navigation(url=re.compile(r"/dashboard$")):
        await page.get_by_role("link", name="Refresh quick stats").click()


async def test_launch_and_answer_flashcards_without_javascript(contexts, fresh_portal) -> None:
    page, _ = await contexts.page(fresh_portal, java_script_enabled=False)
    await page.goto("/study_activities")
    await page.get_by_role("link", name="Launch Flashcards").click()
    launch = page.get_by_role("button", name="Launch now")
    await expect(launch).to_be_enabled()  # app.js is what disables it
    await page.get_by_label("Word group").select_option(label=f"{TINY_GROUP} (4 words)")
    await launch.click()
    await page.wait_for_url(re.compile(r"/study_sessions/\d+/flashcards$"))
    session_path = path_of(page).removesuffix("/flashcards")
    await expect_position(page, "1 / 4")

    # Reveal: a GET form; answer: a POST answered with 303 to the next card.
    await page.get_by_role("button", name="Show answer").click()
    await page.wait_for_url(re.compile(r"/flashcards\?reveal=\d+$"))
    await expect(page.locator("#flashcard .answer .romaji")).to_be_visible()
    async with page.expect_response(re.compile(r"/flashcards/answer$")) as answer:
        await page.get_by_role("button", name="✓ Right").click()
    assert (await answer.value).status == 303
    await expect_position(page, "2 / 4")
    assert path_of(page).endswith("/flashcards")
    await page.get_by_role("button", name="Show answer").click()
    await page.get_by_role("button", name="✗ Wrong").click()
    await expect_position(page, "3 / 5")  # the missed word comes back at the end

    # The session page counts both answers.
    await page.goto(session_path)
    assert await stat(page, "main", "Reviews") == "2"
    await expect(page.locator("#session-words tbody tr")).to_have_count(2)
