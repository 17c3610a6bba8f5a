"""Settings: the theme comes back from the server; resets need the typed confirmation."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.helpers.browser import TINY_GROUP, expect_position, stat

pytestmark = pytest.mark.browser


async def test_dark_theme_is_rendered_by_the_server(contexts, portal) -> None:
    page, _ = await contexts.page(portal)
    await page.goto("/settings")
    await expect(page.locator("html")).to_have_attribute("data-theme", "system")
    await page.get_by_label("Dark").check()
    await page.get_by_role("button", name="Save theme").click()
    await expect(page.locator(".flash-success")).to_have_text("Theme set to dark.")
    await expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    await expect(page.get_by_label("Dark")).to_be_checked()

    # A reload and another page: the server writes the attribute (no script sets it).
    response = await page.reload()
    assert response is not None
    assert '<html lang="en" data-theme="dark">' in await response.text()
    await expect(page.locator(".flash")).to_have_count(0)  # the message was shown once
    response = await page.goto("/words")
    assert response is not None and 'data-theme="dark"' in await response.text()
    background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(v) for v in re.findall(r"\d+", background)[:3])
    assert red + green + blue < 3 * 100, f"a dark background, got {background}"

    # Back to light.
    await page.goto("/settings")
    await page.get_by_label("Light").check()
    await page.get_by_role("button", name="Save theme").click()
    await expect(page.locator("html")).to_have_attribute("data-theme", "light")


async def study_one_card(page: Page) -> str:
    """Launch flashcards on the tiny group and answer one card; returns the session path."""
    await page.goto("/study_activities/1/launch")
    await page.get_by_label("Word group").select_option(label=f"{TINY_GROUP} (4 words)")
    await page.get_by_role("button", name="Launch now").click()
    await expect_position(page, "1 / 4")
    await page.get_by_role("button", name="Show answer").click()
    await page.get_by_role("button", name="✓ Right").click()
    await expect_position(page, "2 / 4")
    return page.url.removesuffix("/flashcards")


async def test_reset_history_needs_the_confirmation(contexts, fresh_portal) -> None:
    page, watcher = await contexts.page(fresh_portal)
    session_url = await study_one_card(page)

    # A wrong confirmation: an error, and nothing is reset.
    watcher.expect_status(422, "/settings/reset_history")
    await page.goto("/settings")
    confirm = page.get_by_role("textbox", name='Type "reset me" to confirm').first
    await confirm.fill("reset")
    await page.get_by_role("button", name="Reset history").click()
    await expect(page.locator("#reset-history-confirm-error")).to_have_text(
        'Type "reset me" to confirm; nothing was reset.'
    )
    await expect(page.locator("#reset-history-confirm")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#reset-history-confirm")).to_have_value("reset")
    await page.goto("/study_sessions")
    await expect(page.locator("#sessions-table tbody tr")).to_have_count(1)
    await page.goto("/dashboard")
    assert await stat(page, "card-stats", "Study sessions") == "1"

    # "reset me": the history is gone, words and groups stay.
    await page.goto("/settings")
    await page.locator("#reset-history-confirm").fill("reset me")
    await page.get_by_role("button", name="Reset history").click()
    await expect(page.locator(".flash-success")).to_have_text("Study history has been reset.")
    await page.goto("/study_sessions")
    await expect(page.locator("#sessions-table tbody tr")).to_have_count(0)
    await expect(page.locator("#sessions-table")).to_contain_text(re.compile("no .*sessions", re.I))
    await page.goto("/dashboard")
    await expect(page.get_by_role("heading", name="Welcome to Lang Portal")).to_be_visible()
    watcher.expect_status(404, session_url)
    response = await page.goto(session_url)
    assert response is not None and response.status == 404
    await page.goto("/groups")
    await expect(page.locator("#groups-table")).to_contain_text(TINY_GROUP)
