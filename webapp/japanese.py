"""Japanese text helpers: script detection, kana/romaji conversion, search patterns.

Romaji follows what a learner types: Hepburn (shi, chi, tsu, fu, ji), long
vowels spelled as in kana (toukyou), no macrons.  `jaconv` does the
conversion; the fix-ups below cover what it leaves (the katakana long-vowel
mark, っ before ch, ん before a vowel or y).
"""

from __future__ import annotations

import re

import jaconv

_LATIN = re.compile(r"^[A-Za-z' -]+$")

# Applied (in order) to hiragana before jaconv, which spells these differently
# (ティ -> "tei", シェ -> "shie", ぢゃ -> "jiya", を -> "wo").
_PRE_JACONV = [
    ("てぃ", "ti"),
    ("でぃ", "di"),
    ("とぅ", "tu"),
    ("どぅ", "du"),
    ("てゅ", "tyu"),
    ("でゅ", "dyu"),
    ("うぃ", "wi"),
    ("うぇ", "we"),
    ("うぉ", "wo"),
    ("いぇ", "ye"),
    ("しぇ", "she"),
    ("じぇ", "je"),
    ("ちぇ", "che"),
    ("ぢゃ", "ja"),
    ("ぢゅ", "ju"),
    ("ぢょ", "jo"),
    ("を", "o"),
]
_N_BEFORE_VOWEL = re.compile("ん(?=[あいうえおやゆよaeiouy])")
_LONG_MARK = re.compile("([aeiou])-")
_SMALL_KANA = set("ゃゅょぁぃぅぇぉゎャュョァィゥェォヮ")


def is_kanji(char: str) -> bool:
    """CJK ideographs plus the repeat mark 々 (as in 時々)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or char == "々"


def is_kana(text: str) -> bool:
    """Hiragana, katakana and the long-vowel mark only (and not empty)."""
    return bool(text) and all(
        "\u3041" <= c <= "\u3096" or "\u30a1" <= c <= "\u30fa" or c == "ー" for c in text
    )


def to_hiragana(text: str) -> str:
    return jaconv.kata2hira(text)


def romanize(kana: str) -> str:
    """Hepburn romaji as a learner types it: toukyou, kitte, kin'en, koohii.

    jaconv does the bulk; the fix-ups give ティ/シェ/ぢゃ their Hepburn spelling,
    ``n'`` before a vowel or y, ``tch`` for っち, and ー as a repeated vowel.
    """
    if not is_kana(kana):
        raise ValueError(f"not kana: {kana!r}")
    text = jaconv.kata2hira(kana)
    for src, dst in _PRE_JACONV:
        text = text.replace(src, dst)
    text = _N_BEFORE_VOWEL.sub("n'", text)
    text = jaconv.kana2alphabet(text).replace("cch", "tch")
    while _LONG_MARK.search(text):
        text = _LONG_MARK.sub(r"\1\1", text)
    if not re.fullmatch(r"[a-z']+", text) or "x" in text or text.startswith("'"):
        raise ValueError(f"cannot romanise {kana!r} (got {text!r})")
    return text


def escape_like(text: str) -> str:
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def search_patterns(query: str) -> dict[str, str] | None:
    """LIKE patterns that find a word whichever script the query is typed in.

    `taberu`, `たべる` and `タベル` all find 食べる: romaji is turned into
    hiragana and compared with the reading, kana into romaji and compared with
    the romaji, and the text as typed is compared with the word and its meaning.
    """
    text = " ".join(query.split())
    if not text:
        return None
    if is_kana(text):
        kana = to_hiragana(text)
        romaji = romanize(text)
    elif _LATIN.match(text):
        kana = jaconv.alphabet2kana(text.lower())
        romaji = text.lower()
    else:
        kana = to_hiragana(text)
        romaji = text.lower()
    return {
        "s_text": f"%{escape_like(text)}%",
        "s_kana": f"%{escape_like(kana)}%",
        "s_romaji": f"%{escape_like(romaji)}%",
    }
