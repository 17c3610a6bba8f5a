"""A teacher builds a group in the browser, imports a small CSV, shares the link, and a
learner studies it."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.helpers.browser import expect_position

pytestmark = pytest.mark.browser

CSV = "japanese,kana,english\n狸,たぬき,raccoon dog\n鼬,いたち,weasel\n稲妻,いなずま,lightning\n"


async def test_create_group_import_csv_share_and_study(contexts, fresh_portal) -> None:
    teacher, _ = await contexts.page(fresh_portal)
    await teacher.goto("/groups")
    await teacher.get_by_label("Name").fill("Week 3: animals")
    await teacher.get_by_role("button", name="Create group").click()
    await expect(teacher.get_by_role("heading", level=1)).to_have_text("Week 3: animals")
    await expect(teacher.locator(".flash-success")).to_contain_text("created")

    # Rename in place, then put the old name back with Escape cancelling a second edit.
    await teacher.get_by_role("link", name="Rename").click()
    name = teacher.get_by_label("Group name")
    await name.fill("Week 3: wild animals")
    await name.press("Enter")
    await expect(teacher.get_by_role("heading", level=1)).to_have_text("Week 3: wild animals")
    await teacher.get_by_role("link", name="Rename").click()
    await teacher.get_by_label("Group name").press("Escape")
    await expect(teacher.get_by_role("heading", level=1)).to_have_text("Week 3: wild animals")

    await teacher.get_by_role("link", name="Import into this group").click()
    await teacher.get_by_label(re.compile("^File")).set_input_files(
        {"name": "animals.csv", "mimeType": "text/csv", "buffer": CSV.encode("utf-8")}
    )
    await teacher.get_by_role("button", name="Preview").click()
    await expect(teacher.locator("main")).to_contain_text("3 to add")
    await teacher.get_by_role("button", name="Import 3 words").click()
    await expect(teacher.locator(".flash-success")).to_contain_text("Imported into")
    await expect(teacher.locator("main")).to_contain_text("3 words in this group")
    await expect(teacher.locator("#group-words")).to_contain_text("raccoon dog")
    link = await teacher.get_by_label("Share this group").input_value()

    learner, _ = await contexts.page(fresh_portal)
    await learner.goto(link)
    await expect(learner.get_by_role("heading", level=1)).to_have_text("Week 3: wild animals")
    await learner.get_by_role("link", name="Study this group").click()
    await learner.get_by_role("button", name="Launch now").click()
    await expect(learner).to_have_url(re.compile(r"/study_sessions/\d+/flashcards$"))
    await expect_position(learner, "1 / 3")
    await learner.get_by_role("button", name="Show answer").click()
    await learner.get_by_role("button", name="✓ Right").click()
    await expect_position(learner, "2 / 3")


async def test_kana_input_and_romaji_suggestion(contexts, fresh_portal) -> None:
    teacher, _ = await contexts.page(fresh_portal)
    await teacher.goto("/words/new")
    await teacher.get_by_label("Japanese").fill("稲妻")
    await teacher.get_by_label(re.compile("^Kana")).press_sequentially("inazuma")
    await expect(teacher.get_by_label(re.compile("^Kana"))).to_have_value("いなずま")
    await expect(teacher.locator("#romaji-hint")).to_contain_text("inazuma")
    await teacher.get_by_label("English").fill("lightning")
    await teacher.get_by_role("button", name="Save word").click()
    await expect(teacher.get_by_role("heading", level=1)).to_contain_text("稲妻")
    await expect(teacher.locator("main")).to_contain_text("inazuma")
