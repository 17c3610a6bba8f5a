"""Security headers on every kind of response, and HTTPS detection behind a proxy."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from quart import session

from tests.helpers import build_app

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def assert_protected(response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (name, dict(response.headers))
    csp = response.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/words", 200),
        ("get", "/api/groups/1", 200),
        ("get", "/api/dashboard/quick_stats", 200),
        ("get", "/health", 200),
        ("get", "/static/app.css", 200),
        ("get", "/api/openapi.json", 200),
        ("get", "/api/no/such/route", 404),
        ("get", "/api/words/999999", 404),
        ("delete", "/api/words", 405),
        ("get", "/api/words?page=zero", 400),
        ("post", "/api/study_sessions", 415),
        ("get", "/no-such-page", 404),
    ],
)
async def test_every_response_carries_the_security_headers(client, method, path, status):
    response = await getattr(client, method)(path)
    assert response.status_code == status
    assert_protected(response)
    # Plain HTTP: no HSTS (a browser would pin HTTPS for a year on a host that has none).
    assert "Strict-Transport-Security" not in response.headers


async def test_an_oversized_body_is_refused_with_the_headers(client):
    response = await client.post(
        "/api/study_sessions",
        data=b"{" + b" " * 40_000 + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert (await response.get_json())["error"]
    assert_protected(response)


async def test_https_connection_gets_hsts(client):
    response = await client.get("/api/words", scheme="https")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert_protected(response)


def _app_with_session_probe(database_url: str, **overrides: str):
    app = build_app({"DATABASE_URL": database_url, **overrides})

    @app.get("/_probe/session")
    async def touch_session() -> str:  # a stand-in for any page that signs a user in
        session["probe"] = "1"
        return "ok"

    return app


@pytest.fixture
async def plain_client(database_url: str) -> AsyncIterator:
    async with _app_with_session_probe(database_url).test_app() as test_app:
        yield test_app.test_client()


@pytest.fixture
async def proxied_client(database_url: str) -> AsyncIterator:
    app = _app_with_session_probe(database_url, TRUST_PROXY="true")
    async with app.test_app() as test_app:
        yield test_app.test_client()


async def test_forwarded_proto_is_ignored_without_trust_proxy(client):
    response = await client.get("/health", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers


async def test_forwarded_proto_counts_with_trust_proxy(proxied_client):
    over_tls = await proxied_client.get("/health", headers={"X-Forwarded-Proto": "https"})
    assert over_tls.headers["Strict-Transport-Security"].startswith("max-age=")
    plain = await proxied_client.get("/health", headers={"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" not in plain.headers
    direct = await proxied_client.get("/static/app.css")
    assert "Strict-Transport-Security" not in direct.headers


async def test_session_cookie_is_secure_only_behind_a_trusted_https_proxy(
    plain_client, proxied_client
):
    untrusted = await plain_client.get("/_probe/session", headers={"X-Forwarded-Proto": "https"})
    cookie = untrusted.headers.get("Set-Cookie", "")
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    trusted = await proxied_client.get("/_probe/session", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in trusted.headers["Set-Cookie"]
    plain = await proxied_client.get("/_probe/session")
    assert "Secure" not in plain.headers["Set-Cookie"]
    direct_tls = await plain_client.get("/_probe/session", scheme="https")
    assert "Secure" in direct_tls.headers["Set-Cookie"]


async def test_trusted_https_proxy_keeps_same_site_api_posts_working(proxied_client):
    # The browser's Origin is https://host although the proxy talks plain HTTP to us.
    through_proxy = {"X-Forwarded-Proto": "https", "Origin": "https://localhost"}
    # behind a proxy nobody is the default learner: the learner has a profile
    profile = await proxied_client.post(
        "/api/learners", json={"name": "Behind a proxy"}, headers=through_proxy
    )
    assert profile.status_code == 201, await profile.get_data(as_text=True)
    token = (await profile.get_json())["token"]
    response = await proxied_client.post(
        "/api/study_sessions",
        json={"group_id": 1, "study_activity_id": 1},
        headers={**through_proxy, "X-Learner-Token": token},
    )
    assert response.status_code == 201, await response.get_data(as_text=True)
