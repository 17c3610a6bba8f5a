"""A hosted portal for a class, in a real browser: every visitor needs a profile
(DEFAULT_LEARNER=nobody stands in for visitors from other machines)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.async_api import Page, expect

from tests.helpers.browser import TINY_GROUP, expect_position, path_of, stat

pytestmark = pytest.mark.browser


@pytest.fixture
def class_portal(portals) -> Iterator:
    server = portals.start(DEFAULT_LEARNER="nobody")
    yield server
    server.stop()
    portals.running.remove(server)


async def start_from_share_link(page: Page, group_id: int, name: str) -> None:
    """Open the link, type a name, click Start: the first card is on screen."""
    await page.goto(f"/groups/{group_id}")
    await page.get_by_label("Your name").fill(name)
    await page.get_by_role("button", name="Start").click()
    await expect(page).to_have_url(re.compile(r"/study_sessions/\d+/flashcards$"))
    await expect_position(page, "1 / 4")


async def answer(page: Page, right: bool) -> None:
    await page.get_by_role("button", name="Show answer").click()
    choice = re.compile("Right|Good" if right else "Wrong|Again")
    await page.locator("#flashcard").get_by_role("button", name=choice).first.click()


async def test_share_link_to_the_first_card_in_two_clicks(contexts, class_portal) -> None:
    page, _ = await contexts.page(class_portal)
    group_id = class_portal.ids["tiny_group"]
    await page.goto(f"/groups/{group_id}")
    card = page.get_by_role("region", name=f"Study {TINY_GROUP}")
    await expect(card).to_be_visible()
    await card.get_by_label("Your name").fill("Aiko")  # typing, then the one click
    await card.get_by_role("button", name="Start").click()
    await expect(page).to_have_url(re.compile(r"/study_sessions/\d+/flashcards$"))
    await expect(page.locator("#flashcard")).to_contain_text(TINY_GROUP)
    # the header names the learner and leads to their profile
    await page.get_by_role("link", name="Aiko").click()
    await expect(page.get_by_label("Name", exact=True)).to_have_value("Aiko")


async def test_two_learners_on_one_group_keep_their_own_progress(contexts, class_portal) -> None:
    group_id = class_portal.ids["tiny_group"]
    aiko, _ = await contexts.page(class_portal)
    ren, ren_watch = await contexts.page(class_portal)
    await start_from_share_link(aiko, group_id, "Aiko")
    await answer(aiko, right=True)
    await answer(aiko, right=False)
    # Ren arrives at the dashboard: asked for a name, then back at the dashboard
    ren_watch.expect_status(401, "/dashboard")
    await ren.goto("/dashboard")
    await expect(ren.get_by_role("heading", level=1)).to_have_text("What's your name?")
    await ren.get_by_label("Your name").fill("Ren")
    await ren.get_by_role("button", name="Continue").click()
    await expect(ren).to_have_url(re.compile(r"/dashboard$"))
    assert await stat(ren, "card-stats", "Study sessions") == "0"
    assert await stat(ren, "card-stats", "Study streak") == "0 days"

    await aiko.goto("/dashboard")
    assert await stat(aiko, "card-stats", "Study sessions") == "1"
    assert await stat(aiko, "card-stats", "Study streak") == "1 day"
    await expect(aiko.locator("#card-progress")).to_contain_text(re.compile(r"\b2\s*/"))
    # each sees only their own sessions
    await ren.goto("/study_sessions")
    await expect(ren.locator("#sessions-table")).not_to_contain_text(TINY_GROUP)
    await aiko.goto("/study_sessions")
    await expect(aiko.locator("#sessions-table")).to_contain_text(TINY_GROUP)
    # and Aiko's session is not Ren's to open
    await aiko.locator("#sessions-table a[href^='/study_sessions/']").first.click()
    aiko_session = path_of(aiko)
    ren_watch.expect_status(404, aiko_session)
    await ren.goto(aiko_session)
    await expect(ren.get_by_role("heading", level=1)).to_have_text("Page not found")
    await expect(aiko.get_by_role("heading", level=1)).not_to_have_text("Page not found")
