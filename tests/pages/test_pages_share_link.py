"""The group page's share link: on a laptop it says the link works only there,
and how to set PUBLIC_URL when hosting; a hosted portal's link has no such hint."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.helpers import api_client

HINT = 'id="share-url-hint"'


def _share_link(html: str) -> str:
    match = re.search(r'<input id="share-url" type="url" value="([^"]+)"', html)
    assert match, "the group page shows its share link"
    return match.group(1)


async def _group_page(client: Any, host: str | None = None) -> str:
    headers = {"Host": host} if host else {}
    response = await client.get("/groups/3", headers=headers)
    assert response.status_code == 200
    return await response.get_data(as_text=True)


@pytest.mark.parametrize("host", [None, "127.0.0.1:8000", "localhost:5000", "[::1]:8000"])
async def test_a_loopback_link_says_it_works_only_here(client, host: str | None) -> None:
    html = await _group_page(client, host)
    link = _share_link(html)
    assert link.endswith("/groups/3")
    assert HINT in html and 'aria-describedby="share-url-hint"' in html
    hint = html[html.index(HINT) :]
    assert "only on this computer" in hint[:200]
    assert "PUBLIC_URL" in hint[:600]


async def test_a_local_portal_does_not_answer_for_another_host(client) -> None:
    """Local mode answers loopback names only (a DNS-rebinding page names its own)."""
    response = await client.get("/groups/3", headers={"Host": "portal.example.org"})
    assert response.status_code == 400


async def test_a_hosted_portal_without_public_url_never_builds_the_link_from_the_host(
    database_url,
) -> None:
    async with api_client(database_url, LOCAL_MODE=False) as client:
        html = await _group_page(client, "evil.example")
    match = re.search(r'<input id="share-url" type="text" value="([^"]+)"', html)
    assert match and match.group(1) == "/groups/3"
    assert "evil.example" not in html
    hint = html[html.index(HINT) :]
    assert "PUBLIC_URL" in hint[:400]


async def test_public_url_set_builds_the_link_and_drops_the_hint(database_url) -> None:
    async with api_client(database_url, PUBLIC_URL="https://portal.example.org/") as client:
        html = await _group_page(client, "127.0.0.1:8000")
    assert _share_link(html) == "https://portal.example.org/groups/3"
    assert HINT not in html
