"""The words table: sort, page and search live in the URL; reload and back keep the state."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.helpers.browser import (
    column_texts,
    expect_column,
    expect_page_of,
    query_of,
    wait_for_query,
)

pytestmark = pytest.mark.browser

TABLE = "words-table"


async def test_sort_page_reload_and_back(contexts, portal) -> None:
    page, _ = await contexts.page(portal)
    await page.goto("/words")
    await expect_page_of(page, TABLE, 1)
    default_first = await column_texts(page, TABLE, 2)
    assert len(default_first) == 50

    # Sort by romaji: ascending, with an arrow and aria-sort; the URL says so.
    await page.locator(f"#{TABLE}-sort-romaji").click()
    await wait_for_query(page, sort="romaji", order="asc")
    header = page.locator(f"#{TABLE} th", has=page.locator(f"#{TABLE}-sort-romaji"))
    await expect(header).to_have_attribute("aria-sort", "ascending")
    await expect(header).to_contain_text("▲")
    ascending = await column_texts(page, TABLE, 2)
    assert ascending == sorted(ascending) and ascending != default_first

    # Click again: descending.
    await page.locator(f"#{TABLE}-sort-romaji").click()
    await wait_for_query(page, sort="romaji", order="desc")
    await expect(header).to_have_attribute("aria-sort", "descending")
    descending = await column_texts(page, TABLE, 2)
    assert descending == sorted(descending, reverse=True)
    assert descending[0] >= ascending[-1]

    # Next page keeps the sort.
    await page.locator(f"#{TABLE}-next").click()
    await wait_for_query(page, sort="romaji", order="desc", page="2")
    await expect_page_of(page, TABLE, 2)
    page_two = await column_texts(page, TABLE, 2)
    assert page_two[0] <= descending[-1] and page_two != descending

    # Reload: the same state comes back from the server.
    await page.reload()
    await expect_page_of(page, TABLE, 2)
    await expect_column(page, TABLE, 2, page_two)
    await expect(header).to_have_attribute("aria-sort", "descending")

    # Back: page 1 (descending), then ascending, then the default order.
    await page.go_back()
    await wait_for_query(page, sort="romaji", order="desc", page="1")
    await expect_page_of(page, TABLE, 1)
    await expect_column(page, TABLE, 2, descending)
    await page.go_back()
    await wait_for_query(page, sort="romaji", order="asc")
    await expect_column(page, TABLE, 2, ascending)
    await page.go_back()
    await wait_for_query(page, sort=None, order=None)
    await expect_column(page, TABLE, 2, default_first)
    await expect(header).not_to_have_attribute("aria-sort", re.compile(".*"))
    # Forward again works too.
    await page.go_forward()
    await wait_for_query(page, sort="romaji", order="asc")
    await expect_column(page, TABLE, 2, ascending)


async def test_sort_numeric_columns(contexts, portal) -> None:
    page, _ = await contexts.page(portal)
    await page.goto("/words?sort=english&order=desc&page=3")
    await expect_page_of(page, TABLE, 3)
    english = await column_texts(page, TABLE, 3)
    assert english == sorted(english, reverse=True)
    await page.locator(f"#{TABLE}-sort-wrong_count").click()
    # A new sort starts on page 1.
    await wait_for_query(page, sort="wrong_count", order="asc", page="1")
    await expect_page_of(page, TABLE, 1)
    wrong = [int(v) for v in await column_texts(page, TABLE, 5)]
    assert wrong == sorted(wrong)


@pytest.mark.parametrize("typed", ["taberu", "たべる", "タベル"])
async def test_search_finds_taberu_in_any_script(contexts, portal, typed: str) -> None:
    page, _ = await contexts.page(portal)
    await page.goto("/words")
    search = page.get_by_label("Search by Japanese, romaji or English")
    await search.fill(typed)  # htmx searches as you type
    await wait_for_query(page, q=typed)
    table = page.locator(f"#{TABLE}")
    await expect(table.get_by_role("link", name="食べる", exact=True)).to_be_visible()
    rows = await column_texts(page, TABLE, 1)
    assert 0 < len(rows) < 50
    # The pushed URL renders the same when reloaded.
    await page.reload()
    await expect(search).to_have_value(typed)
    await expect_column(page, TABLE, 1, rows)


async def test_search_keeps_sort_and_sort_keeps_search(contexts, portal) -> None:
    page, _ = await contexts.page(portal)
    await page.goto("/words?sort=english&order=asc")
    await page.get_by_label("Search by Japanese, romaji or English").fill("eat")
    await wait_for_query(page, q="eat", sort="english", order="asc")
    english = await column_texts(page, TABLE, 3)
    assert english, "some words match eat"
    assert english == sorted(english)
    await page.locator(f"#{TABLE}-sort-english").click()
    await wait_for_query(page, q="eat", sort="english", order="desc")
    await expect_column(page, TABLE, 3, sorted(english, reverse=True))


async def test_search_without_matches_says_so(contexts, portal) -> None:
    page, _ = await contexts.page(portal)
    await page.goto("/words")
    await page.get_by_label("Search by Japanese, romaji or English").fill("zzqqxx")
    await wait_for_query(page, q="zzqqxx")
    await expect(page.locator(f"#{TABLE}")).to_contain_text("No words match “zzqqxx”")
    await page.get_by_role("link", name="Show all words").click()
    await expect_page_of(page, TABLE, 1)
    assert "q" not in query_of(page)


async def test_word_page_links_to_its_groups(contexts, portal) -> None:
    page, _ = await contexts.page(portal)
    await page.goto("/words?q=taberu")
    await page.locator(f"#{TABLE}").get_by_role("link", name="食べる", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/words/\d+$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("食べる")
    await expect(page.locator("h1 [lang=ja]")).to_have_count(1)
    await page.get_by_role("link", name="Core Verbs").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Core Verbs")
