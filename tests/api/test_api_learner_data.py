"""Each learner's own history: sessions that others cannot reach, deletion that removes
exactly one learner's rows, the class view against each learner's own API, resets."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.helpers import all_items, call, expect_error, flashcards_id, get, post
from webapp.db import utc_now

ADMIN_TOKEN = "a-long-admin-token-for-tests"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
GROUP = 3


def auth(token: str) -> dict[str, Any]:
    return {"headers": {"X-Learner-Token": token}}


async def new_learner(client: Any, name: str) -> str:
    return (await post(client, "/api/learners", {"name": name}, status=201))["token"]


async def study(client: Any, token: str, answers: list[bool], group: int = GROUP) -> int:
    """Launch flashcards on the group as the learner and answer its first words."""
    session = await post(
        client,
        "/api/study_sessions",
        {"group_id": group, "study_activity_id": await flashcards_id(client)},
        status=201,
        **auth(token),
    )
    words = (await get(client, f"/api/groups/{group}/words", **auth(token)))["items"]
    for word, correct in zip(words, answers, strict=False):
        await post(
            client,
            f"/api/study_sessions/{session['id']}/words/{word['id']}/review",
            {"correct": correct},
            status=201,
            **auth(token),
        )
    return int(session["id"])


async def test_another_learners_session_is_404_and_nothing_is_recorded(client):
    aiko, ren = await new_learner(client, "Aiko"), await new_learner(client, "Ren")
    session = await study(client, aiko, [True, False])
    word = (await get(client, f"/api/study_sessions/{session}/words", **auth(aiko)))["items"][0]
    before = await get(client, f"/api/study_sessions/{session}", **auth(aiko))
    probes = [
        ("GET", f"/api/study_sessions/{session}", None),
        ("GET", f"/api/study_sessions/{session}/words", None),
        ("POST", f"/api/study_sessions/{session}/words/{word['id']}/review", {"correct": True}),
    ]
    for method, path, body in probes:
        kwargs: dict[str, Any] = {"json": body} if body is not None else {}
        # another learner's token, this machine's default learner, a made-up session key
        await expect_error(client, method, path, 404, **auth(ren), **kwargs)
        await expect_error(client, method, path, 404, **kwargs)
        await expect_error(
            client, method, path, 404, headers={"X-Session-Key": "guessed-key"}, **kwargs
        )
    assert (await get(client, "/api/study_sessions", **auth(ren)))["items"] == []
    after = await get(client, f"/api/study_sessions/{session}", **auth(aiko))
    assert after["review_items_count"] == before["review_items_count"] == 2


async def test_a_session_key_opens_that_session_only(client, conn):
    activity_id = await conn.fetch_val(
        "INSERT INTO study_activities (name, description, activity_type, launch_url, created_at)"
        " VALUES ('Typing game', '', 'typing', 'https://games.example/typing', :now) RETURNING id",
        {"now": conn.timestamp(utc_now())},
    )
    aiko = await new_learner(client, "Aiko")
    launched = await post(
        client,
        "/api/study_sessions",
        {"group_id": GROUP, "study_activity_id": activity_id},
        status=201,
        **auth(aiko),
    )
    query = parse_qs(urlsplit(launched["launch_url"]).query)
    assert query["session_id"] == [str(launched["id"])] and query["group_id"] == [str(GROUP)]
    key = query["session_key"][0]
    # the session page's "Open" link carries the same key
    page = await (await client.get(f"/study_sessions/{launched['id']}", **auth(aiko))).get_data(
        as_text=True
    )
    assert f"session_key={key}" in page
    other = await study(client, aiko, [True])
    elsewhere = {"client": ("203.0.113.3", 4000)}  # the external app has no cookie or token
    words = (await get(client, f"/api/groups/{GROUP}/words", **auth(aiko)))["items"]
    posted = await post(
        client,
        f"/api/study_sessions/{launched['id']}/words/{words[0]['id']}/review",
        {"correct": True},
        status=201,
        headers={"X-Session-Key": key},
        scope_base=elsewhere,
    )
    assert posted["study_session_id"] == launched["id"]
    shown = await get(
        client, f"/api/study_sessions/{launched['id']}?session_key={key}", scope_base=elsewhere
    )
    assert shown["review_items_count"] == 1
    # that key opens nothing else: not her other session, not her profile
    for path in (f"/api/study_sessions/{other}", "/api/learners/me", "/api/study_sessions"):
        response = await client.get(path, headers={"X-Session-Key": key}, scope_base=elsewhere)
        assert response.status_code in (401, 404), path


async def _learner_rows(conn: Any) -> dict[str, dict[int, int]]:
    """Rows per learner in every table that holds a learner's own data."""
    by_learner = "SELECT learner_id AS k, COUNT(*) AS n FROM {} GROUP BY learner_id"
    queries = {
        table: by_learner.format(table)
        for table in (
            "study_sessions",
            "learner_tokens",
            "learner_move_codes",
            "learner_stats",
            "learner_words",
            "learner_groups",
        )
    }
    queries["reviews"] = (
        "SELECT s.learner_id AS k, COUNT(*) AS n FROM words_review_items r"
        " JOIN study_sessions s ON s.id = r.study_session_id GROUP BY s.learner_id"
    )
    queries["learners"] = "SELECT id AS k, COUNT(*) AS n FROM learners GROUP BY id"
    counts = {}
    for name, sql in queries.items():
        counts[name] = {int(r["k"]): int(r["n"]) for r in await conn.fetch_all(sql)}
    return counts


async def _content_rows(conn: Any) -> dict[str, int]:
    return {
        table: int(await conn.fetch_val(f"SELECT COUNT(*) FROM {table}"))
        for table in ("words", "groups", "words_groups", "study_activities")
    }


async def test_deleting_a_learner_removes_exactly_their_rows(client, conn):
    aiko, ren = await new_learner(client, "Aiko"), await new_learner(client, "Ren")
    await study(client, aiko, [True, False, True])
    await study(client, ren, [False, False])
    await study(client, ren, [True], group=1)
    await post(client, "/api/learners/me/transfer_code", status=201, **auth(ren))
    ren_id = (await get(client, "/api/learners/me", **auth(ren)))["id"]
    aiko_words = await all_items(client, f"/api/groups/{GROUP}/words?sort=id")
    before, content = await _learner_rows(conn), await _content_rows(conn)
    assert all(ren_id in before[table] for table in before)

    deleted = await call(client, "DELETE", "/api/learners/me", **auth(ren))
    assert deleted["deleted"] == {"learner_id": ren_id, "study_sessions": 2, "reviews": 3}

    after = await _learner_rows(conn)
    for table, per_learner in before.items():
        expected = {k: v for k, v in per_learner.items() if k != ren_id}
        assert after[table] == expected, table
    assert await _content_rows(conn) == content
    assert await all_items(client, f"/api/groups/{GROUP}/words?sort=id") == aiko_words
    await expect_error(client, "GET", "/api/learners/me", 401, **auth(ren))


async def test_class_view_matches_each_learners_own_api(client_with):
    client = await client_with(ADMIN_TOKEN=ADMIN_TOKEN)
    tokens = {name: await new_learner(client, name) for name in ("Aiko", "Ren", "Mio")}
    await study(client, tokens["Aiko"], [True, False, True, True])
    await study(client, tokens["Aiko"], [False, False])
    await study(client, tokens["Ren"], [False, True, False])
    await study(client, tokens["Mio"], [True], group=1)  # another group only
    view = await get(client, f"/api/groups/{GROUP}/class?sort=name", headers=ADMIN)
    rows = {row["name"]: row for row in view["items"]}
    assert set(rows) == {"Aiko", "Ren"}
    for name in ("Aiko", "Ren"):
        words = await _own_words(client, tokens[name])
        correct = sum(w["correct_count"] for w in words)
        wrong = sum(w["wrong_count"] for w in words)
        sessions = await get(client, f"/api/groups/{GROUP}/study_sessions", **auth(tokens[name]))
        row = rows[name]
        assert row["sessions_count"] == sessions["pagination"]["total_items"]
        assert row["words_studied"] == sum(
            1 for w in words if w["correct_count"] + w["wrong_count"]
        )
        assert (row["correct_count"], row["wrong_count"]) == (correct, wrong)
        assert row["success_rate"] == round(100 * correct / (correct + wrong), 1)
    totals = view["totals"]
    assert totals["learners"] == 2
    assert totals["sessions_count"] == sum(r["sessions_count"] for r in rows.values())
    assert totals["correct_count"] == sum(r["correct_count"] for r in rows.values())
    hardest = view["hardest_words"]
    assert hardest and all(w["wrong_count"] >= 1 for w in hardest)
    assert [w["wrong_count"] for w in hardest] == sorted(
        (w["wrong_count"] for w in hardest), reverse=True
    )
    # the first word was missed by both Ren (1st answer wrong) and Aiko (2nd session)
    assert hardest[0]["learners_missed"] == 2

    by_success = await get(
        client, f"/api/groups/{GROUP}/class?sort=success_rate&order=desc", headers=ADMIN
    )
    rates = [r["success_rate"] for r in by_success["items"]]
    assert rates == sorted(rates, reverse=True)


async def _own_words(client: Any, token: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        body = await get(client, f"/api/groups/{GROUP}/words?page={page}", **auth(token))
        items.extend(body["items"])
        if page >= body["pagination"]["total_pages"]:
            return items
        page += 1


async def test_class_csv_has_every_row_and_escapes_formulas(client_with):
    client = await client_with(ADMIN_TOKEN=ADMIN_TOKEN)
    evil = await new_learner(client, "=HYPERLINK(1)")
    await study(client, evil, [True, False])
    response = await client.get(f"/api/groups/{GROUP}/class?format=csv", headers=ADMIN)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment")
    raw = await response.get_data(as_text=True)
    assert raw.startswith("\ufeff") and "\r\n" in raw
    table = list(csv.reader(io.StringIO(raw.lstrip("\ufeff"))))
    assert table[0] == [
        "learner",
        "sessions",
        "words_studied",
        "words_in_group",
        "correct",
        "wrong",
        "success_rate",
        "due",
        "last_active_at",
    ]
    assert table[1][0] == "'=HYPERLINK(1)" and table[1][4:6] == ["1", "1"]
    await expect_error(client, "GET", "/api/groups/999/class", 404, headers=ADMIN)
    await expect_error(client, "GET", f"/api/groups/{GROUP}/class?sort=nope", 400, headers=ADMIN)
    await expect_error(client, "GET", f"/api/groups/{GROUP}/class", 401, **auth(evil))


async def test_resets_act_on_every_learner_and_full_reset_removes_profiles(client):
    aiko = await new_learner(client, "Aiko")
    await study(client, aiko, [True])
    await post(client, "/api/reset_history")
    assert (await get(client, "/api/study_sessions", **auth(aiko)))["items"] == []
    assert (await get(client, "/api/learners/me", **auth(aiko)))["name"] == "Aiko"
    await post(client, "/api/full_reset")
    await expect_error(client, "GET", "/api/learners/me", 401, **auth(aiko))
    roster = await get(client, "/api/learners")
    assert [item["name"] for item in roster["items"]] == ["Learner"]
    assert (await post(client, "/api/learners", {"name": "Aiko"}, status=201))["id"] == 2


async def test_reset_my_history_leaves_others_alone(client):
    aiko, ren = await new_learner(client, "Aiko"), await new_learner(client, "Ren")
    await study(client, aiko, [True, True])
    ren_session = await study(client, ren, [False])
    await post(client, "/api/learners/me/reset_history", **auth(aiko))
    assert (await get(client, "/api/study_sessions", **auth(aiko)))["items"] == []
    ren_sessions = (await get(client, "/api/study_sessions", **auth(ren)))["items"]
    assert [s["id"] for s in ren_sessions] == [ren_session]
    exported = await client.get("/api/learners/me/export", **auth(ren))
    assert exported.headers["Content-Disposition"].startswith("attachment")
    document = await exported.get_json()
    assert document["learner"]["name"] == "Ren"
    assert [s["id"] for s in document["study_sessions"]] == [ren_session]
    assert [r["correct"] for r in document["reviews"]] == [False]
    assert [(w["correct_count"], w["wrong_count"]) for w in document["schedule"]] == [(0, 1)]
