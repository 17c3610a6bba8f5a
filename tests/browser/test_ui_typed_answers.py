"""Type the answer in a real browser: keyboard only, the kana input, undo, answers kept
through a server outage, and a whole card on a 375 x 667 phone."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

import pytest
from playwright.async_api import Page, expect

from tests.helpers.browser import TINY_WORDS

pytestmark = pytest.mark.browser

ROMAJI = {japanese: romaji for japanese, _, romaji, _ in TINY_WORDS}
KANA = {japanese: kana for japanese, kana, _, _ in TINY_WORDS}
PHONE = {"width": 375, "height": 667}


def api(portal: Any, path: str) -> Any:
    with urllib.request.urlopen(f"{portal.url}{path}", timeout=10) as reply:
        return json.load(reply)


def activity_id(portal: Any, name: str) -> int:
    items = api(portal, "/api/study_activities")["items"]
    return next(int(a["id"]) for a in items if a["name"] == name)


def group_id(portal: Any, name: str) -> int:
    items = api(portal, "/api/groups?per_page=100")["items"]
    return next(int(g["id"]) for g in items if g["name"] == name)


async def launch_by_keyboard(page: Page, activity: int, group: int) -> int:
    """Open the launch form with the group chosen, and press Enter on Launch now."""
    await page.goto(f"/study_activities/{activity}/launch?group_id={group}")
    await page.get_by_role("button", name="Launch now").focus()
    await page.keyboard.press("Enter")
    await page.wait_for_url(re.compile(r"/study_sessions/\d+/(typed|flashcards)$"))
    return int(page.url.rsplit("/", 2)[1])


async def front(page: Page) -> str:
    return (await page.locator("#typed-card .front").inner_text()).strip()


async def session_counts(portal: Any, session_id: int) -> tuple[int, int]:
    body = api(portal, f"/api/study_sessions/{session_id}")
    return body["correct_count"], body["wrong_count"]


async def test_a_typed_answer_session_by_keyboard_only(contexts, fresh_portal) -> None:
    page, _ = await contexts.page(fresh_portal)
    session = await launch_by_keyboard(
        page, activity_id(fresh_portal, "Type the answer"), fresh_portal.ids["tiny_group"]
    )
    answer = page.get_by_label(re.compile("Type the reading"))
    done = page.get_by_role("heading", name="Session complete")
    outcomes: list[str] = []
    for _ in range(8):  # 4 words, and the missed one comes back once
        await expect(answer.or_(done)).to_be_visible()
        if await done.is_visible():
            break
        await expect(answer).to_be_focused()
        word = await front(page)
        if not outcomes:
            await page.keyboard.type("nomu")  # another word: a miss, asked again later
            outcome = "wrong"
        elif word == "魚" and "near" not in outcomes:
            await page.keyboard.type("sakano")  # one kana off: a near miss
            outcome = "near"
        else:
            await page.keyboard.type(ROMAJI[word])
            # the input method shows kana while the learner types romaji
            await expect(answer).to_have_value(KANA[word])
            outcome = "right"
        outcomes.append(outcome)
        await page.keyboard.press("Enter")
        verdict = page.locator("#typed-card .verdict")
        if outcome == "near":
            await expect(verdict).to_contain_text("Almost")
            await expect(page.get_by_role("button", name="Count it as a miss")).to_be_focused()
            await page.keyboard.press("Tab")
            await expect(page.get_by_role("button", name="I was right")).to_be_focused()
            await page.keyboard.press("Enter")
            continue
        await expect(verdict).to_contain_text("Right" if outcome == "right" else "Not this")
        await expect(page.locator("#typed-card .answer")).to_contain_text(ROMAJI[word])
        await expect(page.get_by_role("link", name="Next card")).to_be_focused()
        await page.keyboard.press("Enter")
    await expect(done).to_be_visible()
    assert len(outcomes) == 5 and outcomes.count("wrong") == 1
    await expect(page.locator(".summary-counts")).to_contain_text("✓ 4 right")
    assert await session_counts(fresh_portal, session) == (4, 1)


async def test_undo_by_key_brings_the_card_back(contexts, fresh_portal) -> None:
    page, _ = await contexts.page(fresh_portal)
    session = await launch_by_keyboard(
        page, activity_id(fresh_portal, "Type the answer"), fresh_portal.ids["tiny_group"]
    )
    first = await front(page)
    await page.keyboard.type("nomu")
    await page.keyboard.press("Enter")
    await expect(page.locator("#typed-card .verdict")).to_contain_text("Not this")
    assert await session_counts(fresh_portal, session) == (0, 1)
    await page.keyboard.press("u")  # focus is on Next, not in a text box
    await expect(page.locator("#typed-card .progress-line")).to_contain_text("1 / 4")
    await expect(page.get_by_role("button", name="Undo last answer")).to_have_count(0)
    assert await front(page) == first
    assert await session_counts(fresh_portal, session) == (0, 0)
    await expect(page.get_by_label(re.compile("Type the reading"))).to_be_focused()
    await page.keyboard.type(ROMAJI[first])
    await page.keyboard.press("Enter")
    await expect(page.locator("#typed-card .verdict")).to_contain_text("Right")
    await page.get_by_role("button", name="Undo last answer").click()
    await expect(page.locator("#typed-card .progress-line")).to_contain_text("1 / 4")
    assert await session_counts(fresh_portal, session) == (0, 0), "two steps back"


async def test_an_answer_sent_while_the_server_is_down_is_kept_and_sent_later(
    contexts, fresh_portal
) -> None:
    context, watcher = await contexts.new(fresh_portal)
    page = await context.new_page()
    session = await launch_by_keyboard(
        page, activity_id(fresh_portal, "Type the answer"), fresh_portal.ids["tiny_group"]
    )
    word = await front(page)
    fresh_portal.stop()
    await page.keyboard.type(ROMAJI[word])
    await page.keyboard.press("Enter")
    status = page.locator("[data-outbox-status]")
    await expect(status).to_be_visible()
    await expect(status).to_contain_text("not saved yet")
    await expect(page.get_by_label(re.compile("Type the reading"))).to_be_visible()
    outbox = await page.evaluate("JSON.parse(localStorage.getItem('lang-portal-outbox-v1'))")
    assert len(outbox) == 1 and "client_id=" in outbox[0]["body"]

    fresh_portal.start()
    # the page retries by itself with the same client_id and moves on once it is saved
    await expect(page.locator("#typed-card .verdict")).to_contain_text("Right", timeout=40_000)
    await expect(status).to_be_hidden()
    assert await session_counts(fresh_portal, session) == (1, 0)

    # Answer the next card while down again, then close the tab before it is sent.
    await page.get_by_role("link", name="Next card").click()
    # the next card is swapped in: read its word only once it is there
    await expect(page.locator("#typed-card .front")).not_to_have_text(word)
    second = await front(page)
    fresh_portal.stop()
    await page.get_by_label(re.compile("Type the reading")).fill(ROMAJI[second])
    await page.keyboard.press("Enter")
    await expect(status).to_be_visible()
    await page.close()
    fresh_portal.start()
    later = await context.new_page()
    await later.goto("/dashboard")  # any page of the portal sends what is waiting
    await later.wait_for_function(
        "() => JSON.parse(localStorage.getItem('lang-portal-outbox-v1') || '[]').length === 0"
    )
    assert await session_counts(fresh_portal, session) == (2, 0), "recorded once each"
    # The failed posts were the outage itself; nothing else failed.
    assert watcher.failed_requests and all("/typed/" in r for r in watcher.failed_requests)
    watcher.failed_requests.clear()
    watcher.console_errors.clear()


async def fits(page: Page, selectors: list[str]) -> None:
    """Each element is inside the 375 x 667 viewport: nothing needs scrolling."""
    for selector in selectors:
        box = await page.locator(selector).first.bounding_box()
        assert box is not None, selector
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, selector
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"] + 0.5, selector
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


async def one_line(page: Page, selector: str) -> bool:
    """The Japanese word is laid out on one line (an inline box per line it spans)."""
    return bool(await page.locator(selector).evaluate("el => el.getClientRects().length === 1"))


async def test_on_a_375_px_phone_the_whole_card_fits_and_words_never_break(
    contexts, fresh_portal
) -> None:
    page, _ = await contexts.page(fresh_portal, viewport=PHONE, has_touch=True)
    greetings = group_id(fresh_portal, "Greetings & Expressions")
    await launch_by_keyboard(page, activity_id(fresh_portal, "Flashcards"), greetings)
    seen = []
    while await page.locator("#flashcard .front").count():
        seen.append((await page.locator("#flashcard .front").inner_text()).strip())
        await page.get_by_role("button", name="Show answer").click()
        await expect(page.locator("#flashcard .answer")).to_be_visible()
        await fits(
            page,
            [
                "#flashcard .front",
                "#flashcard .answer",
                "[data-shortcut=wrong]",
                "[data-shortcut=right]",
            ],
        )
        assert await one_line(page, "#flashcard .front span[lang=ja]"), seen[-1]
        await page.locator("[data-shortcut=right]").click()
        await page.wait_for_function(
            "(n) => !document.querySelector('#flashcard .front') || document.querySelector("
            "'#flashcard .progress-line').textContent.includes(n + ' /')",
            arg=len(seen) + 1,
        )
    assert "いただきます" in seen, "the long word that used to break is among the cards"


async def test_on_a_375_px_phone_the_typed_card_and_its_verdict_fit(contexts, fresh_portal) -> None:
    page, watcher = await contexts.page(fresh_portal, viewport=PHONE, has_touch=True)
    watcher.expect_status(422, "/typed/check")  # "zzz" is asked again
    greetings = group_id(fresh_portal, "Greetings & Expressions")
    await launch_by_keyboard(page, activity_id(fresh_portal, "Type the answer"), greetings)
    await fits(page, ["#typed-card .front", "#typed-answer", "#typed-card button[type=submit]"])
    await page.keyboard.type("zzz")
    await page.keyboard.press("Enter")
    await expect(page.locator("#typed-card .field-error")).to_be_visible()
    await page.get_by_label(re.compile("Type the reading")).fill("nomu")
    await page.keyboard.press("Enter")
    await expect(page.locator("#typed-card .verdict")).to_be_visible()
    await fits(page, ["#typed-card .verdict", "#typed-card .answer", "#typed-card .actions"])
    assert await one_line(page, "#typed-card .front span[lang=ja]")


async def test_flashcards_keep_an_answer_through_an_outage_and_undo_by_key(
    contexts, fresh_portal
) -> None:
    page, watcher = await contexts.page(fresh_portal)
    session = await launch_by_keyboard(
        page, activity_id(fresh_portal, "Flashcards"), fresh_portal.ids["tiny_group"]
    )
    position = page.locator("#flashcard .progress-line span[aria-hidden]")
    await expect(position).to_have_text("1 / 4")
    await page.keyboard.press("Space")
    await expect(page.locator("#flashcard .answer")).to_be_visible()
    fresh_portal.stop()
    await page.keyboard.press("2")  # right
    status = page.locator("[data-outbox-status]")
    await expect(status).to_contain_text("not saved yet")
    await expect(position).to_have_text("1 / 4")
    fresh_portal.start()
    await expect(position).to_have_text("2 / 4", timeout=40_000)
    await expect(status).to_be_hidden()
    assert await session_counts(fresh_portal, session) == (1, 0)
    await page.keyboard.press("u")
    await expect(position).to_have_text("1 / 4")
    assert await session_counts(fresh_portal, session) == (0, 0)
    assert watcher.failed_requests and all("/answer" in r for r in watcher.failed_requests)
    watcher.failed_requests.clear()
    watcher.console_errors.clear()


async def test_typed_answers_work_without_javascript(contexts, fresh_portal) -> None:
    page, _ = await contexts.page(fresh_portal, java_script_enabled=False)
    session = await launch_by_keyboard(
        page, activity_id(fresh_portal, "Type the answer"), fresh_portal.ids["tiny_group"]
    )
    word = await front(page)
    answer = page.get_by_label(re.compile("Type the reading"))
    await answer.fill(ROMAJI[word].upper())  # plain romaji, no input method
    await page.get_by_role("button", name="Check").click()
    await expect(page.locator("#typed-card .verdict")).to_contain_text("Right")
    assert await session_counts(fresh_portal, session) == (1, 0)
    await page.get_by_role("button", name="Undo last answer").click()
    await expect(page.locator("#typed-card .progress-line")).to_contain_text("1 / 4")
    assert await front(page) == word
    assert await session_counts(fresh_portal, session) == (0, 0)
    await page.get_by_role("link", name="Ask the meaning instead").click()
    await page.get_by_label(re.compile("Type the meaning")).fill(
        next(e for j, _, _, e in TINY_WORDS if j == word).split(" (")[0]
    )
    await page.get_by_role("button", name="Check").click()
    await expect(page.locator("#typed-card .verdict")).to_contain_text("Right")
    await page.get_by_role("link", name="Next card").click()
    await expect(page.get_by_label(re.compile("Type the meaning"))).to_be_visible()
