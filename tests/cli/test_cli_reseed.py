"""`python -m webapp seed` over a database seeded from older seed files: the
corrected glosses and groups arrive in place, and the learner's history stays.

The older files are made from today's by undoing what `seeds/revisions.json`
says changed (previous glosses and group names, memberships since left) and by
leaving out words added since, so the test follows the seed files as they grow.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.helpers import (
    SEEDS,
    all_items,
    api_client,
    cli_on,
    connect,
    flashcards_id,
    get,
    group_id_by_name,
    launch,
    migrate_in_process,
    review,
    seed_facts,
    word_key,
)
from webapp.services.seeding import load_seed_content, seed

# Words the older files did not have (a few of those added since).
ADDED_SINCE = {"父", "日本語", "押す"}


def _write(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def older_seed_files(target: Path) -> Path:
    """A copy of seeds/ as it was before the revisions, in `target`."""
    shutil.copytree(SEEDS, target)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    revisions = json.loads((target / manifest.pop("revisions")).read_text(encoding="utf-8"))
    old_names = {g["key"]: g["name"][0] for g in revisions["groups"]}
    old_fields = {(w["kanji"], w["romaji"]): w for w in revisions["words"]}
    files = {g["key"]: target / g["file"] for g in manifest["groups"]}
    words_by_group = {k: json.loads(p.read_text(encoding="utf-8")) for k, p in files.items()}
    for key, words in words_by_group.items():
        kept = []
        for word in words:
            if word["kanji"] in ADDED_SINCE:
                continue
            old = old_fields.get((word["kanji"], word["romaji"]), {})
            kept.append({**word, **{f: old[f][0] for f in ("english", "kana") if f in old}})
        words_by_group[key] = kept
    for revision in revisions["words"]:
        word = next(
            w
            for words in words_by_group.values()
            for w in words
            if (w["kanji"], w["romaji"]) == (revision["kanji"], revision["romaji"])
        )
        for group in revision.get("left_groups", []):
            words_by_group[group].append(word)
    for key, words in words_by_group.items():
        _write(files[key], words)
    for group in manifest["groups"]:
        group["name"] = old_names.get(group["key"], group["name"])
    _write(target / "manifest.json", manifest)
    return target


async def _words(client: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return {word_key(w): w for w in await all_items(client, "/api/words")}


async def test_reseed_corrects_old_content_and_keeps_history(empty_database_url, tmp_path):
    url = empty_database_url
    await migrate_in_process(url)
    old = load_seed_content(older_seed_files(tmp_path / "seeds"))
    async with connect(url) as conn:
        await seed(conn, old)
        # A gloss edited in the portal: not any seeded version, so a re-seed keeps it.
        await conn.execute(
            "UPDATE words SET english = 'door (my own note)' WHERE seed_key = '戸|to'"
        )

    old_clothes = next(g.name for g in old.groups if g.key == "clothes")
    old_places = next(g.name for g in old.groups if g.key == "places")
    async with api_client(url) as client:
        words = await _words(client)
        suki, aka, narabu = words[("好き", "suki")], words[("赤", "aka")], words[("並ぶ", "narabu")]
        assert (suki["english"], aka["english"]) == ("to like", "red")
        assert ("父", "chichi") not in words
        clothes = await group_id_by_name(client, old_clothes)
        places = await group_id_by_name(client, old_places)
        activity = await flashcards_id(client)
        first = await launch(client, clothes, activity)
        await review(client, first["id"], aka["id"], False)
        await review(client, first["id"], aka["id"], True)
        second = await launch(client, places, activity)
        await review(client, second["id"], narabu["id"], True)
        sessions_before = await all_items(client, "/api/study_sessions")

    run = cli_on(url, "seed")
    assert run.code == 0, run.err
    assert "corrected in place" in run.out, run.out
    assert "戸" in run.out, "the kept edit is not reported"

    facts = seed_facts()
    async with api_client(url) as client:
        words = await _words(client)
        # Same rows (ids), new glosses, the learner's counts untouched.
        assert words[("好き", "suki")]["id"] == suki["id"]
        assert words[("好き", "suki")]["english"] == facts.words[("好き", "suki")]["english"]
        new_aka = words[("赤", "aka")]
        assert (new_aka["id"], new_aka["english"]) == (aka["id"], "red (noun)")
        assert (new_aka["correct_count"], new_aka["wrong_count"]) == (1, 1)
        assert words[("赤い", "akai")]["english"] == "red (adjective)"
        assert words[("戸", "to")]["english"] == "door (my own note)"
        # Words added since are there, and every seed word once.
        assert set(words) == set(facts.words)
        # The renamed group is the same group, with its session.
        new_name = next(
            g["name"]
            for g in json.loads((SEEDS / "manifest.json").read_text())["groups"]
            if g["key"] == "clothes"
        )
        assert await group_id_by_name(client, new_name) == clothes
        shown = await get(client, f"/api/groups/{clothes}/study_sessions")
        assert [s["id"] for s in shown["items"]] == [first["id"]]
        # Memberships: exactly the seed's, 並ぶ no longer in Places.
        for group in await all_items(client, "/api/groups"):
            members = await all_items(client, f"/api/groups/{group['id']}/words")
            assert {word_key(w) for w in members} == facts.group_words[group["name"]], group
        groups_of_narabu = (await get(client, f"/api/words/{narabu['id']}"))["groups"]
        assert places not in {g["id"] for g in groups_of_narabu}
        # History: the same sessions and reviews.
        sessions_after = await all_items(client, "/api/study_sessions")
        assert [(s["id"], s["review_items_count"]) for s in sessions_after] == [
            (s["id"], s["review_items_count"]) for s in sessions_before
        ]
        reviewed = await all_items(client, f"/api/study_sessions/{second['id']}/words")
        assert [w["id"] for w in reviewed] == [narabu["id"]]

    again = cli_on(url, "seed")
    assert again.code == 0, again.err
    assert "nothing changed" in again.out
