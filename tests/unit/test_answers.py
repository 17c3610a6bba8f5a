"""The typed-answer checker against the portal's verdict table."""

from __future__ import annotations

import pytest

from webapp.answers import Verdict, check_answer, check_meaning, check_reading, fold_kana

C, N, W, X = Verdict.CORRECT, Verdict.NEAR, Verdict.WRONG, Verdict.INVALID  # X: ask again

READINGS = [
    ("とうきょう", "とうきょう", C, "exact kana"),
    ("とうきょう", "toukyou", C, "romaji, long o as ou"),
    ("とうきょう", "tōkyō", C, "macrons"),
    ("とうきょう", "tookyoo", C, "long o as oo"),
    ("とうきょう", "  TOUKYOU ", C, "case and spaces"),
    ("とうきょう", "ＴＯＵＫＹＯＵ", C, "full-width Latin"),
    ("とうきょう", "トーキョー", C, "katakana; ー as the long vowel"),
    ("とうきょう", "tokyo", N, "a dropped length is not a spelling"),
    ("せんせい", "sensē", C, "ē for ei"),
    ("すし", "susi", C, "si = shi"),
    ("つくえ", "tukue", C, "tu = tsu"),
    ("ちかてつ", "tikatetu", C, "ti = chi, tu = tsu"),
    ("きって", "kitte", C, "small tsu as a doubled consonant"),
    ("きって", "kite", N, "small tsu missing"),
    ("まっちゃ", "matcha", C, "tch = cch"),
    ("さんぽ", "sampo", C, "m before p = n"),
    ("きんようび", "kin'youbi", C, "n' before y"),
    ("きんようび", "kinyoubi", C, "romaji without apostrophe: either reading of n"),
    ("きんようび", "きにょうび", N, "kana is unambiguous: にょ is not んよ"),
    ("こんにちは", "konnichiwa", C, "nn + vowel; a final は reads wa"),
    ("こんにちは", "こんにちわ", C, "a final は = わ"),
    ("おかあさん", "okāsan", C, "ā for aa"),
    ("おかあさん", "okasan", N, "short a for long aa"),
    ("コーヒー", "こおひい", C, "ー = repeated vowel; hiragana = katakana"),
    ("コーヒー", "ko-hi-", C, "hyphen as the long-vowel mark"),
    ("ぎゅうにゅう", "gyuunyuu", C, "long u after a small ゅ"),
    ("たべる", "食べる", X, "kanji typed for a reading"),
    ("たべる", "eat", X, "not romaji"),
    ("たべる", "のむ", W, "another word"),
    # beyond the table: what the input method and other spellings produce
    ("たべる", "TABERU", C, "upper case (WanaKana would show katakana)"),
    ("たべる", "タベル", C, "katakana for a hiragana word"),
    ("きん", "きn", C, "WanaKana keeps a final n until the next key"),
    ("こんにちは", "konnnichiha", C, "three n"),
    ("きんえん", "kinen", C, "a lone n before a vowel may be ん"),
    ("しゃしん", "syasin", C, "Kunrei sya, si"),
    ("じしょ", "zisyo", C, "Kunrei zi, syo"),
    ("ふじさん", "huzisan", C, "Kunrei hu, zi"),
    ("はなぢ", "hanaji", C, "ぢ = じ"),
    ("おおきい", "ookii", C, "oo"),
    ("おおきい", "oukii", C, "ou and oo are one long o"),
    ("しんぶん", "shimbun", C, "m before b = n"),
    ("せんもん", "semmon", C, "m before m = n"),
    ("たべる", "", X, "nothing typed"),
    ("たべる", "t", X, "a lone consonant"),
    ("たべる", "123", X, "digits"),
    ("たべる", "たべ", N, "one kana missing"),
    ("あ", "i", W, "one kana: no typo tolerance"),
]

MEANINGS = [
    ("to eat", "eat", C, "leading to optional"),
    ("to eat", "To Eat!", C, "case, punctuation"),
    ("to eat", "eta", W, "3 letters: no typo tolerance"),
    ("movie; film", "moive", N, "transposition within the tolerance"),
    ("to eat", "たべる", X, "Japanese typed for a meaning"),
    ("to eat", "drink", W, "another word"),
    ("hello; good afternoon", "good afternoon", C, "any one of several meanings"),
    ("hello; good afternoon", "good evening", W, "a different meaning"),
    ("thanks; very (much)", "very much", C, "parenthetical words allowed"),
    ("thanks; very (much)", "very", C, "parenthetical words optional"),
    ("colour", "color", C, "-our = -or"),
    ("subway; underground", "the underground", C, "leading article optional"),
    ("postage stamp", "postage stmp", N, "one letter missing"),
    # beyond the table
    ("movie; film", "film", C, "the second meaning"),
    ("car, automobile", "automobile", C, "comma-separated meanings"),
    ("a (hiragana)", "a", C, "a lone article is the answer itself"),
    ("(green) tea", "green tea", C, "leading parenthetical kept"),
    ("(green) tea", "tea", C, "leading parenthetical dropped"),
    ("(someone's) wife", "someones wife", C, "apostrophes dropped"),
    ("to eat", "", X, "nothing typed"),
    ("to eat", "  !! ", X, "only punctuation"),
    ("to eat", "食", X, "a kanji"),
    ("to eat", "ﾀﾍﾞﾙ", X, "half-width katakana"),
]


@pytest.mark.parametrize(
    ("expected", "typed", "verdict", "rule"), READINGS, ids=[r[3] for r in READINGS]
)
def test_reading_verdicts(expected: str, typed: str, verdict: Verdict, rule: str) -> None:
    assert check_reading(expected, typed).verdict == verdict, rule


@pytest.mark.parametrize(
    ("expected", "typed", "verdict", "rule"), MEANINGS, ids=[r[3] for r in MEANINGS]
)
def test_meaning_verdicts(expected: str, typed: str, verdict: Verdict, rule: str) -> None:
    assert check_meaning(expected, typed).verdict == verdict, rule


def test_invalid_answers_say_what_to_type() -> None:
    assert "kanji" in check_reading("たべる", "食べる").message
    assert "English" in check_meaning("to eat", "たべる").message


def test_folding_gives_one_spelling_per_sound() -> None:
    assert fold_kana("とうきょう") == fold_kana("トーキョー") == fold_kana("とおきょお")
    assert fold_kana("こんにちは") == "こんにちわ"
    assert fold_kana("ゆき") != fold_kana("ゆうき")  # a long vowel still matters


def test_reading_question_without_stored_kana_uses_the_writing_or_romaji() -> None:
    kana_word = {"japanese": "すし", "kana": "", "romaji": "sushi", "english": "sushi"}
    kanji_word = {"japanese": "寿司", "kana": "", "romaji": "sushi", "english": "sushi"}
    assert check_answer("reading", kana_word, "sushi").verdict == C
    assert check_answer("reading", kanji_word, "すし").verdict == C
    assert check_answer("meaning", kanji_word, "sushi").verdict == C
