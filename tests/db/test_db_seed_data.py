"""The seeded database, checked through the API against the seed files
(counted here, independently of the seeding code), and its invariants."""

from __future__ import annotations

from collections import Counter

from tests.helpers import (
    all_items,
    counters_and_recount,
    get,
    seed_facts,
    total_items,
    word_key,
)


async def test_every_manifest_group_exists_with_its_word_count(client):
    groups = {g["name"]: g for g in await all_items(client, "/api/groups")}
    expected = {name: len(keys) for name, keys in seed_facts().group_words.items()}
    assert {name: g["word_count"] for name, g in groups.items()} == expected
    for name, group in groups.items():
        assert await total_items(client, f"/api/groups/{group['id']}/words") == expected[name]


async def test_every_group_holds_exactly_the_words_of_its_file(client):
    for group in await all_items(client, "/api/groups"):
        words = await all_items(client, f"/api/groups/{group['id']}/words")
        assert {word_key(w) for w in words} == seed_facts().group_words[group["name"]], group


async def test_every_seed_word_is_one_word_with_its_text(client):
    words = await all_items(client, "/api/words")
    keys = Counter(word_key(w) for w in words)
    assert set(keys) == set(seed_facts().words)
    assert max(keys.values()) == 1, "a seed word was added twice"
    for word in words:
        entry = seed_facts().words[word_key(word)]
        assert word["english"] == entry["english"]
        assert word["parts"] == entry.get("parts", [])
        assert (word["correct_count"], word["wrong_count"]) == (0, 0)


async def test_memberships_add_up(client):
    listed = sum(g["word_count"] for g in await all_items(client, "/api/groups"))
    assert listed == seed_facts().membership_count


async def test_a_word_in_several_files_lists_each_group(client):
    facts = seed_facts()
    shared = [key for key in facts.words if len(facts.groups_of(key)) > 1]
    assert shared, "no seed word is in two groups any more: pick another check"
    words = {word_key(w): w for w in await all_items(client, "/api/words")}
    for key in shared[:5]:
        shown = await get(client, f"/api/words/{words[key]['id']}")
        assert {g["name"] for g in shown["groups"]} == facts.groups_of(key)


async def test_seeded_activities_match_the_activities_file(client):
    activities = await all_items(client, "/api/study_activities")
    expected = {
        (a["name"], a["activity_type"], a.get("thumbnail_url")) for a in seed_facts().activities
    }
    assert {(a["name"], a["activity_type"], a["thumbnail_url"]) for a in activities} == expected


async def test_seeded_counters_equal_a_recount(conn):
    kept, recounted = await counters_and_recount(conn)
    assert kept == recounted
    assert len(kept["groups"]) == len(seed_facts().group_names)
