"""Checking a typed answer: Japanese-aware leniency for readings and meanings.

Pure functions, no I/O.  The rules (and the verdict table the tests follow)
are the portal's answer-checking rules:

- A **reading** may be typed in hiragana, katakana or romaji (Hepburn or
  Kunrei, macrons, "-" for a long vowel, ``n'``).  Both sides are folded so
  that spellings of one sound compare equal: katakana = hiragana, a long vowel
  written ー / おう / おお / ō all the same, ぢ = じ, づ = ず, を = お, and a final
  は or へ read as the particle (わ, え).  A small typo is a *near* miss.
- A **meaning** is any one of the English alternatives (split on ``; , /``),
  with or without a parenthetical, a leading "to" or article, -our = -or, and
  a typo tolerance that grows with the length of the word.
- Kanji typed for a reading, Japanese typed for a meaning, or text that is not
  romaji at all is *invalid*: the learner is asked again, nothing is recorded.

Romaji with a single ``n`` before a vowel or ``y`` is ambiguous (kinyoubi may
be きにょうび or きんようび), so typed romaji is read both ways and either may
match; kana is what the input method showed the learner and is taken as typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import jaconv
from rapidfuzz.distance import DamerauLevenshtein

from .japanese import is_kanji

Asks = Literal["reading", "meaning"]


class Verdict(StrEnum):
    CORRECT = "correct"
    NEAR = "near"  # shown with the right answer; a miss unless the learner says otherwise
    WRONG = "wrong"
    INVALID = "invalid"  # ask again, record nothing


@dataclass(frozen=True)
class Check:
    verdict: Verdict
    # For INVALID: why, in words the learner can act on.
    message: str = ""


_MACRONS = str.maketrans(
    {"ā": "aa", "ī": "ii", "ū": "uu", "ē": "ee", "ō": "ou"}
    | {"â": "aa", "î": "ii", "û": "uu", "ê": "ee", "ô": "ou"}
)
_KEPT_MARKS = {"-", "'"}
_M_BEFORE_LABIAL = re.compile("m(?=[bpm])")
_HYPHEN_AFTER_VOWEL = re.compile("(?<=[aeiouぁ-ゖァ-ヺー])-")
# WanaKana reads "nn" + vowel as ん + n…, so JS and no-JS submissions agree.
_DOUBLE_N = re.compile("(?<!n)nn(?=[aeiouy])")
# The second reading of ambiguous romaji: a lone n before a vowel or y as ん.
_LONE_N = re.compile("(?<![n'])n(?=[aeiouy])")
_HIRAGANA_ONLY = re.compile("^[ぁ-ゖー]+$")
# jaconv turns an unfinished consonant into っ ("eat" -> えあっ): a っ at the
# end, or before a vowel, ん or っ, came from a stray letter, not a real sound.
_STRAY_SOKUON = re.compile("っ(?=$|[あいうえおんっー])")

_VOWEL_OF: dict[str, str] = {}
for _vowel, _kana in {
    "a": "あかさたなはまやらわがざだばぱぁゃゎ",
    "i": "いきしちにひみりぎじぢびぴぃ",
    "u": "うくすつぬふむゆるぐずづぶぷぅゅゔ",
    "e": "えけせてねへめれげぜでべぺぇ",
    "o": "おこそとのほもよろをごぞどぼぽぉょ",
}.items():
    _VOWEL_OF.update(dict.fromkeys(_kana, _vowel))
# Which vowel kana lengthen the vowel before them (おう and おお are both a long o).
_LENGTHENERS = {"a": "あ", "i": "い", "u": "う", "e": "いえ", "o": "うお"}
_FOLD_CHARS = str.maketrans({"ぢ": "じ", "づ": "ず", "を": "お"})


def _strip_marks(text: str, keep: set[str]) -> str:
    """Drop spaces, punctuation and symbols (but the marks in `keep`)."""
    return "".join(
        c for c in text if c in keep or unicodedata.category(c)[0] not in {"P", "Z", "S", "C"}
    )


def fold_kana(kana: str) -> str:
    """One spelling per sound, so two spellings of a reading compare equal."""
    text = jaconv.kata2hira(kana)
    if text.endswith("は"):
        text = text[:-1] + "わ"
    elif text.endswith("へ"):
        text = text[:-1] + "え"
    text = text.translate(_FOLD_CHARS)
    folded: list[str] = []
    vowel = ""
    for char in text:
        if char == "ー" or (vowel and char in _LENGTHENERS[vowel]):
            if folded and folded[-1] != "ー":
                folded.append("ー")
            continue
        folded.append(char)
        vowel = _VOWEL_OF.get(char, "")
    return "".join(folded)


def _romaji_candidates(text: str) -> list[str]:
    """The hiragana the typed romaji may stand for (empty when it is not romaji)."""
    text = text.translate(_MACRONS).replace("tch", "cch")
    text = _M_BEFORE_LABIAL.sub("n", text)
    text = _HYPHEN_AFTER_VOWEL.sub("ー", text).replace("-", "")
    text = _DOUBLE_N.sub("n'n", text)
    candidates = []
    for spelling in dict.fromkeys((text, _LONE_N.sub("n'", text))):
        kana = jaconv.alphabet2kana(spelling).replace("ん'", "ん")
        if _HIRAGANA_ONLY.match(kana) and not _STRAY_SOKUON.search(kana):
            candidates.append(kana)
    return candidates


def _reading_tolerance(length: int) -> int:
    return 0 if length <= 2 else 1 if length <= 4 else 2


def check_reading(expected_kana: str, typed: str) -> Check:
    """Compare a typed reading (kana or romaji) with the word's reading."""
    text = _strip_marks(unicodedata.normalize("NFKC", typed), _KEPT_MARKS).lower()
    text = text.replace("’", "'")
    if not text.strip("-'"):
        return Check(Verdict.INVALID, "Type the reading, in kana or romaji.")
    if any(is_kanji(c) for c in text):
        return Check(Verdict.INVALID, "Type the reading in kana or romaji, not in kanji.")
    hiragana = jaconv.kata2hira(text)
    is_kana_answer = bool(_HIRAGANA_ONLY.match(hiragana))
    candidates = [hiragana] if is_kana_answer else _romaji_candidates(hiragana)
    if not candidates:
        return Check(Verdict.INVALID, "That is not romaji or kana: type the reading.")
    expected = fold_kana(_strip_marks(unicodedata.normalize("NFKC", expected_kana), set()))
    folded = [fold_kana(c) for c in candidates]
    if expected in folded:
        return Check(Verdict.CORRECT)
    distance = min(DamerauLevenshtein.distance(expected, c) for c in folded)
    if distance <= _reading_tolerance(len(expected)):
        return Check(Verdict.NEAR)
    return Check(Verdict.WRONG)


_OPTIONAL_LEADING = {"to", "a", "an", "the"}
_PARENTHETICAL = re.compile(r"\([^)]*\)")
_OUR_ENDING = re.compile(r"(?<=\w{2})our\b")
_APOSTROPHES = re.compile("['’]")


def _normalise_meaning(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = _APOSTROPHES.sub("", text)  # "don't" = "dont"
    text = "".join(" " if unicodedata.category(c)[0] in {"P", "S"} else c for c in text)
    words = text.split()
    while len(words) > 1 and words[0] in _OPTIONAL_LEADING:
        words = words[1:]
    return _OUR_ENDING.sub("or", " ".join(words))


def meaning_alternatives(english: str) -> set[str]:
    """Every accepted form of a meaning: each part, with and without its parenthetical."""
    alternatives = set()
    for part in re.split(r"[;,/]", english):
        for form in (_PARENTHETICAL.sub(" ", part), part.replace("(", " ").replace(")", " ")):
            normalised = _normalise_meaning(form)
            if normalised:
                alternatives.add(normalised)
    return alternatives


def _meaning_tolerance(length: int) -> int:
    """WaniKani's typo tolerance by length: none for short words, more for long ones."""
    if length <= 3:
        return 0
    if length <= 5:
        return 1
    if length <= 7:
        return 2
    return 2 + length // 7


def _is_japanese(char: str) -> bool:
    return is_kanji(char) or "\u3040" <= char <= "\u30ff" or "\uff66" <= char <= "\uff9f"


def check_meaning(english: str, typed: str) -> Check:
    """Compare a typed meaning with any one of the word's English meanings."""
    if any(_is_japanese(c) for c in typed):
        return Check(Verdict.INVALID, "Type the meaning in English.")
    answer = _normalise_meaning(typed)
    if not answer:
        return Check(Verdict.INVALID, "Type the meaning in English.")
    alternatives = meaning_alternatives(english)
    if answer in alternatives:
        return Check(Verdict.CORRECT)
    for alternative in alternatives:
        if DamerauLevenshtein.distance(answer, alternative) <= _meaning_tolerance(len(alternative)):
            return Check(Verdict.NEAR)
    return Check(Verdict.WRONG)


def expected_reading(word: dict[str, str]) -> str | None:
    """The kana a reading question expects: the stored reading, else one derived."""
    if word.get("kana"):
        return word["kana"]
    japanese = word.get("japanese", "")
    if japanese and _HIRAGANA_ONLY.match(jaconv.kata2hira(japanese)):
        return japanese
    candidates = _romaji_candidates((word.get("romaji") or "").lower().replace(" ", ""))
    return candidates[0] if candidates else None


def check_answer(asks: Asks, word: dict[str, str], typed: str) -> Check:
    if asks == "reading":
        reading = expected_reading(word)
        if reading is not None:
            return check_reading(reading, typed)
    return check_meaning(word.get("english", ""), typed)
