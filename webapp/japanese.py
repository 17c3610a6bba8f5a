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


# Macrons and circumflexes as the portal spells long vowels (kyō -> kyou); the
# second spelling covers the other kana a long vowel can stand for (ō in おおきい).
_LONG_VOWELS = str.maketrans(
    {
        "ā": "aa",
        "ī": "ii",
        "ū": "uu",
        "ē": "ee",
        "ō": "ou",
        "â": "aa",
        "î": "ii",
        "û": "uu",
        "ê": "ee",
        "ô": "ou",
    }
)
_LONG_VOWELS_ALT = str.maketrans({"ē": "ei", "ō": "oo", "ê": "ei", "ô": "oo"})
MAX_QUERY_LENGTH = 100


def clean_query(raw: str) -> str:
    """A search box's text: spaces collapsed, at most MAX_QUERY_LENGTH characters."""
    return " ".join(raw.split())[:MAX_QUERY_LENGTH].strip()


def search_patterns(query: str) -> dict[str, str] | None:
    """Bind values that find and rank a word whichever script the query is in.

    `taberu`, `たべる` and `タベル` all find 食べる: romaji is turned into
    hiragana and compared with the reading, kana into romaji and compared with
    the romaji, and the text as typed is compared with the word and its meaning.
    A macron is the doubled vowel the portal spells (`kyō` finds `kyou`).
    Keys: `s_*` substring patterns (which words match), `x_*` exact values,
    `p_*` prefix patterns and `w_*` English word patterns (how well they match,
    see `webapp.queries.word_search`).
    """
    text = " ".join(query.split())
    if not text:
        return None
    lower = text.lower()
    latin = lower.translate(_LONG_VOWELS)
    latin_alt = lower.translate(_LONG_VOWELS_ALT).translate(_LONG_VOWELS)
    if is_kana(text):
        kana = to_hiragana(text)
        try:
            romaji = romaji_alt = romanize(text)
        except ValueError:  # a lone ー or っ spells nothing: match it as kana only
            romaji = romaji_alt = kana
    elif _LATIN.match(latin):
        kana = jaconv.alphabet2kana(latin)
        romaji, romaji_alt = latin, latin_alt
    else:
        kana = to_hiragana(text)
        romaji = romaji_alt = lower
    words = {
        "w_word": f"% {escape_like(lower)} %",
        "w_start": f"% {escape_like(lower)}%",
        "w_item": f"%;{escape_like(lower)};%",
        "w_item_to": f"%;to {escape_like(lower)};%",
    }
    return {
        "s_text": f"%{escape_like(text)}%",
        "s_kana": f"%{escape_like(kana)}%",
        "s_romaji": f"%{escape_like(romaji)}%",
        "s_romaji_alt": f"%{escape_like(romaji_alt)}%",
        "x_text": text,
        "x_lower": lower,
        "x_kana": kana,
        "x_romaji": romaji,
        "x_romaji_alt": romaji_alt,
        "p_text": f"{escape_like(text)}%",
        "p_kana": f"{escape_like(kana)}%",
        "p_romaji": f"{escape_like(romaji)}%",
        "p_romaji_alt": f"{escape_like(romaji_alt)}%",
        **words,
    }
