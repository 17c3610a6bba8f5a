"""The word input rules (spec/api.md), shared by the API, the pages and every import row.

Text is trimmed and NFC-normalised; control characters are refused; `kana` is kana
only (and derived from `japanese` when that is kana); `romaji` is derived from the
kana when not given; `parts` is a short list of `{"kanji", "romaji": [...]}`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..japanese import romanize, to_hiragana

JAPANESE_MAX = 100
ENGLISH_MAX = 300
ROMAJI_MAX = 200
PARTS_MAX = 30
PART_TEXT_MAX = 50
_KANA_TEXT = re.compile(r"^[\u3041-\u3096\u30a1-\u30faー・ ]+$")
_ROMAJI_TEXT = re.compile(r"^[A-Za-z' -]+$")
# Unicode category Cc is exactly these ranges (a regex is much faster per cell than
# asking unicodedata about every character of a 5,000-row import).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
WORD_FIELDS = ("japanese", "kana", "romaji", "english", "parts")


@dataclass
class WordCheck:
    """A cleaned word, or the problems found (first bad field first)."""

    word: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def fail(self, name: str, message: str) -> None:
        self.errors.append({"field": name, "error": message})


def clean_text(value: Any) -> str:
    """Trimmed, NFC; raises ValueError for control characters or a non-string."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError("must be text")
    text = unicodedata.normalize("NFC", value).strip()
    if _CONTROL.search(text):
        raise ValueError("must not contain control characters (tabs, line breaks, …)")
    return text


def is_kana_text(text: str) -> bool:
    return bool(_KANA_TEXT.match(text)) and any(c not in "・ " for c in text)


def romaji_for(kana: str) -> str | None:
    """Romaji as a learner types it, or None when the kana cannot be romanised."""
    chunks = [c for c in re.split(r"[・ ]+", kana) if c]
    try:
        return " ".join(romanize(chunk) for chunk in chunks) or None
    except ValueError:
        return None


def suggest_kana(japanese: str) -> str:
    """The reading of a word written in kana alone ('' for kanji words)."""
    return japanese if is_kana_text(japanese) else ""


def _check_parts(raw: Any, check: WordCheck) -> list[dict[str, Any]]:
    if raw is None or raw == "":
        return []
    if not isinstance(raw, list):
        check.fail("parts", 'parts must be a list of {"kanji": …, "romaji": […]}')
        return []
    if len(raw) > PARTS_MAX:
        check.fail("parts", f"at most {PARTS_MAX} parts")
        return []
    parts: list[dict[str, Any]] = []
    for index, part in enumerate(raw, start=1):
        if not isinstance(part, dict):
            check.fail("parts", f"part {index} must be an object with kanji and romaji")
            return []
        try:
            kanji = clean_text(part.get("kanji"))
            readings_raw = part.get("romaji") or []
            if isinstance(readings_raw, str):
                readings_raw = [readings_raw]
            if not isinstance(readings_raw, list):
                raise ValueError("romaji must be a list of readings")
            readings = [clean_text(r) for r in readings_raw]
        except ValueError as error:
            check.fail("parts", f"part {index}: {error}")
            return []
        readings = [r for r in readings if r]
        if not kanji:
            check.fail("parts", f"part {index}: kanji is required")
            return []
        if len(kanji) > PART_TEXT_MAX or any(len(r) > PART_TEXT_MAX for r in readings):
            check.fail("parts", f"part {index}: at most {PART_TEXT_MAX} characters each")
            return []
        bad = next((r for r in readings if not _ROMAJI_TEXT.match(r)), None)
        if bad is not None:
            check.fail("parts", f"part {index}: romaji {bad!r} must be ASCII letters")
            return []
        parts.append({"kanji": kanji, "romaji": readings})
    return parts


def check_word(raw: dict[str, Any]) -> WordCheck:
    """Apply every rule to one word's fields (missing ones count as empty)."""
    check = WordCheck()
    text: dict[str, str] = {}
    for name in ("japanese", "kana", "romaji", "english"):
        try:
            text[name] = clean_text(raw.get(name))
        except ValueError as error:
            check.fail(name, f"{name} {error}")
            text[name] = ""
    japanese, kana, romaji, english = (text[n] for n in ("japanese", "kana", "romaji", "english"))
    if not japanese and not any(e["field"] == "japanese" for e in check.errors):
        check.fail("japanese", "japanese is required")
    elif len(japanese) > JAPANESE_MAX:
        check.fail("japanese", f"japanese must be at most {JAPANESE_MAX} characters")
    if kana and not is_kana_text(kana):
        check.fail("kana", "kana must be hiragana or katakana only (ー, ・ and spaces allowed)")
        kana = ""
    if not kana and japanese:
        kana = suggest_kana(japanese)
    if romaji:
        if not _ROMAJI_TEXT.match(romaji) or len(romaji) > ROMAJI_MAX:
            check.fail("romaji", "romaji must be ASCII letters, spaces, ' and - only")
    elif kana:
        derived = romaji_for(kana)
        if derived is None:
            check.fail("romaji", f"romaji cannot be derived from {kana!r}: type it")
        romaji = derived or ""
    elif japanese:
        check.fail("romaji", "romaji is required when there is no kana reading")
    if not english and not any(e["field"] == "english" for e in check.errors):
        check.fail("english", "english is required")
    elif len(english) > ENGLISH_MAX:
        check.fail("english", f"english must be at most {ENGLISH_MAX} characters")
    parts = _check_parts(raw.get("parts"), check)
    check.errors.sort(key=lambda e: WORD_FIELDS.index(e["field"]))
    check.word = {
        "japanese": japanese,
        "kana": kana,
        "romaji": romaji,
        "english": english,
        "parts": parts,
    }
    return check


def _nfkc(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def japanese_key(word: dict[str, Any]) -> str:
    return _nfkc(word.get("japanese"))


def same_word(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Duplicates: same Japanese and same reading (NFKC, trimmed); the romaji decides
    when either has no reading."""
    if japanese_key(a) != japanese_key(b):
        return False
    kana_a, kana_b = to_hiragana(_nfkc(a.get("kana"))), to_hiragana(_nfkc(b.get("kana")))
    if kana_a and kana_b:
        return kana_a == kana_b
    return _nfkc(a.get("romaji")).lower() == _nfkc(b.get("romaji")).lower()
