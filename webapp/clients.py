"""Who is on the other end of a request: the client's address, whether it is on
this machine, and whether the request named one of the portal's own hosts.

The portal reads forwarding headers itself (the Procfile turns uvicorn's own
handling off): `X-Forwarded-For` counts only with TRUST_PROXY set and only when
the connection comes from a peer in FORWARDED_ALLOW_IPS, and then only its last
entry, the one that proxy appended (earlier entries are whatever the client sent).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from quart import request

from .errors import PortalError
from .web import settings

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})
# Any of these means a proxy or a forwarder stood between the client and us.
FORWARDING_HEADERS = (
    "Forwarded",
    "X-Forwarded-For",
    "X-Forwarded-Host",
    "X-Forwarded-Proto",
    "X-Forwarded-Port",
    "X-Forwarded-Server",
    "X-Real-IP",
    "X-Client-IP",
    "X-Original-Forwarded-For",
    "CF-Connecting-IP",
    "True-Client-IP",
    "Fastly-Client-IP",
    "X-Cluster-Client-IP",
    "Via",
)


class MisdirectedHost(PortalError):
    status = 400


def is_loopback_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False  # "<local>" (a unix socket: only a proxy connects that way), junk
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool((mapped or ip).is_loopback)


def peer_address() -> str:
    """The address of the connection itself ("<local>" over a unix socket)."""
    return request.remote_addr or "<local>"


def from_trusted_proxy() -> bool:
    """TRUST_PROXY is on and the connection comes from a peer in FORWARDED_ALLOW_IPS."""
    if not settings().trust_proxy:
        return False
    allowed = settings().forwarded_allow_ips
    return "*" in allowed or peer_address() in allowed


def client_address() -> str:
    """The client's address: the trusted proxy's last X-Forwarded-For entry, else the peer."""
    peer = peer_address()
    if from_trusted_proxy():
        forwarded = request.headers.get("X-Forwarded-For", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last[:64]
    return peer


def has_forwarding_headers() -> bool:
    return any(name in request.headers for name in FORWARDING_HEADERS)


def host_name(host: str) -> str:
    """The name of a Host header value, without its port, lower-cased."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_loopback_host() -> bool:
    name = host_name(request.host or "")
    return name in LOOPBACK_NAMES or name.endswith(".localhost") or is_loopback_address(name)


def is_local_request() -> bool:
    """Straight from this machine: a loopback peer, no forwarding headers, a loopback Host."""
    return (
        is_loopback_address(peer_address()) and not has_forwarding_headers() and is_loopback_host()
    )


def public_host() -> str | None:
    public_url = settings().public_url
    return urlsplit(public_url).netloc.lower() if public_url else None


def requested_host() -> str:
    """The Host the client asked for (a trusted proxy's X-Forwarded-Host wins)."""
    if from_trusted_proxy():
        forwarded = request.headers.get("X-Forwarded-Host", "").split(",")[0].strip()
        if forwarded:
            return forwarded.lower()
    return (request.host or "").strip().lower()


async def check_host() -> None:
    """Refuse a request for a host that is not the portal's (DNS rebinding, stray vhosts).

    Allowed: PUBLIC_URL's host, and in local mode any loopback name.  A hosted portal
    without PUBLIC_URL cannot know its name and accepts any (start-up warns about it).
    """
    s = settings()
    if not s.public_url and not s.local_mode:
        return
    host = requested_host()
    if host and host == public_host():
        return
    if s.local_mode and is_loopback_host():
        return
    raise MisdirectedHost(
        f"This portal does not answer for the host {host[:100]!r}. "
        + (f"Use {s.public_url}." if s.public_url else "Use http://localhost.")
    )
