"""Searching words: best matches first in every script, macrons, true totals.

Through GET /api/words?q= and the /words page, on both databases. The
expected orders are worked out here from the seed words (the API's own
listing), by the rule the portal promises: exact or whole-word matches, then
prefixes, then substrings, ties by id.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.helpers import all_items, get

PAGE_ROW = re.compile(r'<td class="jp"><a href="/words/(\d+)">')


async def _search(client: Any, q: str, **params: Any) -> list[dict[str, Any]]:
    return await all_items(client, f"/api/words?{urlencode({'q': q, **params})}")


async def _ids_by_text(client: Any) -> dict[str, int]:
    return {w["japanese"]: w["id"] for w in await all_items(client, "/api/words")}


async def test_eat_lists_the_verb_before_weather_and_sweater(client):
    found = [w["japanese"] for w in await _search(client, "eat")]
    assert found[0] == "食べる"
    assert {"天気", "セーター"} <= set(found)
    # "eating" (a word starting with the query) before "weather" (only inside a word)
    assert found.index("いただきます") < found.index("天気")
    assert found.index("いただきます") < found.index("セーター")


def _tier(word: dict[str, Any], q: str) -> int:
    """The promised order for an English query, computed independently."""
    gloss = word["english"].lower()
    meanings = [m.strip() for m in gloss.split(";")]
    tokens = re.findall(r"[a-z']+", gloss)
    if q in meanings or f"to {q}" in meanings or word["romaji"] == q:
        return 0
    if q in tokens:
        return 1
    if any(t.startswith(q) for t in tokens) or word["romaji"].startswith(q):
        return 2
    return 3


@pytest.mark.parametrize("q", ["eat", "red", "day"])
async def test_english_results_come_in_rank_then_id_order(client, q: str):
    found = await _search(client, q)
    assert found, q
    expected = sorted(found, key=lambda w: (_tier(w, q), w["id"]))
    assert [w["id"] for w in found] == [w["id"] for w in expected]


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("日", "日"),  # kanji: the word itself before 日本, 毎日 …
        ("にほん", "日本"),  # kana reading, before 日本語
        ("nihon", "日本"),  # romaji
        ("Japan", "日本"),  # English, before "Japanese (language)"
        ("たべる", "食べる"),
        ("タベル", "食べる"),
        ("kyou", "今日"),
    ],
)
async def test_an_exact_match_comes_first_in_every_script(client, q: str, first: str):
    found = await _search(client, q)
    assert found[0]["japanese"] == first, [w["japanese"] for w in found[:5]]


async def test_prefixes_come_before_substrings(client):
    found = [w["japanese"] for w in await _search(client, "日")]
    # 日本 starts with 日; 毎日 only contains it
    assert found.index("日本") < found.index("毎日")


@pytest.mark.parametrize(
    ("macron", "plain"),
    [
        ("kyō", "kyou"),
        ("KYŌ", "kyou"),
        ("gakkō", "gakkou"),
        ("yūbinkyoku", "yuubinkyoku"),
        ("senshū", "senshuu"),
        ("ōkii", "ookii"),
        ("okāsan", "okaasan"),
        ("onîsan", "oniisan"),
    ],
)
async def test_a_macron_finds_the_doubled_vowel(client, macron: str, plain: str):
    with_macron = await _search(client, macron)
    assert with_macron, macron
    plain_first = (await _search(client, plain))[0]
    assert with_macron[0] == plain_first and plain_first["romaji"] == plain


async def test_totals_and_pages_stay_true_for_a_search(client):
    first = await get(client, "/api/words?q=a&page=1")
    total = first["pagination"]["total_items"]
    assert total > 100, "pick a query with more than one page"
    items = await _search(client, "a")
    assert len(items) == total == len({w["id"] for w in items})
    everything = await all_items(client, "/api/words")
    assert total == sum(
        1
        for w in everything
        if "a" in w["english"].lower() or "a" in w["romaji"] or "a" in w["japanese"]
    )


async def test_an_explicit_sort_still_wins_over_relevance(client):
    found = await _search(client, "eat", sort="english", order="asc")
    assert [w["english"] for w in found] == sorted(w["english"] for w in found)


async def test_a_search_matching_nothing_is_an_empty_page(client):
    body = await get(client, "/api/words?q=%25_%21zzq")
    assert body["items"] == [] and body["pagination"]["total_items"] == 0


async def test_the_words_page_lists_the_same_order(client):
    api_ids = [w["id"] for w in await _search(client, "eat")]
    response = await client.get("/words", query_string={"q": "eat"})
    assert response.status_code == 200
    page_ids = [int(i) for i in PAGE_ROW.findall(await response.get_data(as_text=True))]
    assert page_ids == api_ids[: len(page_ids)] and page_ids
    assert page_ids[0] == (await _ids_by_text(client))["食べる"]
    html = await (await client.get("/words", query_string={"q": "kyō"})).get_data(as_text=True)
    assert PAGE_ROW.findall(html)[0] == str((await _ids_by_text(client))["今日"])


@pytest.mark.parametrize("q", ["ー", "っ", "ンー", "%", "_", "'", "x" * 500])
async def test_text_that_spells_no_romaji_is_still_a_search(client, q: str):
    body = await get(client, f"/api/words?{urlencode({'q': q})}")
    assert body["pagination"]["total_items"] == len(await _search(client, q))
    response = await client.get("/words", query_string={"q": q})
    assert response.status_code == 200
    if q == "ー":
        assert "コーヒー" in {w["japanese"] for w in await _search(client, q)}
