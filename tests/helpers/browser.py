"""What the browser tests share: reading the address bar, tables and cards."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.async_api import Page, expect

# Rows the conftest adds to every SQLite test database.
HOSTILE = "<script>alert(1)</script>"
HOSTILE_ENGLISH = '"><img src=x onerror=alert(2)> & <b>bold</b>'
TINY_GROUP = "Tiny Test Group"
# Words of the tiny group: (japanese, kana, romaji, english)
TINY_WORDS = [
    ("犬", "いぬ", "inu", "dog (test)"),
    ("猫", "ねこ", "neko", "cat (test)"),
    ("鳥", "とり", "tori", "bird (test)"),
    ("魚", "さかな", "sakana", "fish (test)"),
]


def query_of(page: Page) -> dict[str, str]:
    """The address bar's query string as a dict (first value of each name)."""
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


async def wait_for_query(page: Page, /, **expected: str | None) -> None:
    """Wait until the address bar holds these query values (None: the name is absent)."""
    await page.wait_for_function(
        """(expected) => {
            const params = new URLSearchParams(location.search);
            return Object.entries(expected).every(([k, v]) => params.get(k) === v);
        }""",
        arg=expected,
    )


async def wait_for_url_query(page: Page, /, **expected: str) -> None:
    """Wait for a page load whose query string is exactly `expected` (JavaScript off too)."""
    await page.wait_for_url(
        lambda url: {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()} == expected
    )


async def column_texts(page: Page, table_id: str, column: int) -> list[str]:
    """The text of one column (1-based) of a table region's rows."""
    cells = page.locator(f"#{table_id} tbody tr td:nth-child({column})")
    return [text.strip() for text in await cells.all_inner_texts()]


async def expect_column(page: Page, table_id: str, column: int, values: list[str]) -> None:
    """Wait until a column (1-based) of a table region shows exactly these texts.

    Rendered text, not the DOM's: a phone-only line (the romaji under a word) is hidden.
    """
    cells = page.locator(f"#{table_id} tbody tr td:nth-child({column})")
    await expect(cells).to_have_text(values, use_inner_text=True)


async def pager_text(page: Page, table_id: str) -> str:
    return (await page.locator(f"#{table_id} .pager").inner_text()).strip()


async def expect_page_of(page: Page, table_id: str, current: int) -> None:
    await expect(page.locator(f"#{table_id} .pager")).to_contain_text(
        re.compile(rf"Page {current} of \d+")
    )


async def stat(page: Page, card_id: str, label: str) -> str:
    """The <dd> after the <dt> named `label` in a card (or any container)."""
    dd = page.locator(f"#{card_id} dt", has_text=re.compile(rf"^{re.escape(label)}$"))
    return (await dd.locator("xpath=following-sibling::dd[1]").inner_text()).strip()


async def flashcard_position(page: Page) -> str:
    return (await page.locator("#flashcard .progress-line span[aria-hidden]").inner_text()).strip()


async def expect_position(page: Page, text: str) -> None:
    await expect(page.locator("#flashcard .progress-line span[aria-hidden]")).to_have_text(text)


async def scroll_width(page: Page) -> int:
    return int(await page.evaluate("document.documentElement.scrollWidth"))
