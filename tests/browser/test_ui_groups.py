"""Word groups: the table, the share link a teacher sends, and studying a shared group."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.helpers import seed_facts
from tests.helpers.browser import expect_column, expect_position, path_of, wait_for_query

pytestmark = pytest.mark.browser


async def test_share_link_then_study_this_group(contexts, fresh_portal) -> None:
    portal = fresh_portal  # a new learner: the day's 10 new words are all still there
    teacher, _ = await contexts.page(portal)
    await teacher.goto("/groups")
    await teacher.locator("#groups-table").get_by_role("link", name="Food & Drink").click()
    await expect(teacher.get_by_role("heading", level=1)).to_have_text("Food & Drink")
    share = teacher.get_by_label("Share this group")
    link = await share.input_value()
    assert re.fullmatch(re.escape(portal.url) + r"/groups/\d+", link), link
    # the portal runs on 127.0.0.1 without PUBLIC_URL: the link says where it works
    hint = teacher.locator("#share-url-hint")
    await expect(hint).to_contain_text("only on this computer")
    await expect(hint).to_contain_text("PUBLIC_URL")
    group_id = int(link.rsplit("/", 1)[1])
    await teacher.context.grant_permissions(["clipboard-read", "clipboard-write"])
    await teacher.get_by_role("button", name="Copy link").click()
    await expect(teacher.get_by_role("button", name="Copied")).to_be_visible()
    assert await teacher.evaluate("navigator.clipboard.readText()") == link

    # A learner opens the link in a browser of their own.
    learner, _ = await contexts.page(portal)
    await learner.goto(link)
    await expect(learner.get_by_role("heading", level=1)).to_have_text("Food & Drink")
    food_size = len(seed_facts().group_words["Food & Drink"])
    await expect(learner.locator("main")).to_contain_text(f"{food_size} words in this group")
    crumbs = learner.get_by_role("navigation", name="Breadcrumb")
    await expect(crumbs).to_contain_text("Word Groups")
    await expect(crumbs.locator("[aria-current=page]")).to_have_text("Food & Drink")

    await learner.get_by_role("link", name="Study this group").click()
    await expect(learner).to_have_url(
        re.compile(rf"/study_activities/\d+/launch\?group_id={group_id}$")
    )
    await expect(learner.get_by_label("Word group")).to_have_value(str(group_id))
    launch = learner.get_by_role("button", name="Launch now")
    await expect(launch).to_be_enabled()
    await launch.click()
    await expect(learner).to_have_url(re.compile(r"/study_sessions/\d+/flashcards$"))
    await expect_position(learner, "1 / 10")
    await expect(learner.locator("#flashcard .progress-line")).to_contain_text("Food & Drink")
    await learner.get_by_role("button", name="Show answer").click()
    await learner.get_by_role("button", name="✓ Right").click()
    await expect_position(learner, "2 / 10")
    session_id = path_of(learner).split("/")[2]

    # The group page lists the new session.
    await learner.goto(link)
    sessions = learner.locator("#group-sessions")
    row = sessions.locator("tbody tr", has=learner.get_by_role("link", name=f"#{session_id}"))
    await expect(row.locator("td.num")).to_have_text("1")


async def test_groups_table_sorts_by_word_count(contexts, portal) -> None:
    page, _ = await contexts.page(portal)
    await page.goto("/groups")
    await page.locator("#groups-table-sort-word_count").click()
    await wait_for_query(page, sort="word_count", order="asc")
    counts = page.locator("#groups-table tbody tr td:nth-child(2)")
    await expect(counts.first).to_have_text("2")  # the 2-word test group
    values = [int(v) for v in await counts.all_inner_texts()]
    assert values == sorted(values)
    await page.locator("#groups-table-sort-word_count").click()
    await wait_for_query(page, sort="word_count", order="desc")
    await expect(counts).to_have_text([str(v) for v in sorted(values, reverse=True)])
    await page.reload()
    await expect(counts).to_have_text([str(v) for v in sorted(values, reverse=True)])


async def test_group_words_table_keeps_state(contexts, portal) -> None:
    page, _ = await contexts.page(portal)
    await page.goto("/groups")
    await page.locator("#groups-table").get_by_role("link", name="Hiragana").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Hiragana")
    words = page.locator("#group-words")
    await expect(words.locator(".pager")).to_contain_text("Page 1 of 3")
    await page.locator("#group-words-sort-romaji").click()
    await wait_for_query(page, sort="romaji", order="asc")
    await page.locator("#group-words-next").click()
    await wait_for_query(page, sort="romaji", order="asc", page="2")
    await expect(words.locator(".pager")).to_contain_text("Page 2 of 3")
    romaji = [t.strip() for t in await words.locator("tbody td:nth-child(2)").all_inner_texts()]
    assert romaji == sorted(romaji)
    await page.reload()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Hiragana")
    await expect_column(page, "group-words", 2, romaji)
