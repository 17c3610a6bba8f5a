"""Who may do what: the one admin rule, CSRF, cross-site API refusals, CORS.

The admin rule (resets now, authoring and class views later) fails closed:

- ADMIN_TOKEN set: the API needs `Authorization: Bearer <token>`, the pages a
  sign-in with it; a sign-in lasts while the token stays the same (the session
  holds a fingerprint of the token, so changing ADMIN_TOKEN ends every one).
- no ADMIN_TOKEN, started in local mode (LOCAL_MODE=1, what `make run` does):
  only a request straight from this machine (webapp.clients.is_local_request).
  A proxy on the same machine cannot be told apart from a local browser, which
  is why a hosted start never gets this.
- no ADMIN_TOKEN and not local mode: admin actions are off, and the refusal
  says how to set the token.

Guesses at the token are limited in webapp.admin_auth, which runs before the
routes and leaves its verdict on the Bearer header in `g.admin_bearer`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from urllib.parse import urlsplit

from quart import Response, g, request, session

from .clients import is_local_request
from .errors import Forbidden, Unauthorized
from .headers import is_https
from .web import settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
ADMIN_SESSION_KEY = "admin"
ADMIN_SINCE_KEY = "admin_since"
# A sign-in is good for this long even when the token stays the same.
ADMIN_SESSION_SECONDS = 12 * 3600
TOKEN_HELP = (
    "set the ADMIN_TOKEN environment variable to a long random secret (at least 12 "
    "characters, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(32))'`) "
    "and restart; then send it as 'Authorization: Bearer <token>' or sign in on the "
    "Settings page"
)


def admin_mode() -> str:
    """'token' (ADMIN_TOKEN set), 'local' (local mode, this machine only) or 'off'."""
    if settings().admin_token:
        return "token"
    return "local" if settings().local_mode else "off"


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(
        a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass")
    )


def token_matches(candidate: str) -> bool:
    """Constant-time comparison with ADMIN_TOKEN (False when none is set)."""
    expected = settings().admin_token or ""
    return bool(expected) and _same(candidate, expected)


def token_fingerprint() -> str:
    """Names the current ADMIN_TOKEN without revealing it (keyed with SECRET_KEY)."""
    token = (settings().admin_token or "").encode()
    return hmac.new(settings().secret_key.encode(), b"admin:" + token, hashlib.sha256).hexdigest()


def bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def signed_in() -> bool:
    """A sign-in made with the current token, not older than ADMIN_SESSION_SECONDS."""
    held = session.get(ADMIN_SESSION_KEY)
    since = session.get(ADMIN_SINCE_KEY)
    if admin_mode() != "token" or not isinstance(held, str) or not isinstance(since, int | float):
        return False
    return _same(held, token_fingerprint()) and 0 <= time.time() - since < ADMIN_SESSION_SECONDS


def start_admin_session() -> None:
    """Sign in: a fresh session (nothing carried over from before) and a new CSRF token."""
    session.clear()
    session[ADMIN_SESSION_KEY] = token_fingerprint()
    session[ADMIN_SINCE_KEY] = int(time.time())
    rotate_csrf_token()


def end_admin_session() -> None:
    session.clear()
    rotate_csrf_token()


def is_admin() -> bool:
    mode = admin_mode()
    if mode == "token":
        return g.get("admin_bearer") is True or signed_in()
    return mode == "local" and is_local_request()


def require_admin() -> None:
    """Raise the admin refusal unless the request may act as admin (spec: Admin routes)."""
    if is_admin():
        return
    mode = admin_mode()
    if mode == "token":
        raise Unauthorized(
            "This action needs the admin token: send 'Authorization: Bearer <ADMIN_TOKEN>' "
            "or sign in on the Settings page"
        )
    if mode == "local":
        raise Forbidden(
            "This portal runs in local mode without an admin token: admin actions work only "
            "from this machine, at http://localhost, not through a proxy. To allow them "
            f"elsewhere, {TOKEN_HELP}"
        )
    raise Forbidden(
        "Admin actions are turned off: this portal has no ADMIN_TOKEN. "
        f"To turn them on, {TOKEN_HELP}"
    )


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def own_origins() -> set[str]:
    # The Host is one of the portal's own: webapp.clients.check_host vouched for it
    # (with PUBLIC_URL or local mode set; without either any Host is accepted).
    # Behind a trusted TLS proxy the browser's origin is https while the connection is not.
    schemes = {request.scheme, "https" if is_https() else request.scheme}
    origins = {f"{scheme}://{request.host}".lower() for scheme in schemes}
    if settings().public_url:
        origins.add(_origin_of(settings().public_url or ""))
    return origins


def allowed_cross_origin(origin: str) -> bool:
    return origin.rstrip("/").lower() in {o.lower() for o in settings().allowed_origins}


def check_api_origin() -> None:
    """Refuse an unsafe /api request made by a page of another site."""
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("Origin", "")
    if origin and origin != "null":
        if _origin_of(origin) in own_origins() or allowed_cross_origin(origin):
            return
        raise Forbidden(f"Cross-site request from {origin[:100]} refused")
    if origin == "null" or request.headers.get("Sec-Fetch-Site") == "cross-site":
        raise Forbidden("Cross-site request refused")


def add_cors_headers(response: Response) -> Response:
    origin = request.headers.get("Origin", "")
    if origin and allowed_cross_origin(origin):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = (
            "Content-Type, Authorization, X-Learner-Token, X-Session-Key"
        )
        response.headers["Access-Control-Max-Age"] = "600"
        vary = response.headers.get("Vary")
        response.headers["Vary"] = f"{vary}, Origin" if vary else "Origin"
    return response


def rotate_csrf_token() -> str:
    session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return str(session[CSRF_FIELD])


def csrf_token() -> str:
    token = session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


async def check_csrf() -> None:
    """Every unsafe HTML request carries the session's token (form field or header)."""
    if request.method in SAFE_METHODS:
        return
    expected = session.get(CSRF_FIELD, "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        form = await request.form
        sent = form.get(CSRF_FIELD, "")
    if not expected or not sent or not _same(sent, expected):
        raise Forbidden(
            "The form had expired or did not come from this site. Reload the page and try again."
        )
