"""Authoring through the API: groups, memberships and words, the word input rules,
who may author, and the counters that must stay true."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.helpers import (
    body_of,
    counters_and_recount,
    expect_error,
    flashcards_id,
    get,
    launch,
    post,
    review,
    total_items,
)

TOKEN = "a-long-authoring-token"
REMOTE = {"client": ("203.0.113.9", 5000)}


async def send(client, method: str, path: str, body: Any = None, status: int = 200, **kw):
    response = await client.open(path, method=method, json=body, **kw)
    data = await body_of(response)
    assert response.status_code == status, (method, path, response.status_code, data)
    return data


async def new_group(client, name: str = "Week 3: food") -> dict[str, Any]:
    return await send(client, "POST", "/api/groups", {"name": name}, status=201)


async def new_word(client, status: int = 201, **fields: Any) -> dict[str, Any]:
    body = {"japanese": "狐", "kana": "きつね", "english": "fox", **fields}
    return await send(client, "POST", "/api/words", body, status=status)


async def assert_counters_true(conn) -> None:
    kept, recounted = await counters_and_recount(conn)
    assert kept == recounted


async def test_create_rename_and_delete_a_group(client, conn):
    before = await total_items(client, "/api/groups")
    group = await new_group(client, "  Week 3: food  ")
    assert group["name"] == "Week 3: food" and group["word_count"] == 0
    assert group["stats"] == {"total_word_count": 0} and group["created_at"].endswith("Z")
    assert await total_items(client, "/api/groups") == before + 1

    renamed = await send(client, "PATCH", f"/api/groups/{group['id']}", {"name": "Week 4"})
    assert renamed["name"] == "Week 4"
    assert (await get(client, f"/api/groups/{group['id']}"))["name"] == "Week 4"

    gone = await send(client, "DELETE", f"/api/groups/{group['id']}")
    assert gone == {
        "success": True,
        "id": group["id"],
        "words_unlinked": 0,
        "study_sessions_kept": 0,
    }
    await expect_error(client, "GET", f"/api/groups/{group['id']}", 404)
    await expect_error(client, "DELETE", f"/api/groups/{group['id']}", 404)
    await expect_error(client, "PATCH", f"/api/groups/{group['id']}", 404, json={"name": "x y"})
    assert await total_items(client, "/api/groups") == before
    # the name is free again
    await new_group(client, "Week 4")
    await assert_counters_true(conn)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": 5}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "bad\x07name"}, "name"),
    ],
)
async def test_group_names_that_break_the_rules_are_422(client, body, field):
    response = await expect_error(client, "POST", "/api/groups", 422, json=body)
    assert (await body_of(response))["field"] == field


async def test_a_taken_group_name_is_409_whatever_its_case(client):
    group = await new_group(client, "Verbs of motion")
    other = await new_group(client, "Another")
    for name in ("Verbs of motion", "VERBS OF MOTION"):
        body = await body_of(
            await expect_error(client, "POST", "/api/groups", 409, json={"name": name})
        )
        assert body["field"] == "name" and body["existing_id"] == group["id"]
    patch = await expect_error(
        client, "PATCH", f"/api/groups/{other['id']}", 409, json={"name": "verbs of motion"}
    )
    assert (await body_of(patch))["existing_id"] == group["id"]


async def test_deleting_a_group_keeps_its_words_and_every_session(client, conn):
    group = await new_group(client)
    word = await new_word(client, group_ids=[group["id"]])
    session = await launch(client, group["id"], await flashcards_id(client))
    await review(client, session["id"], word["id"], True)
    result = await send(client, "DELETE", f"/api/groups/{group['id']}")
    assert result["words_unlinked"] == 1 and result["study_sessions_kept"] == 1
    kept = await get(client, f"/api/study_sessions/{session['id']}")
    assert kept["group_id"] == group["id"] and kept["group_name"] == "Week 3: food"
    assert (await get(client, f"/api/words/{word['id']}"))["groups"] == []
    names = [g["name"] for g in (await get(client, "/api/groups?page=1"))["items"]]
    assert "Week 3: food" not in names
    await assert_counters_true(conn)


async def test_memberships_are_idempotent_and_counted(client, conn):
    group = await new_group(client)
    word = await new_word(client)
    path = f"/api/groups/{group['id']}/words/{word['id']}"
    added = await send(client, "PUT", path, status=201)
    assert added == {"group_id": group["id"], "word_id": word["id"], "word_count": 1}
    assert (await send(client, "PUT", path, status=200))["word_count"] == 1
    assert await total_items(client, f"/api/groups/{group['id']}/words") == 1
    assert (await get(client, f"/api/groups/{group['id']}"))["stats"]["total_word_count"] == 1
    await assert_counters_true(conn)
    assert await send(client, "DELETE", path) == {"success": True, "word_count": 0}
    await expect_error(client, "DELETE", path, 404)
    assert (await get(client, f"/api/words/{word['id']}"))["id"] == word["id"]
    await expect_error(client, "PUT", f"/api/groups/{group['id']}/words/999999", 404)
    await expect_error(client, "PUT", f"/api/groups/999999/words/{word['id']}", 404)
    await assert_counters_true(conn)


async def test_create_a_word_derives_romaji_and_joins_groups(client, conn):
    total = await total_items(client, "/api/words")
    group = await new_group(client)
    word = await new_word(
        client,
        japanese=" 稲妻 ",
        kana="いなずま",
        english="lightning",
        parts=[{"kanji": "稲", "romaji": ["ina"]}, {"kanji": "妻", "romaji": ["zuma"]}],
        group_ids=[group["id"]],
    )
    assert word["romaji"] == "inazuma" and word["japanese"] == "稲妻"
    assert word["groups"] == [{"id": group["id"], "name": group["name"]}]
    assert word["stats"] == {"correct_count": 0, "wrong_count": 0}
    kana_only = await new_word(client, japanese="ピザパン", kana=None, english="pizza bread")
    assert kana_only["kana"] == "ピザパン" and kana_only["romaji"] == "pizapan"
    assert await total_items(client, "/api/words") == total + 2
    found = await get(client, "/api/words?q=inazuma")
    assert word["id"] in [w["id"] for w in found["items"]]
    assert word["id"] in [
        w["id"] for w in (await get(client, "/api/words?q=" + quote("イナズマ")))["items"]
    ]
    await assert_counters_true(conn)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"japanese": ""}, "japanese"),
        ({"japanese": "字" * 101}, "japanese"),
        # (a NUL is refused before any rule, as 400: tests/safety)
        ({"japanese": "a\x07b"}, "japanese"),
        ({"kana": "kitsune"}, "kana"),
        ({"kana": "", "romaji": ""}, "romaji"),
        ({"romaji": "きつね"}, "romaji"),
        ({"english": ""}, "english"),
        ({"english": "e" * 301}, "english"),
        ({"english": "line\nbreak"}, "english"),
        ({"parts": "狐"}, "parts"),
        ({"parts": [{"kanji": "狐", "romaji": ["きつね"]}]}, "parts"),
        ({"parts": [{"kanji": "x", "romaji": []}] * 31}, "parts"),
        ({"group_ids": "1"}, "group_ids"),
        ({"allow_duplicate": "yes"}, "allow_duplicate"),
    ],
)
async def test_words_that_break_the_rules_are_422_naming_the_field(client, fields, field):
    total = await total_items(client, "/api/words")
    body = {"japanese": "狐", "kana": "きつね", "english": "fox", **fields}
    response = await expect_error(client, "POST", "/api/words", 422, json=body)
    data = await body_of(response)
    assert data["field"] == field
    assert {"field": field, "error": data["error"]} in data.get("errors", [data])
    assert await total_items(client, "/api/words") == total


async def test_duplicates_are_409_unless_a_second_copy_is_asked_for(client):
    first = await new_word(client)
    body = await new_word(client, status=409)
    assert body["field"] == "japanese" and body["existing_id"] == first["id"]
    # katakana reading, NFKC: the same word
    assert (await new_word(client, kana="キツネ", status=409))["existing_id"] == first["id"]
    second = await new_word(client, allow_duplicate=True)
    assert second["id"] != first["id"]
    assert (await new_word(client, kana="こ", english="fox (reading ko)"))["romaji"] == "ko"
    await expect_error(
        client,
        "POST",
        "/api/words",
        404,
        json={"japanese": "鼬", "kana": "いたち", "english": "weasel", "group_ids": [999999]},
    )


async def test_edit_a_word(client, conn):
    group = await new_group(client)
    other = await new_group(client, "Other")
    word = await new_word(client, group_ids=[group["id"]])
    changed = await send(
        client,
        "PATCH",
        f"/api/words/{word['id']}",
        {"english": "fox (animal)", "group_ids": [other["id"]]},
    )
    assert changed["english"] == "fox (animal)" and changed["romaji"] == "kitsune"
    assert changed["groups"] == [{"id": other["id"], "name": "Other"}]
    assert (await get(client, f"/api/groups/{group['id']}"))["word_count"] == 0
    reread = await send(client, "PATCH", f"/api/words/{word['id']}", {"kana": "こ"})
    assert reread["romaji"] == "ko"
    rewritten = await send(client, "PATCH", f"/api/words/{word['id']}", {"japanese": "孤"})
    assert (rewritten["japanese"], rewritten["kana"], rewritten["romaji"]) == ("孤", "こ", "ko")
    in_kana = await send(client, "PATCH", f"/api/words/{word['id']}", {"japanese": "きつね"})
    assert (in_kana["kana"], in_kana["romaji"]) == ("きつね", "kitsune")
    await expect_error(client, "PATCH", f"/api/words/{word['id']}", 422, json={"english": ""})
    await expect_error(client, "PATCH", "/api/words/999999", 404, json={"english": "x y"})
    dup = await new_word(client, japanese="狸", kana="たぬき", english="raccoon dog")
    conflict = await expect_error(
        client, "PATCH", f"/api/words/{dup['id']}", 409, json={"japanese": "きつね"}
    )
    assert (await body_of(conflict))["existing_id"] == word["id"]
    await assert_counters_true(conn)


async def test_deleting_a_word_says_what_goes_and_keeps_counters_true(client, conn):
    group = await new_group(client)
    word = await new_word(client, group_ids=[group["id"]])
    keep = await new_word(
        client, japanese="狸", kana="たぬき", english="raccoon dog", group_ids=[group["id"]]
    )
    session = await launch(client, group["id"], await flashcards_id(client))
    await review(client, session["id"], word["id"], True)
    await review(client, session["id"], word["id"], False)
    await review(client, session["id"], keep["id"], True)
    total = await total_items(client, "/api/words")
    result = await send(client, "DELETE", f"/api/words/{word['id']}")
    assert result == {
        "success": True,
        "id": word["id"],
        "reviews_deleted": 2,
        "learners_affected": 1,
    }
    await expect_error(client, "GET", f"/api/words/{word['id']}", 404)
    await expect_error(client, "DELETE", f"/api/words/{word['id']}", 404)
    assert await total_items(client, "/api/words") == total - 1
    assert (await get(client, f"/api/groups/{group['id']}"))["word_count"] == 1
    assert (await get(client, f"/api/study_sessions/{session['id']}"))["review_items_count"] == 1
    await assert_counters_true(conn)


AUTHORING_CALLS = [
    ("POST", "/api/groups", {"name": "Refused group"}),
    ("PATCH", "/api/groups/1", {"name": "Refused name"}),
    ("DELETE", "/api/groups/1", None),
    ("PUT", "/api/groups/1/words/1", None),
    ("DELETE", "/api/groups/1/words/1", None),
    ("POST", "/api/words", {"japanese": "鼬", "kana": "いたち", "english": "weasel"}),
    ("PATCH", "/api/words/1", {"english": "refused"}),
    ("DELETE", "/api/words/1", None),
    ("GET", "/api/imports/1", None),
    ("POST", "/api/imports/1/commit", None),
    ("DELETE", "/api/imports/1", None),
]


@pytest.mark.parametrize(("method", "path", "body"), AUTHORING_CALLS)
async def test_without_a_token_authoring_is_refused_from_elsewhere(client, method, path, body):
    response = await client.open(path, method=method, json=body, scope_base=REMOTE)
    data = await body_of(response)
    assert response.status_code == 403, data
    assert "ADMIN_TOKEN" in data["error"]
    forwarded = await client.open(
        path, method=method, json=body, headers={"X-Forwarded-For": "198.51.100.7"}
    )
    assert forwarded.status_code == 403


@pytest.mark.parametrize(("method", "path", "body"), AUTHORING_CALLS)
async def test_with_a_token_authoring_needs_the_bearer_token(client_with, method, path, body):
    guarded = await client_with(ADMIN_TOKEN=TOKEN)
    for headers in (
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Basic {TOKEN}"},
    ):
        response = await guarded.open(path, method=method, json=body, headers=headers)
        data = await body_of(response)
        assert response.status_code == 401, (headers, data)
        assert response.headers.get("WWW-Authenticate", "").startswith("Bearer")


async def test_with_the_bearer_token_authoring_works_from_anywhere(client_with, conn):
    guarded = await client_with(ADMIN_TOKEN=TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    group = await send(
        guarded,
        "POST",
        "/api/groups",
        {"name": "Remote"},
        status=201,
        headers=auth,
        scope_base=REMOTE,
    )
    word = await send(
        guarded,
        "POST",
        "/api/words",
        {"japanese": "鼬", "kana": "いたち", "english": "weasel", "group_ids": [group["id"]]},
        status=201,
        headers=auth,
        scope_base=REMOTE,
    )
    assert word["groups"][0]["id"] == group["id"]
    await send(guarded, "DELETE", f"/api/words/{word['id']}", headers=auth, scope_base=REMOTE)
    await assert_counters_true(conn)


async def test_authoring_bodies_keep_the_small_body_limit(client):
    response = await client.post("/api/groups", json={"name": "x" * 40_000})
    assert response.status_code == 413
    assert "too large" in (await body_of(response))["error"]
    assert await post(client, "/api/reset_history") == {
        "success": True,
        "message": "Study history has been reset",
    }
