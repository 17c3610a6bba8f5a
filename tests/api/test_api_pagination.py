"""Pagination (100 a page, ceil for total_pages, past the end is empty) and sorting
(every allowed column, both directions, ties broken by id) of the API's lists."""

from __future__ import annotations

import math
from datetime import timedelta
from itertools import pairwise
from typing import Any

from tests.helpers import (
    PAGE_SIZE,
    all_items,
    assert_page_shape,
    flashcards_id,
    get,
    group_id_by_name,
    insert_sessions,
    launch,
    review,
    seed_facts,
    total_items,
    utc,
)
from webapp.db import Conn

WORD_SORTS = ["id", "japanese", "romaji", "english", "correct_count", "wrong_count"]
TEXT_COLUMNS = {"japanese", "romaji", "english", "name"}


async def _largest_group(client) -> tuple[int, str]:
    facts = seed_facts()
    name = max(facts.group_names, key=lambda n: len(facts.group_words[n]))
    return await group_id_by_name(client, name), name


async def _code_point_collation(conn: Conn) -> bool:
    """Whether the database orders text as Python does (by code point)."""
    if conn.is_sqlite:
        return True  # BINARY collation
    collation = await conn.fetch_val(
        "SELECT datcollate FROM pg_database WHERE datname = current_database()"
    )
    return collation in ("C", "POSIX") or collation.startswith("C.")


async def _db_says_in_order(conn: Conn, first: str, second: str, code_points: bool) -> bool:
    """Text order as the database's collation has it (a linguistic collation
    on another server may differ from Python's code-point order)."""
    if code_points:
        return first <= second
    return bool(
        await conn.fetch_val(
            "SELECT CAST(:a AS TEXT) <= CAST(:b AS TEXT)", {"a": first, "b": second}
        )
    )


async def _assert_sorted(conn: Conn, items: list[dict[str, Any]], column: str, order: str) -> None:
    """Each item comes after the previous one by (value, id), in `order`."""
    code_points = await _code_point_collation(conn)
    for before, after in pairwise(items):
        if order == "desc":
            before, after = after, before
        a, b = before[column], after[column]
        if a == b:
            assert before["id"] < after["id"], (column, order, before, after)
        elif column in TEXT_COLUMNS:
            assert await _db_says_in_order(conn, a, b, code_points), (column, order, a, b)
        else:
            assert a < b, (column, order, before, after)


async def _some_reviews(client) -> None:
    """Counts that differ from word to word, with ties, so count sorts mean something."""
    group, _ = await _largest_group(client)
    words = (await get(client, f"/api/groups/{group}/words"))["items"][:12]
    session = await launch(client, group, await flashcards_id(client))
    for index, word in enumerate(words):
        for answer in range(index % 4):
            await review(client, session["id"], word["id"], correct=(answer + index) % 3 != 0)


async def test_words_pages_hold_100_items_and_total_pages_is_the_ceiling(client):
    total = seed_facts().word_count
    first = await get(client, "/api/words")
    assert_page_shape(first)
    assert first["pagination"]["total_items"] == total
    assert first["pagination"]["total_pages"] == math.ceil(total / PAGE_SIZE)
    last_page = first["pagination"]["total_pages"]
    last = await get(client, f"/api/words?page={last_page}")
    assert_page_shape(last, page=last_page)
    assert len(first["items"]) == min(PAGE_SIZE, total)
    assert len(last["items"]) == total - PAGE_SIZE * (last_page - 1)


async def test_a_page_past_the_end_is_empty_not_an_error(client):
    total_pages = (await get(client, "/api/words"))["pagination"]["total_pages"]
    for path in (
        f"/api/words?page={total_pages + 1}",
        "/api/words?page=1000000",
        "/api/groups?page=2",
        "/api/study_sessions?page=2",
        "/api/study_activities?page=5",
    ):
        body = await get(client, path)
        assert body["items"] == []
        assert body["pagination"]["current_page"] == int(path.rsplit("=", 1)[1])
    assert (await get(client, "/api/words?page=50"))["pagination"]["total_items"] == (
        seed_facts().word_count
    )


async def test_an_empty_list_has_zero_or_one_page(client):
    body = await get(client, "/api/study_sessions")
    assert body["items"] == []
    assert body["pagination"]["total_items"] == 0
    assert body["pagination"]["total_pages"] in (0, 1)


async def test_paging_through_words_returns_every_word_exactly_once(client):
    items = await all_items(client, "/api/words")
    ids = [w["id"] for w in items]
    assert len(ids) == len(set(ids)) == seed_facts().word_count
    assert {(w["japanese"], w["romaji"]) for w in items} == set(seed_facts().words)


async def test_paging_through_a_sorted_list_returns_every_word_exactly_once(client):
    await _some_reviews(client)
    for sort in ("english", "correct_count"):
        ids = [w["id"] for w in await all_items(client, f"/api/words?sort={sort}&order=desc")]
        assert len(ids) == len(set(ids)) == seed_facts().word_count, sort


async def test_paging_through_a_groups_words_returns_each_exactly_once(client):
    group, name = await _largest_group(client)
    count = len(seed_facts().group_words[name])
    first = await get(client, f"/api/groups/{group}/words")
    assert first["pagination"]["total_pages"] == math.ceil(count / PAGE_SIZE)
    items = await all_items(client, f"/api/groups/{group}/words?sort=romaji")
    ids = [w["id"] for w in items]
    assert len(ids) == len(set(ids)) == count


async def test_paging_through_sessions_returns_each_once_newest_first(client, conn):
    group, _ = await _largest_group(client)
    activity = await flashcards_id(client)
    base = utc(2026, 1, 10, 12, 0, 0)
    # 150 sessions, three at each instant, so ties must break by id
    times = [base + timedelta(minutes=i // 3) for i in range(150)]
    created = await insert_sessions(conn, group, activity, times)
    body = await get(client, "/api/study_sessions")
    assert body["pagination"]["total_items"] == 150
    assert body["pagination"]["total_pages"] == 2
    items = await all_items(client, "/api/study_sessions")
    ids = [s["id"] for s in items]
    assert sorted(ids) == sorted(created)
    keys = [(s["start_time"], s["id"]) for s in items]
    assert keys == sorted(keys, reverse=True)


async def test_words_sort_by_every_column_both_ways(client, conn):
    await _some_reviews(client)
    for sort in WORD_SORTS:
        for order in ("asc", "desc"):
            items = await all_items(client, f"/api/words?sort={sort}&order={order}")
            assert len(items) == seed_facts().word_count
            await _assert_sorted(conn, items, sort, order)


async def test_default_word_order_is_by_id(client):
    ids = [w["id"] for w in await all_items(client, "/api/words")]
    assert ids == sorted(ids)


async def test_order_is_case_insensitive_and_sort_without_order_is_ascending(client, conn):
    asc = (await get(client, "/api/words?sort=romaji"))["items"]
    await _assert_sorted(conn, asc, "romaji", "asc")
    upper = (await get(client, "/api/words?sort=romaji&order=DESC"))["items"]
    await _assert_sorted(conn, upper, "romaji", "desc")


async def test_a_groups_words_sort_by_every_column_both_ways(client, conn):
    await _some_reviews(client)
    group, name = await _largest_group(client)
    for sort in WORD_SORTS:
        for order in ("asc", "desc"):
            items = await all_items(client, f"/api/groups/{group}/words?sort={sort}&order={order}")
            assert len(items) == len(seed_facts().group_words[name])
            await _assert_sorted(conn, items, sort, order)


async def test_groups_sort_by_name_and_word_count_both_ways(client, conn):
    for sort in ("name", "word_count"):
        for order in ("asc", "desc"):
            items = await all_items(client, f"/api/groups?sort={sort}&order={order}")
            assert len(items) == len(seed_facts().group_names)
            await _assert_sorted(conn, items, sort, order)


async def test_default_group_order_is_by_name(client, conn):
    items = await all_items(client, "/api/groups")
    await _assert_sorted(conn, items, "name", "asc")
    expected = {name: len(words) for name, words in seed_facts().group_words.items()}
    assert {g["name"]: g["word_count"] for g in items} == expected


async def test_session_lists_of_a_group_and_an_activity_are_newest_first(client):
    group, _ = await _largest_group(client)
    activity = await flashcards_id(client)
    launched = [(await launch(client, group, activity))["id"] for _ in range(3)]
    for path in (
        f"/api/groups/{group}/study_sessions",
        f"/api/study_activities/{activity}/study_sessions",
    ):
        items = (await get(client, path))["items"]
        assert [s["id"] for s in items] == sorted(launched, reverse=True)
        assert await total_items(client, path) == 3


async def test_session_words_sort_by_counts_within_the_session(client, conn):
    group, _ = await _largest_group(client)
    words = [w["id"] for w in (await get(client, f"/api/groups/{group}/words"))["items"][:4]]
    activity = await flashcards_id(client)
    elsewhere = await launch(client, group, activity)
    for _ in range(5):  # many answers in another session must not count here
        await review(client, elsewhere["id"], words[0], True)
    session = await launch(client, group, activity)
    for word, answers in zip(words, (1, 3, 2, 3), strict=True):
        for _ in range(answers):
            await review(client, session["id"], word, True)
    path = f"/api/study_sessions/{session['id']}/words?sort=correct_count&order=desc"
    items = (await get(client, path))["items"]
    assert [w["id"] for w in items] == [words[3], words[1], words[2], words[0]]
    await _assert_sorted(conn, items, "correct_count", "desc")
