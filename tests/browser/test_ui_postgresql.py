"""One smoke test of the pages on PostgreSQL (the other browser tests run on SQLite)."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.helpers import seed_facts
from tests.helpers.browser import expect_column, expect_position, path_of, stat, wait_for_query

pytestmark = pytest.mark.browser


async def test_pages_on_postgresql(contexts, pg_portal) -> None:
    page, _ = await contexts.page(pg_portal)
    total = seed_facts().word_count
    await page.goto("/dashboard")
    await expect(page.get_by_role("heading", name="Welcome to Lang Portal")).to_be_visible()
    await expect(page.locator("#card-progress")).to_contain_text(f"0 / {total} words studied")

    # The words table sorts, and search keeps the sort.
    await page.goto("/words")
    await page.locator("#words-table-sort-english").click()
    await wait_for_query(page, sort="english", order="asc")
    await expect(page.locator("#words-table-sort-english").locator("..")).to_have_attribute(
        "aria-sort", "ascending"
    )
    await page.get_by_label("Search by Japanese, romaji or English").fill("タベル")
    await wait_for_query(page, q="タベル", sort="english", order="asc")
    await expect(page.get_by_role("link", name="食べる", exact=True)).to_be_visible()

    # A flashcard answer is recorded.
    await page.goto("/study_activities/1/launch")
    await page.get_by_label("Word group").select_option(label="Hobbies & Free Time (25 words)")
    await page.get_by_role("button", name="Launch now").click()
    await expect_position(page, "1 / 10")  # the daily allowance of new words
    front = (await page.locator("#flashcard .front").inner_text()).strip()
    await page.keyboard.press("Space")
    await expect(page.locator("#flashcard .answer")).to_be_visible()
    await page.keyboard.press("ArrowRight")
    await expect_position(page, "2 / 10")
    session_path = path_of(page).removesuffix("/flashcards")
    await page.goto(session_path)
    assert await stat(page, "main", "Reviews") == "1"
    await expect_column(page, "session-words", 1, [front])
    await expect_column(page, "session-words", 4, ["1"])

    await page.goto("/words?sort=correct_count&order=desc")
    await expect(page.locator("#words-table tbody tr").first).to_contain_text(front)
    await page.goto("/dashboard")
    await expect(page.locator("#card-last-session .correct")).to_contain_text("✓ 1")
    await expect(page.locator("#card-progress")).to_contain_text(
        re.compile(rf"1\s*/\s*{total} words studied")
    )
