"""Cleaning imported cells: Anki's HTML, media references, cloze and furigana
markup, and the `'` a spreadsheet export puts before formula-like text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SOUND = re.compile(r"\[sound:[^\]]*\]")
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}")
# Anki's furigana: `漢字[かな]`, with a space before each block it applies to.
_FURIGANA = re.compile(r" ?([^\s\[\]]+?)\[([^\]]*)\]")
_BREAKS = {"br", "div", "p", "li", "tr"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """Tags removed (images with them), entities decoded, line breaks as spaces."""
    if "<" not in text and "&" not in text:
        return text
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts).replace("\xa0", " ")


def clean_cell(text: str, *, html_markup: bool) -> str:
    if html_markup:
        text = strip_html(text)
    text = _SOUND.sub("", text)
    text = _CLOZE.sub(r"\1", text)
    text = " ".join(text.split())
    return unescape_formula(text)


def unescape_formula(text: str) -> str:
    """Remove the one `'` an export put before `= + - @` (so `-ban` round-trips)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def has_furigana(text: str) -> bool:
    return bool(_FURIGANA.search(text))


def furigana_base(text: str) -> str:
    """`世[よ]の 中[なか]` → `世の中`."""
    return _FURIGANA.sub(r"\1", text).strip()


def furigana_reading(text: str) -> str:
    """`世[よ]の 中[なか]` → `よのなか`; `食[た]べる` → `たべる`."""
    return _FURIGANA.sub(r"\2", text).replace(" ", "").strip()
