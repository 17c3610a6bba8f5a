"""Japanese text helpers: script detection, kana/romaji conversion, search patterns.

Romaji follows what a learner types: Hepburn (shi, chi, tsu, fu, ji), long
vowels spelled as in kana (toukyou), no macrons.  `jaconv` does the
conversion; the fix-ups below cover what it leaves (the katakana long-vowel
mark, っ before ch, ん before a vowel or y).
"""

from __future__ import annotations

import re

import jaconv

_KANA = re.compile(r"^[\u3040-\u309f\u30a0-\u30ffー]+$")
_LATIN = re.compile(r"^[A-Za-z' -]+$")
_VOWELS = "aeiou"


def is_kana(text: str) -> bool:
    return bool(_KANA.match(text))


def to_hiragana(text: str) -> str:
    return jaconv.kata2hira(text)


# Small-vowel combinations in loanwords that jaconv spells differently.
_LOANWORD_MORAE = {
    "てぃ": "ti",
    "でぃ": "di",
    "とぅ": "tu",
    "どぅ": "du",
    "ふぁ": "fa",
    "ふぃ": "fi",
    "ふぇ": "fe",
    "ふぉ": "fo",
    "うぃ": "wi",
    "うぇ": "we",
    "うぉ": "wo",
    "ゔぁ": "va",
    "ゔぃ": "vi",
    "ゔぇ": "ve",
    "ゔぉ": "vo",
    "しぇ": "she",
    "じぇ": "je",
    "ちぇ": "che",
    "つぁ": "tsa",
    "てゅ": "tyu",
    "ゔ": "vu",
}
_SMALL = "ゃゅょぁぃぅぇぉ"


def _morae(hira: str) -> list[str]:
    morae: list[str] = []
    for char in hira:
        if char in _SMALL and morae and morae[-1] not in ("っ", "ん", "ー"):
            morae[-1] += char
        else:
            morae.append(char)
    return morae


def romanize(kana: str) -> str:
    """Hepburn romaji of a kana string, as a learner would type it."""
    morae = _morae(to_hiragana(kana))
    out: list[str] = []
    double_next = False
    for index, mora in enumerate(morae):
        if mora == "っ":
            double_next = True
            continue
        if mora == "ー":
            vowel = next((c for c in reversed("".join(out)) if c in _VOWELS), "")
            out.append(vowel)
            continue
        if mora == "ん":
            following = _mora_romaji(morae[index + 1]) if index + 1 < len(morae) else ""
            out.append("n'" if following[:1] in (*_VOWELS, "y") and following != "" else "n")
            continue
        romaji = _mora_romaji(mora)
        if double_next and romaji:
            out.append("t" if romaji.startswith("ch") else romaji[0])
        double_next = False
        out.append(romaji)
    return "".join(out)


def _mora_romaji(mora: str) -> str:
    return _LOANWORD_MORAE.get(mora) or jaconv.kana2alphabet(mora)


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
