"""Who the current request studies as: the one place that answers it.

Every route that reads or writes a learner's history asks `current_learner_id()`
and passes the id down explicitly (queries and services never guess).

The learner is resolved once per request, before any route runs:
1. `X-Learner-Token: lpl_…` (API clients, scripts);
2. for one study session's own endpoints, that session's key (`X-Session-Key`
   or `?session_key=`), which external study apps get on their launch link;
3. the token in the signed session cookie (`HttpOnly; SameSite=Lax`), for pages;
4. otherwise the default learner, as DEFAULT_LEARNER says: `local` (only a
   request from this machine, the admin rule's test), `everyone`, or `nobody`.
A token that is sent but unknown or revoked is a 401, never a fallback to the
default learner: a script with a stale token must not write into someone
else's history.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from quart import Quart, Response, g, request, session

from .clients import is_local_request
from .errors import PortalError
from .queries.activities import BUILTIN_ACTIVITY_TYPES
from .queries.learners import get_session_learner_id
from .services import DEFAULT_LEARNER_ID, NO_LEARNER_ID
from .services import learners as profiles
from .web import MAX_ID, add_vary, conn, settings

TOKEN_HEADER = "X-Learner-Token"
SESSION_KEY_HEADER = "X-Session-Key"
SESSION_KEY_PARAM = "session_key"
COOKIE_KEY = "learner_token"
# The endpoints a session key opens: that one session's, under /api only.
_SESSION_PATH = re.compile(r"^/api/study_sessions/(\d{1,10})(?:/|$)")


class LearnerRequired(PortalError):
    """No learner for a per-learner route (a hosted portal's visitor without a profile)."""

    status = 401

    def __init__(self, message: str | None = None, *, code: str = "learner_required") -> None:
        super().__init__(
            message
            or "This needs a learner profile: create one with POST /api/learners and send its "
            "token as X-Learner-Token (on the pages, type your name to start)",
            code=code,
        )


@dataclass(frozen=True)
class Resolved:
    learner_id: int | None
    token_id: int | None = None
    # "header", "session_key", "cookie" or "default"; None when there is no learner
    source: str | None = None
    problem: str | None = None


def session_key(session_id: int) -> str:
    """The key an external study app gets for one session.

    Derived from SECRET_KEY (every worker and instance shares it), so there is
    nothing to store and nothing a database backup could leak; 128 bits.
    """
    digest = hmac.new(
        settings().secret_key.encode(), f"study-session:{session_id}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def external_launch_url(session: dict[str, Any], launch_url: str | None) -> str | None:
    """An external app's address with the group, the session and the session's key
    (what lets the app post that session's answers); None for built-in activities."""
    if session["activity_type"] in BUILTIN_ACTIVITY_TYPES or not launch_url:
        return None
    query = urlencode(
        {
            "group_id": session["group_id"],
            "session_id": session["id"],
            SESSION_KEY_PARAM: session_key(int(session["id"])),
        }
    )
    return f"{launch_url}{'&' if '?' in launch_url else '?'}{query}"


def _sent_session_key() -> tuple[int, str] | None:
    match = _SESSION_PATH.match(request.path)
    key = request.headers.get(SESSION_KEY_HEADER) or request.args.get(SESSION_KEY_PARAM)
    if not match or not key:
        return None
    return int(match.group(1)), key


def _default_learner() -> Resolved:
    mode = settings().default_learner
    if mode == "everyone" or (mode == "local" and is_local_request()):
        return Resolved(DEFAULT_LEARNER_ID, source="default")
    return Resolved(None)


async def resolve_learner() -> None:
    """before_request: work out the request's learner once (a lookup only when a
    credential was sent, so anonymous local requests cost nothing)."""
    g.learner = await _resolve()


async def _resolve() -> Resolved:
    header = request.headers.get(TOKEN_HEADER, "").strip()
    if header:
        found = await profiles.learner_for_token(await conn(), header)
        if found is None:
            return Resolved(None, problem="token")
        return Resolved(found["learner_id"], found["id"], "header")
    sent_key = _sent_session_key()
    if sent_key is not None:
        session_id, key = sent_key
        if session_id <= MAX_ID and hmac.compare_digest(
            key.encode(), session_key(session_id).encode()
        ):
            owner = await get_session_learner_id(await conn(), session_id)
            if owner is not None:
                return Resolved(owner, source="session_key")
    cookie_token = session.get(COOKIE_KEY)
    if isinstance(cookie_token, str) and cookie_token:
        found = await profiles.learner_for_token(await conn(), cookie_token)
        if found is None:
            return Resolved(None, problem="cookie")
        return Resolved(found["learner_id"], found["id"], "cookie")
    return _default_learner()


def resolved() -> Resolved:
    existing: Resolved | None = g.get("learner")
    return existing if existing is not None else Resolved(None)


def viewer_learner_id() -> int:
    """Whose counts a public content page or list shows (words, groups, activities):
    the current learner, or NO_LEARNER_ID for a visitor without a profile, who sees
    the content with zero counts.  A token that is sent but bad is still refused."""
    g.learner_used = True
    current = resolved()
    if current.problem:
        return current_learner_id()  # raises the refusal
    return NO_LEARNER_ID if current.learner_id is None else current.learner_id


def current_learner_id() -> int:
    """The learner the current request acts for; 401 when there is none."""
    g.learner_used = True
    current = resolved()
    if current.problem == "token":
        raise LearnerRequired(
            "The X-Learner-Token sent is unknown or was signed out: create a profile or use "
            "a move code to get a new one",
            code="learner_token_invalid",
        )
    if current.problem == "cookie":
        # The cookie's profile was deleted or this device signed out: forget it.
        session.pop(COOKIE_KEY, None)
        raise LearnerRequired(
            "This device was signed out of its profile: type your name, or use a move code",
            code="learner_token_invalid",
        )
    if current.learner_id is None:
        raise LearnerRequired()
    return current.learner_id


def current_token_id() -> int | None:
    """The token this request came with (kept when signing out the other devices)."""
    return resolved().token_id


def remember_on_this_device(token: str) -> None:
    """Pages: carry the learner's token in the signed session cookie from now on."""
    session[COOKIE_KEY] = token
    session.permanent = True


def forget_on_this_device() -> None:
    session.pop(COOKIE_KEY, None)


def move_url(code: str) -> str:
    """The link that moves a profile to another device (PUBLIC_URL wins behind a proxy)."""
    base = settings().public_url or request.host_url.rstrip("/")
    return f"{base}/move/{code}"


async def mark_private(response: Response) -> Response:
    """A response that depends on the learner must not be shared by a cache."""
    if g.get("learner_used"):
        existing = response.headers.get("Cache-Control", "")
        if "private" not in existing:
            response.headers["Cache-Control"] = f"private, {existing}" if existing else "private"
        add_vary(response, "Cookie", TOKEN_HEADER)
    return response


def install_learner_resolution(app: Quart) -> None:
    @app.before_request
    async def resolve() -> None:
        if request.endpoint == "static" or request.path == "/health" or request.method == "OPTIONS":
            return
        await resolve_learner()

    app.after_request(mark_private)
