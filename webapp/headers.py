"""Response headers that protect the browser, and the HTTPS question they depend on."""

from __future__ import annotations

from quart import Quart, Response, request
from quart.sessions import SecureCookieSessionInterface

from .clients import from_trusted_proxy

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "object-src 'none'"
)


def is_https() -> bool:
    """Whether the browser reached the portal over HTTPS.

    Behind a proxy that terminates TLS the connection itself is plain HTTP and
    only `X-Forwarded-Proto` tells; anyone can send that header, so it counts
    only with TRUST_PROXY set, from a peer in FORWARDED_ALLOW_IPS.  Otherwise a
    request carrying the header is taken as plain HTTP, since a server's own
    proxy-header handling may already have copied the untrusted value into the scheme.
    """
    forwarded = request.headers.get("X-Forwarded-Proto", "")
    if forwarded:
        if not from_trusted_proxy():
            return False
        return forwarded.split(",")[0].strip().lower() == "https"
    return request.scheme == "https"


class ProxyAwareSessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure when configured so, or when the request came over HTTPS."""

    def get_cookie_secure(self, app: Quart) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or is_https()


async def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if is_https():
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response
