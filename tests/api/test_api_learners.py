"""Learner profiles over the API: tokens, the default learner per DEFAULT_LEARNER,
move codes, sign-out, deletion, and the admin's roster."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import assert_error_body, body_of, call, expect_error, get, post

LOCAL = {"client": ("127.0.0.1", 40000)}
ELSEWHERE = {"client": ("203.0.113.7", 40000)}
ADMIN_TOKEN = "a-long-admin-token-for-tests"


def as_learner(token: str) -> dict[str, Any]:
    return {"headers": {"X-Learner-Token": token}}


async def new_learner(client: Any, name: str, **kwargs: Any) -> dict[str, Any]:
    return await post(client, "/api/learners", {"name": name, **kwargs}, status=201)


# --- creating a profile and acting with its token ------------------------------------


async def test_a_new_profile_gets_a_token_that_acts_for_it(client):
    created = await new_learner(client, "Aiko", timezone="Asia/Tokyo")
    assert created["name"] == "Aiko" and created["timezone"] == "Asia/Tokyo"
    assert created["token"].startswith("lpl_") and len(created["token"]) > 40
    me = await get(client, "/api/learners/me", **as_learner(created["token"]))
    assert me["id"] == created["id"] and me["name"] == "Aiko"
    assert me["is_default"] is False and me["devices"] == 1
    # without the token this machine is the default learner, not Aiko
    default = await get(client, "/api/learners/me", scope_base=LOCAL)
    assert default["is_default"] is True and default["id"] != created["id"]


async def test_learner_responses_are_private_to_the_learner(client):
    created = await new_learner(client, "Ren")
    response = await client.get("/api/learners/me", **as_learner(created["token"]))
    assert response.status_code == 200
    assert "private" in response.headers["Cache-Control"]
    vary = {v.strip().lower() for v in response.headers["Vary"].split(",")}
    assert {"cookie", "x-learner-token"} <= vary


async def test_names_are_unique_whatever_their_case(client):
    await new_learner(client, "Yuki")
    body = await call(client, "POST", "/api/learners", status=409, json_body={"name": "  yUKI "})
    assert_error_body(body, 409)
    assert body["field"] == "name" and "move code" in body["error"]
    # any script is a name; the same name in another script is another name
    assert (await new_learner(client, "ゆき"))["name"] == "ゆき"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 41}, "name"),
        ({"name": "bad\u0007name"}, "name"),
        ({"name": 12}, "name"),
        ({"name": "Kenji", "timezone": "Mars/Olympus"}, "timezone"),
    ],
)
async def test_bad_profiles_are_refused_naming_the_field(client, body, field):
    reply = await call(client, "POST", "/api/learners", status=422, json_body=body)
    assert_error_body(reply, 422)
    assert reply["field"] == field


async def test_an_unknown_token_is_refused_never_the_default_learner(client):
    for token in ("lpl_not-a-real-token", "something-else"):
        response = await expect_error(
            client, "GET", "/api/learners/me", 401, headers={"X-Learner-Token": token}
        )
        assert (await body_of(response))["code"] == "learner_token_invalid"
    # nothing was recorded under anyone by a write with a bad token
    refused = await client.post(
        "/api/study_sessions",
        json={"group_id": 1, "study_activity_id": 1},
        headers={"X-Learner-Token": "lpl_stale"},
    )
    assert refused.status_code == 401
    assert (await get(client, "/api/study_sessions"))["pagination"]["total_items"] == 0


# --- DEFAULT_LEARNER ----------------------------------------------------------------


async def test_default_local_acts_as_learner_one_only_on_this_machine(client_with):
    client = await client_with()
    assert (await get(client, "/api/learners/me", scope_base=LOCAL))["is_default"] is True
    response = await expect_error(client, "GET", "/api/learners/me", 401, scope_base=ELSEWHERE)
    assert (await body_of(response))["code"] == "learner_required"
    # a proxy in front makes even a loopback peer someone else
    await expect_error(
        client,
        "GET",
        "/api/learners/me",
        401,
        scope_base=LOCAL,
        headers={"X-Forwarded-For": "198.51.100.4"},
    )


async def test_default_everyone_and_nobody(client_with):
    everyone = await client_with(DEFAULT_LEARNER="everyone")
    assert (await get(everyone, "/api/learners/me", scope_base=ELSEWHERE))["is_default"] is True
    nobody = await client_with(DEFAULT_LEARNER="nobody")
    response = await expect_error(nobody, "GET", "/api/learners/me", 401, scope_base=LOCAL)
    assert (await body_of(response))["code"] == "learner_required"
    # a profile's token works in every mode
    created = await new_learner(nobody, "Mio")
    me = await get(nobody, "/api/learners/me", scope_base=ELSEWHERE, **as_learner(created["token"]))
    assert me["name"] == "Mio"


async def test_content_stays_public_without_a_learner(client_with):
    nobody = await client_with(DEFAULT_LEARNER="nobody")
    words = await get(nobody, "/api/words", scope_base=ELSEWHERE)
    assert words["pagination"]["total_items"] > 0
    assert (await get(nobody, "/api/groups", scope_base=ELSEWHERE))["items"]


# --- me: rename, sign out, delete -------------------------------------------------------


async def test_rename_and_time_zone(client):
    created = await new_learner(client, "Sora")
    await new_learner(client, "Hana")
    auth = as_learner(created["token"])
    changed = await call(
        client, "PATCH", "/api/learners/me", json_body={"timezone": "Europe/Paris"}, **auth
    )
    assert changed["timezone"] == "Europe/Paris" and changed["name"] == "Sora"
    taken = await call(
        client, "PATCH", "/api/learners/me", status=409, json_body={"name": "HANA"}, **auth
    )
    assert taken["field"] == "name"
    renamed = await call(client, "PATCH", "/api/learners/me", json_body={"name": "Sora K."}, **auth)
    assert renamed["name"] == "Sora K."


async def test_sign_out_other_devices_keeps_this_one(client):
    created = await new_learner(client, "Kai")
    code = await post(
        client, "/api/learners/me/transfer_code", status=201, **as_learner(created["token"])
    )
    second = await post(client, "/api/learners/transfer", {"code": code["code"]})
    assert second["id"] == created["id"] and second["token"] != created["token"]
    me = await get(client, "/api/learners/me", **as_learner(second["token"]))
    assert me["devices"] == 2
    revoked = await call(client, "DELETE", "/api/learners/me/tokens", **as_learner(second["token"]))
    assert revoked == {"revoked": 1}
    await expect_error(client, "GET", "/api/learners/me", 401, **as_learner(created["token"]))
    assert (await get(client, "/api/learners/me", **as_learner(second["token"])))["devices"] == 1


async def test_the_default_learner_cannot_be_deleted(client):
    body = await call(client, "DELETE", "/api/learners/me", status=409, scope_base=LOCAL)
    assert "reset" in body["error"]


async def test_a_deleted_profile_token_is_refused(client):
    created = await new_learner(client, "Daichi")
    auth = as_learner(created["token"])
    deleted = await call(client, "DELETE", "/api/learners/me", **auth)
    assert deleted["success"] is True and deleted["deleted"]["learner_id"] == created["id"]
    await expect_error(client, "GET", "/api/learners/me", 401, **auth)
    # the name is free again
    await new_learner(client, "Daichi")


# --- move codes ----------------------------------------------------------------------


async def test_a_move_code_is_one_time_and_forgiving_to_type(client):
    created = await new_learner(client, "Emi")
    issued = await post(
        client, "/api/learners/me/transfer_code", status=201, **as_learner(created["token"])
    )
    code = issued["code"]
    assert len(code) == 9 and code[4] == "-"
    assert issued["url"].endswith("/move/" + code.replace("-", ""))
    assert issued["expires_at"].endswith("Z")
    # lower case, spaces, and the letters people type for 0 and 1
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    moved = await post(client, "/api/learners/transfer", {"code": typed})
    assert moved["name"] == "Emi"
    again = await call(
        client, "POST", "/api/learners/transfer", status=404, json_body={"code": code}
    )
    assert again["field"] == "code"


async def test_a_new_code_replaces_the_previous_one(client):
    created = await new_learner(client, "Taro")
    auth = as_learner(created["token"])
    first = await post(client, "/api/learners/me/transfer_code", status=201, **auth)
    second = await post(client, "/api/learners/me/transfer_code", status=201, **auth)
    await call(
        client, "POST", "/api/learners/transfer", status=404, json_body={"code": first["code"]}
    )
    await post(client, "/api/learners/transfer", {"code": second["code"]})


async def test_a_code_that_is_not_code_shaped_is_422(client):
    for code in ("", "ABC", "ABCDEFGHU", "ABCD-EFG!", 12345678):
        body = await call(
            client, "POST", "/api/learners/transfer", status=422, json_body={"code": code}
        )
        assert body["field"] == "code"


# --- the admin's roster --------------------------------------------------------------


async def test_the_roster_is_for_the_admin_only(client_with):
    client = await client_with(ADMIN_TOKEN=ADMIN_TOKEN)
    created = await new_learner(client, "Noa")
    await expect_error(client, "GET", "/api/learners", 401, scope_base=ELSEWHERE)
    await expect_error(
        client, "GET", "/api/learners", 401, scope_base=ELSEWHERE, **as_learner(created["token"])
    )
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    roster = await get(client, "/api/learners?sort=created_at&order=desc", headers=admin)
    assert [item["name"] for item in roster["items"]][:2] == ["Noa", "Learner"]
    assert roster["items"][1]["is_default"] is True
    renamed = await call(
        client, "PATCH", f"/api/learners/{created['id']}", json_body={"name": "N."}, headers=admin
    )
    assert renamed["name"] == "N."
    recovery = await post(
        client, f"/api/learners/{created['id']}/transfer_code", status=201, headers=admin
    )
    moved = await post(client, "/api/learners/transfer", {"code": recovery["code"]})
    assert moved["id"] == created["id"]
    await call(client, "DELETE", "/api/learners/1", status=409, headers=admin)
    await call(client, "DELETE", f"/api/learners/{created['id']}", headers=admin)
    await call(client, "DELETE", f"/api/learners/{created['id']}", status=404, headers=admin)


# --- limits per address --------------------------------------------------------------


async def test_a_class_behind_one_address_can_join_but_not_without_end(client):
    school = {"client": ("198.51.100.10", 40000)}
    for n in range(60):
        await post(client, "/api/learners", {"name": f"Student {n}"}, status=201, scope_base=school)
    created = 60
    while True:
        response = await client.post(
            "/api/learners", json={"name": f"Extra {created}"}, scope_base=school
        )
        if response.status_code != 201:
            break
        created += 1
        assert created < 1000, "creating profiles is never limited"
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert_error_body(await body_of(response), 429)
    # another address is not held back by the school's
    await post(client, "/api/learners", {"name": "At home"}, status=201, scope_base=ELSEWHERE)


async def test_ten_wrong_move_codes_block_the_address_even_for_a_right_code(client):
    created = await new_learner(client, "Hiro")
    issued = await post(
        client, "/api/learners/me/transfer_code", status=201, **as_learner(created["token"])
    )
    guesser = {"client": ("198.51.100.99", 40000)}
    for n in range(10):
        wrong = f"ZZZZ{n:04d}"
        await call(
            client, "POST", "/api/learners/transfer", status=404, json_body={"code": wrong},
            scope_base=guesser,
        )  # fmt: skip
    blocked = await client.post(
        "/api/learners/transfer", json={"code": issued["code"]}, scope_base=guesser
    )
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    # the code was not spent: from another address it still works
    moved = await post(client, "/api/learners/transfer", {"code": issued["code"]})
    assert moved["name"] == "Hiro"
