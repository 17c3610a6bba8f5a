"""Dashboard and flashcards: from a fresh install to a finished session and its figures."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.helpers.browser import TINY_GROUP, TINY_WORDS, expect_position, path_of, stat

pytestmark = pytest.mark.browser


async def open_launch_from_activities(page: Page) -> None:
    await page.goto("/dashboard")
    await (
        page.get_by_role("navigation", name="Main")
        .get_by_role("link", name="Study Activities")
        .click()
    )
    await expect(page.get_by_role("heading", level=1)).to_have_text("Study activities")
    await page.get_by_role("link", name="Launch Flashcards").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Launch Flashcards")


async def test_dashboard_cards_on_a_fresh_install(contexts, fresh_portal) -> None:
    page, _ = await contexts.page(fresh_portal)
    await page.goto("/")
    assert path_of(page) == "/dashboard"
    await expect(page.get_by_role("heading", name="Welcome to Lang Portal")).to_be_visible()
    last = page.locator("#card-last-session")
    await expect(last).to_contain_text("No sessions yet")
    await expect(page.locator("#card-progress")).to_contain_text(
        re.compile(r"0\s*/\s*\d+ words studied")
    )
    assert await stat(page, "card-stats", "Study sessions") == "0"
    # Each card reloads itself in place through its fragment route.
    async with page.expect_response(re.compile(r"/dashboard/cards/stats$")) as reply:
        await page.locator("#refresh-stats").click()
    assert (await reply.value).status == 200
    await expect(page.locator("#card-stats")).to_have_count(1)
    assert await stat(page, "card-stats", "Study sessions") == "0"
    # The welcome's button leads to the activities.
    await page.get_by_role("link", name="Choose a study activity").click()
    await expect(page).to_have_url(re.compile(r"/study_activities$"))


async def test_flashcards_session_by_mouse_and_keyboard(contexts, fresh_portal) -> None:
    page, _ = await contexts.page(fresh_portal)
    await open_launch_from_activities(page)
    launch = page.get_by_role("button", name="Launch now")
    await expect(launch).to_be_disabled()  # until a group is chosen
    await page.get_by_label("Word group").select_option(label=f"{TINY_GROUP} (4 words)")
    await expect(launch).to_be_enabled()
    await launch.click()
    await expect(page).to_have_url(re.compile(r"/study_sessions/\d+/flashcards$"))
    session_path = path_of(page).removesuffix("/flashcards")
    card = page.locator("#flashcard")
    await expect_position(page, "1 / 4")
    await expect(card).to_contain_text(TINY_GROUP)
    fronts = []

    # Card 1 by mouse: reveal, then right.
    fronts.append((await card.locator(".front").inner_text()).strip())
    await page.get_by_role("button", name="Show answer").click()
    await expect(card.locator(".answer .romaji")).to_be_visible()
    await page.get_by_role("button", name="✓ Right").click()
    await expect_position(page, "2 / 4")

    # Cards 2-4 by keyboard: Space or Enter reveals; 2 / → right, 1 / ← wrong.
    # Each wrong answer brings its word back once at the end (the total grows).
    for reveal, answer, next_position in [
        ("Space", "2", "3 / 4"),
        ("Space", "ArrowLeft", "4 / 5"),
        ("Enter", "1", "5 / 6"),
        ("Space", "2", "6 / 6"),
        ("Space", "ArrowRight", None),
    ]:
        fronts.append((await card.locator(".front").inner_text()).strip())
        await page.keyboard.press(reveal)
        await expect(card.locator(".answer .english")).to_be_visible()
        await page.keyboard.press(answer)
        if next_position:
            await expect_position(page, next_position)

    # The summary: 4 right, 2 wrong, the missed words linked.
    await expect(card.get_by_role("heading", name="Session complete")).to_be_visible()
    await expect(card.locator(".summary-counts .correct")).to_have_text("✓ 4 right")
    await expect(card.locator(".summary-counts .wrong")).to_have_text("✗ 2 wrong")
    missed = [t.strip() for t in await card.locator("a.pill").all_inner_texts()]
    assert len(missed) == 2, missed
    assert sorted(fronts[:4]) == sorted(w[0] for w in TINY_WORDS), "each word shown once"
    assert fronts[4:] == fronts[2:4], "the two missed words came back, in order"
    assert {m.split(" · ")[0] for m in missed} == {fronts[2], fronts[3]}

    # The session page counts the 6 reviews, per word.
    await card.get_by_role("link", name="Session details").click()
    await expect(page).to_have_url(re.compile(re.escape(session_path) + "$"))
    assert await stat(page, "main", "Reviews") == "6"
    rows = page.locator("#session-words tbody tr")
    await expect(rows).to_have_count(4)
    for front, correct, wrong in [
        (fronts[0], "1", "0"),
        (fronts[1], "1", "0"),
        (fronts[2], "1", "1"),
        (fronts[3], "1", "1"),
    ]:
        row = rows.filter(has=page.get_by_role("link", name=front, exact=True))
        await expect(row.locator("td.correct")).to_have_text(correct)
        await expect(row.locator("td.wrong")).to_have_text(wrong)

    # And the dashboard shows the figures.
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    await expect(page.get_by_role("heading", name="Welcome to Lang Portal")).to_have_count(0)
    last = page.locator("#card-last-session")
    await expect(last.get_by_role("link", name=TINY_GROUP)).to_be_visible()
    await expect(last.locator(".correct")).to_contain_text("✓ 4")
    await expect(last.locator(".wrong")).to_contain_text("✗ 2")
    await expect(page.locator("#card-progress")).to_contain_text(
        re.compile(r"4\s*/\s*\d+ words studied")
    )
    assert await stat(page, "card-stats", "Study sessions") == "1"
    assert await stat(page, "card-stats", "Active groups") == "1"
    assert await stat(page, "card-stats", "Success rate") in {"66.7%"}
    assert await stat(page, "card-stats", "Study streak") == "1 day"
    # The card's refresh shows the same figures.
    await page.locator("#refresh-last-session").click()
    await expect(page.locator("#card-last-session .correct")).to_contain_text("✓ 4")

    # The finished session still shows its summary; "Study again" starts a new one,
    # by the same rules: the four words are not due yet, so it offers the other ways.
    await page.goto(f"{session_path}/flashcards")
    await expect(card.locator(".summary-counts .correct")).to_have_text("✓ 4 right")
    await card.get_by_role("button", name="Study again").click()
    await page.wait_for_url(
        lambda url: url.endswith("/flashcards") and f"{session_path}/" not in url
    )
    await expect(card.get_by_role("heading", name="Nothing to study now")).to_be_visible()
    await card.get_by_role("button", name=re.compile(r"^Study ahead")).click()
    await expect_position(page, "1 / 4")


async def test_keyboard_only_answers_several_cards(contexts, fresh_portal) -> None:
    """A new learner's session on a seed group (the daily allowance of 10 new words),
    answered with the arrow keys only; each wrong answer adds its word at the end."""
    page, _ = await contexts.page(fresh_portal)
    await page.goto("/study_activities/1/launch")
    await page.get_by_label("Word group").select_option(label="Core Verbs (59 words)")
    await page.get_by_role("button", name="Launch now").click()
    await expect_position(page, "1 / 10")
    total = 10
    for position in range(1, 6):
        await page.keyboard.press("Space")
        await expect(page.locator("#flashcard .answer")).to_be_visible()
        right = position % 2 == 1
        await page.keyboard.press("ArrowRight" if right else "ArrowLeft")
        total += 0 if right else 1
        await expect_position(page, f"{position + 1} / {total}")
    await page.get_by_role("link", name=re.compile(r"^Session #\d+$")).click()
    assert await stat(page, "main", "Reviews") == "5"
    await expect(page.locator("#session-words tbody tr")).to_have_count(5)


async def test_cards_in_a_row_line_up(contexts, portal) -> None:
    page, _ = await contexts.page(portal)
    tops = {}
    await page.goto("/dashboard")
    for card in ("card-last-session", "card-progress", "card-stats"):
        box = await page.locator(f"#{card}").bounding_box()
        assert box is not None
        tops[f"dashboard #{card}"] = box["y"]
    await page.goto("/words?q=taberu")
    await page.get_by_role("link", name="食べる", exact=True).click()
    for title in ("Study statistics", "Groups"):
        box = await page.locator("section.card", has_text=title).bounding_box()
        assert box is not None
        tops[f"word page {title}"] = box["y"]
    dashboard = {v for k, v in tops.items() if k.startswith("dashboard")}
    word = {v for k, v in tops.items() if k.startswith("word")}
    assert len(dashboard) == 1 and len(word) == 1, f"card tops differ: {tops}"
