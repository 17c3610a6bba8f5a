"""Every page: no horizontal scroll on a 360 px phone, a real 404 page, hostile text as text."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.helpers.browser import (
    HOSTILE,
    HOSTILE_ENGLISH,
    TINY_GROUP,
    expect_position,
    scroll_width,
    wait_for_query,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


async def launch_flashcards(page: Page, group_label: str) -> str:
    """Launch flashcards on a group through the form; returns the flashcards path."""
    await page.goto("/study_activities/1/launch")
    await page.get_by_label("Word group").select_option(label=group_label)
    await page.get_by_role("button", name="Launch now").click()
    await expect(page).to_have_url(re.compile(r"/study_sessions/\d+/flashcards$"))
    return page.url.removeprefix(page.url.split("/study_sessions")[0])


async def test_no_horizontal_scroll_at_360px(contexts, fresh_portal) -> None:
    page, watcher = await contexts.page(
        fresh_portal, viewport=PHONE, is_mobile=True, has_touch=True
    )
    flashcards = await launch_flashcards(page, f"{TINY_GROUP} (4 words)")
    session = flashcards.removesuffix("/flashcards")
    word_id = await page.locator("#flashcard input[name=reveal]").input_value()
    revealed = f"{flashcards}?reveal={word_id}"  # the no-JavaScript URL of a revealed card
    await page.get_by_role("button", name="Show answer").click()
    await page.get_by_role("button", name="✗ Wrong").click()
    await expect_position(page, "2 / 5")  # the missed word comes back at the end
    await page.goto("/words?q=taberu")
    word = await page.get_by_role("link", name="食べる", exact=True).get_attribute("href")
    watcher.expect_status(404, "/groups/999999")

    urls = [
        "/dashboard",
        "/study_activities",
        "/study_activities/1",
        "/study_activities/1/launch",
        "/words",
        "/words?sort=english&order=desc&page=2",
        f"{word}",
        "/groups",
        "/groups/1",
        "/groups/10",
        "/study_sessions",
        session,
        flashcards,
        revealed,
        "/settings",
        "/groups/999999",
    ]
    too_wide = {}
    for url in urls:
        await page.goto(url)
        await expect(page.locator("h1, #flashcard").first).to_be_visible()
        width = await scroll_width(page)
        if width > PHONE["width"]:
            too_wide[url] = width
    # The session summary at the end, too.
    await page.goto(flashcards)
    for _ in range(4):
        await page.get_by_role("button", name="Show answer").click()
        await page.get_by_role("button", name="✓ Right").click()
    await expect(page.get_by_role("heading", name="Session complete")).to_be_visible()
    if (width := await scroll_width(page)) > PHONE["width"]:
        too_wide["flashcards summary"] = width
    assert not too_wide, f"wider than {PHONE['width']} px: {too_wide}"


@pytest.mark.parametrize(
    "url",
    [
        "/words/999999",
        "/groups/999999",
        "/study_sessions/999999",
        "/study_sessions/999999/flashcards",
        "/study_activities/999999",
        "/study_activities/999999/launch",
        "/no/such/page",
    ],
)
async def test_unknown_id_shows_the_404_page(contexts, portal, url: str) -> None:
    page, watcher = await contexts.page(portal)
    watcher.expect_status(404, url)
    await page.goto("/words")
    response = await page.goto(url)
    assert response is not None and response.status == 404
    await expect(page).to_have_title(re.compile(r"^Page not found"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    await expect(page.locator(".big-number")).to_have_text("404")
    # "Go back" appears (there is a page to go back to) and works.
    await page.get_by_role("button", name="← Go back").click()
    await expect(page).to_have_url(re.compile(r"/words$"))
    await page.go_forward()
    await page.get_by_role("link", name="Back to the dashboard").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


async def assert_no_injected_markup(page: Page) -> None:
    """No element came from the hostile text: it is all in text nodes."""
    injected = await page.evaluate(
        """() => document.querySelectorAll(
            'body script, body img[src="x"], main b, [onerror]').length"""
    )
    assert injected == 0


async def test_hostile_names_render_as_text(contexts, fresh_portal) -> None:
    page, _ = await contexts.page(fresh_portal)
    ids = fresh_portal.ids

    # The group page: heading, breadcrumb, title, and the word in its table.
    await page.goto(f"/groups/{ids['hostile_group']}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(HOSTILE)
    await expect(page).to_have_title(f"{HOSTILE} · Lang Portal")
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    await expect(crumbs.locator("[aria-current=page]")).to_have_text(HOSTILE)
    table = page.locator("#group-words")
    await expect(table.get_by_role("link", name=HOSTILE, exact=True)).to_be_visible()
    await expect(table).to_contain_text(HOSTILE_ENGLISH)
    await assert_no_injected_markup(page)

    # The word page, and the words search.
    await table.get_by_role("link", name=HOSTILE, exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(HOSTILE)
    await expect(page.locator("main")).to_contain_text(HOSTILE_ENGLISH)
    await expect(page.locator("main").get_by_role("link", name=HOSTILE)).to_be_visible()
    await assert_no_injected_markup(page)
    await page.goto("/words")
    await page.get_by_label("Search by Japanese, romaji or English").fill("sukuriputo")
    await wait_for_query(page, q="sukuriputo")
    await expect(page.locator("#words-table tbody tr")).to_have_count(1)
    await expect(page.locator("#words-table")).to_contain_text(HOSTILE_ENGLISH)
    await assert_no_injected_markup(page)
    await page.get_by_label("Search by Japanese, romaji or English").fill(HOSTILE)
    await wait_for_query(page, q=HOSTILE)
    await expect(page.locator("#words-table tbody tr")).to_have_count(1)
    await page.reload()
    await expect(page.get_by_label("Search by Japanese, romaji or English")).to_have_value(HOSTILE)
    await expect(page.locator("#words-table caption")).to_contain_text(HOSTILE)
    await assert_no_injected_markup(page)

    # Study the group: the launch list, the card, the summary, sessions and dashboard.
    await page.goto("/study_activities/1/launch")
    await expect(page.get_by_label("Word group").locator("option", has_text=HOSTILE)).to_have_count(
        1
    )
    await launch_flashcards(page, f"{HOSTILE} (2 words)")
    card = page.locator("#flashcard")
    await expect(card.locator(".progress-line")).to_contain_text(HOSTILE)
    for answer in ("✗ Wrong", "✗ Wrong", "✓ Right", "✓ Right"):  # the missed words come back
        await page.get_by_role("button", name="Show answer").click()
        await expect(card.locator(".answer")).to_be_visible()
        await page.get_by_role("button", name=answer).click()
    await expect(card.get_by_role("heading", name="Session complete")).to_be_visible()
    await expect(card.locator("a.pill", has_text=HOSTILE)).to_be_visible()
    await assert_no_injected_markup(page)
    await page.goto("/study_sessions")
    await expect(page.locator("#sessions-table").get_by_role("link", name=HOSTILE)).to_be_visible()
    await page.goto("/dashboard")
    await expect(
        page.locator("#card-last-session").get_by_role("link", name=HOSTILE)
    ).to_be_visible()
    await page.locator("#refresh-last-session").click()
    await expect(
        page.locator("#card-last-session").get_by_role("link", name=HOSTILE)
    ).to_be_visible()
    await assert_no_injected_markup(page)
