"""The admin sign-in on /settings: limited, bound to the current token, ended by sign-out,
and the admin rule's refusals and host checks as a browser meets them."""

from __future__ import annotations

import re
from typing import Any

from tests.helpers import api_client

TOKEN = "a-long-test-token"
OTHER_TOKEN = "another-long-token"
REMOTE = {"client": ("203.0.113.9", 5000)}


async def _csrf(client: Any) -> str:
    html = await (await client.get("/settings")).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


async def _sign_in(client: Any, token: str, **kwargs: Any) -> Any:
    return await client.post(
        "/settings/sign_in", form={"token": token, "csrf_token": await _csrf(client)}, **kwargs
    )


async def _reset(client: Any, **kwargs: Any) -> Any:
    return await client.post(
        "/settings/reset_history",
        form={"confirm": "reset me", "csrf_token": await _csrf(client)},
        **kwargs,
    )


async def test_sign_in_rotates_the_csrf_token_and_sign_out_ends_the_admin_session(
    database_url: str,
) -> None:
    async with api_client(database_url, ADMIN_TOKEN=TOKEN, LOCAL_MODE=False) as client:
        assert (await _reset(client, scope_base=REMOTE)).status_code == 401
        before = await _csrf(client)
        signed = await _sign_in(client, TOKEN, scope_base=REMOTE)
        assert signed.status_code == 303
        after = await _csrf(client)
        assert after != before
        assert (await _reset(client, scope_base=REMOTE)).status_code == 303

        out = await client.post("/settings/sign_out", form={"csrf_token": after}, scope_base=REMOTE)
        assert out.status_code == 303
        assert await _csrf(client) != after
        refused = await _reset(client, scope_base=REMOTE)
        assert refused.status_code == 401
        assert "admin token" in await refused.get_data(as_text=True)


async def test_changing_the_admin_token_ends_every_sign_in(database_url: str) -> None:
    async with api_client(database_url, ADMIN_TOKEN=TOKEN) as first:
        assert (await _sign_in(first, TOKEN)).status_code == 303
        assert (await _reset(first)).status_code == 303
        cookie = next(c for c in first.cookie_jar if c.name == "session")
    # The same portal restarted with a new token (same SECRET_KEY): the old cookie is no sign-in.
    async with api_client(database_url, ADMIN_TOKEN=OTHER_TOKEN) as second:
        second.set_cookie("localhost", "session", cookie.value)
        html = await (await second.get("/settings")).get_data(as_text=True)
        assert "You are signed in as admin" not in html
        assert (await _reset(second)).status_code == 401


async def test_wrong_sign_ins_are_slowed_with_a_wait_and_the_right_token_works_after(
    database_url: str,
) -> None:
    async with api_client(database_url, ADMIN_TOKEN=TOKEN, LOCAL_MODE=False) as client:
        statuses = [(await _sign_in(client, "wrong-token-0000")).status_code for _ in range(7)]
        assert statuses[:5] == [422] * 5 and statuses[5:] == [429, 429]
        limited = await _sign_in(client, TOKEN)
        assert limited.status_code == 429  # over the limit nothing is compared
        wait = int(limited.headers["Retry-After"])
        assert 1 <= wait <= 60
        assert "wait" in await limited.get_data(as_text=True)
        # Another client is not held up by this one's guesses.
        assert (await _sign_in(client, TOKEN, scope_base=REMOTE)).status_code == 303


async def test_a_hosted_portal_without_a_token_says_how_to_turn_resets_on(
    database_url: str,
) -> None:
    async with api_client(database_url, LOCAL_MODE=False) as client:
        html = await (await client.get("/settings")).get_data(as_text=True)
        assert "Resets are turned off" in html and "ADMIN_TOKEN" in html
        refused = await _reset(client)
        assert refused.status_code == 403
        assert "ADMIN_TOKEN" in await refused.get_data(as_text=True)


async def test_a_rebinding_page_cannot_reach_a_local_portal(database_url: str) -> None:
    """DNS rebinding: evil.example resolves to 127.0.0.1; the browser sends its own Host."""
    async with api_client(database_url) as client:
        for method, path in (("GET", "/settings"), ("POST", "/api/full_reset")):
            response = await client.open(
                path,
                method=method,
                headers={"Host": "evil.example:8000", "Origin": "http://evil.example:8000"},
            )
            assert response.status_code == 400
            assert "evil.example" in await response.get_data(as_text=True)
        assert (
            await client.get("/settings", headers={"Host": "127.0.0.1:8000"})
        ).status_code == 200


async def test_with_public_url_only_its_host_is_answered(database_url: str) -> None:
    public = "https://study.example.org"
    async with api_client(database_url, PUBLIC_URL=public, LOCAL_MODE=False) as client:
        ok = await client.get("/api/words", headers={"Host": "study.example.org"})
        assert ok.status_code == 200
        refused = await client.get("/api/words", headers={"Host": "other.example"})
        assert refused.status_code == 400
        body = await refused.get_json()
        assert public in body["error"]
        page = await client.get("/groups/1", headers={"Host": "study.example.org"})
        html = await page.get_data(as_text=True)
        assert f'value="{public}/groups/1"' in html


async def test_without_public_url_a_share_link_never_names_the_requested_host(
    database_url: str,
) -> None:
    async with api_client(database_url, LOCAL_MODE=False) as client:
        page = await client.get("/groups/1", headers={"Host": "evil.example"})
        html = await page.get_data(as_text=True)
        assert page.status_code == 200
        assert "evil.example" not in html
        assert 'value="/groups/1"' in html and "PUBLIC_URL" in html
