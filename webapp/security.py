"""Who may do what: the admin rule, CSRF, cross-site API refusals, CORS and headers.

Admin rule (resets now, authoring later): with ADMIN_TOKEN set, the API needs
`Authorization: Bearer <token>` and the pages a signed-in session; without it
only a client on this machine (a loopback address and no forwarding headers)
may, so a portal put online without a token fails safe.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from quart import Quart, Response, request, session
from quart.sessions import SecureCookieSessionInterface

from .errors import Forbidden
from .web import settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP", "X-Forwarded-Host")
_LOOPBACK_PREFIXES = ("127.", "::1", "::ffff:127.")
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def is_local_request() -> bool:
    """A client on this machine that did not come through a proxy."""
    address = request.remote_addr or ""
    # "<local>": no network peer at all (in-process test client, unix socket).
    local_address = address == "<local>" or address.startswith(_LOOPBACK_PREFIXES)
    return local_address and not any(request.headers.get(h) for h in _FORWARDING_HEADERS)


def admin_mode() -> str:
    """'token' when ADMIN_TOKEN is set, else 'local' (this machine only)."""
    return "token" if settings().admin_token else "local"


def token_matches(candidate: str) -> bool:
    expected = settings().admin_token or ""
    return bool(expected) and hmac.compare_digest(candidate.encode(), expected.encode())


def bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def is_admin() -> bool:
    if admin_mode() == "token":
        return token_matches(bearer_token()) or bool(session.get("admin"))
    return is_local_request()


def require_admin() -> None:
    if is_admin():
        return
    if admin_mode() == "token":
        raise Forbidden(
            "This action needs the admin token: send 'Authorization: Bearer <ADMIN_TOKEN>' "
            "(or sign in on the Settings page)"
        )
    raise Forbidden(
        "This action is only allowed from the machine the portal runs on. "
        "To allow it elsewhere, set the ADMIN_TOKEN environment variable and restart."
    )


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def own_origins() -> set[str]:
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
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Authorization"
        response.headers["Access-Control-Max-Age"] = "600"
        vary = response.headers.get("Vary")
        response.headers["Vary"] = f"{vary}, Origin" if vary else "Origin"
    return response


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
    if not expected or not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise Forbidden(
            "The form had expired or did not come from this site. Reload the page and try again."
        )


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "object-src 'none'"
)


def is_https() -> bool:
    """Whether the browser reached the portal over HTTPS.

    Behind a proxy that terminates TLS the connection itself is plain HTTP and
    only `X-Forwarded-Proto` tells; anyone can send that header, so it counts
    only with TRUST_PROXY set.  Without it a request carrying the header is
    taken as plain HTTP, since a server's own proxy-header handling (uvicorn
    --proxy-headers) may already have copied the untrusted value into the scheme.
    """
    forwarded = request.headers.get("X-Forwarded-Proto", "")
    if forwarded:
        if not settings().trust_proxy:
            return False
        return forwarded.split(",")[0].strip().lower() == "https"
    return request.scheme == "https"


class ProxyAwareSessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure when configured so, or when the request came over HTTPS."""

    def get_cookie_secure(self, app: Quart) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or is_https()


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if is_https():
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response
