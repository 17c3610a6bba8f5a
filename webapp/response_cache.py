"""Rendered GET responses kept in memory, keyed on the data they were made from.

A page, fragment or JSON read marked `@cached()` is rendered once and then served
from memory, for as long as nothing it shows has changed:

- **Data**: every key holds the versions of `data_versions` (migration 0009): the
  database's epoch, the content version (words, groups, activities) and the
  learner's own version (cards, sessions, queues, totals, profile).  Triggers move
  them in the transaction of every change, whoever makes it (a worker, another
  instance, the CLI), so each request reads them (one single-row statement) and a
  changed learner or group is a miss at once, on every worker.
- **Time**: a response also depends on the clock (due counts, "5 minutes ago",
  today's streak), so an entry lives at most `ttl` seconds of the app's clock
  (`db.utc_now`, which tests move); MAX_TTL_SECONDS by default.
- **The request**: the URL (host and query included), the htmx headers that choose
  a fragment, the theme cookie, who is asking (learner, how they signed in, admin),
  and for pages the session's CSRF token (pages embed it, so one browser's page is
  never another's).  A page request without a token yet, or with a flash message
  waiting, is rendered fresh (it changes the session).

Only 200 answers of GET requests are kept, as the view returned them; the
after-request steps (security and CORS headers, `Cache-Control: private` for a
learner's page, compression) run on every answer, a hit included.  A hit's
compressed body is kept with the entry (`Entry.compressed`), so Brotli runs once
per entry and encoding.  Each answer carries an ETag of its key: a browser's
revalidation (`If-None-Match`) of an unchanged response is a 304 without a body.

Per worker, least recently used first out, within RESPONSE_CACHE_MB (0 turns it off).
"""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import ParamSpec

from quart import Response, current_app, g, request, session
from quart.typing import ResponseReturnValue
from quart.wrappers.response import DataBody
from werkzeug.datastructures import Headers

from .db import Conn, utc_now
from .learner import resolved
from .security import CSRF_FIELD, admin_mode, is_admin
from .web import conn, settings

MAX_TTL_SECONDS = 30.0
EPOCH_SCOPE, CONTENT_SCOPE = -1, 0
# Headers a view reads to choose what it renders (web.is_partial_request, hx_target_id).
VARYING_HEADERS = ("HX-Request", "HX-Request-Type", "HX-History-Restore-Request", "HX-Target")
EXTENSION = "lang_portal.response_cache"
ENTRY_OVERHEAD_BYTES = 1024  # the key, headers and bookkeeping of one entry, roughly

P = ParamSpec("P")
View = Callable[P, Awaitable[ResponseReturnValue]]


@dataclass
class Entry:
    key: str
    body: bytes
    headers: list[tuple[str, str]]
    expires: float  # the app clock's timestamp
    learner_used: bool
    compressed: dict[str, bytes] = field(default_factory=dict)

    @property
    def etag(self) -> str:
        return f'"{self.key}"'

    @property
    def size(self) -> int:
        return (
            len(self.body) + sum(len(body) for body in self.compressed.values())
        ) + ENTRY_OVERHEAD_BYTES


class ResponseStore:
    """The entries of one worker, least recently used first, within a byte budget."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[str, Entry] = OrderedDict()

    def get(self, key: str, now: float) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires <= now:
            self.discard(key)
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: str, entry: Entry) -> None:
        self.discard(key)
        if entry.size > self.max_bytes // 8:
            return  # one huge answer must not empty the whole store
        self._entries[key] = entry
        self.bytes += entry.size
        self.evict()

    def add_compressed(self, entry: Entry, encoding: str, body: bytes) -> None:
        """Keep `entry`'s body in `encoding`; counted only while the entry is stored
        (one too large to keep, or evicted meanwhile, must not inflate the count)."""
        entry.compressed[encoding] = body
        if self._entries.get(entry.key) is entry:
            self.bytes += len(body)
            self.evict()

    def discard(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self.bytes -= entry.size

    def evict(self) -> None:
        while self.bytes > self.max_bytes and self._entries:
            _, oldest = self._entries.popitem(last=False)
            self.bytes -= oldest.size

    def __len__(self) -> int:
        return len(self._entries)


def store() -> ResponseStore | None:
    """This worker's store; None when RESPONSE_CACHE_MB is 0."""
    existing: ResponseStore | None = current_app.extensions.get(EXTENSION)
    if existing is None and settings().response_cache_mb > 0:
        existing = ResponseStore(settings().response_cache_mb * 1024 * 1024)
        current_app.extensions[EXTENSION] = existing
    return existing


async def read_versions(db: Conn, learner_id: int | None) -> tuple[int, int, int]:
    """(epoch, content version, the learner's version) in one statement; a learner
    who never changed anything is at 0."""
    rows = await db.fetch_all(
        "SELECT scope, version FROM data_versions WHERE scope IN (:epoch, :content, :learner)",
        {"epoch": EPOCH_SCOPE, "content": CONTENT_SCOPE, "learner": learner_id or CONTENT_SCOPE},
    )
    found = {int(row["scope"]): int(row["version"]) for row in rows}
    learner = found.get(learner_id, 0) if learner_id else 0
    return found.get(EPOCH_SCOPE, 0), found.get(CONTENT_SCOPE, 0), learner


def _request_key(versions: tuple[int, int, int], csrf: str) -> str:
    """Everything the view's answer depends on, hashed to a short key."""
    who = resolved()
    parts = [
        request.endpoint or "",
        request.url,
        *(request.headers.get(name, "") for name in VARYING_HEADERS),
        request.cookies.get("theme", ""),
        str(who.learner_id),
        str(who.source),
        admin_mode(),
        str(is_admin()),
        csrf,
        *map(str, versions),
    ]
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def _page_token() -> tuple[bool, str]:
    """(usable, the session's CSRF token for a page, or "" for the API): a page with
    no token yet, or with a flash message waiting, must render fresh."""
    if request.blueprint != "pages":
        return True, ""
    token = session.get(CSRF_FIELD)
    if "_flashes" in session or not isinstance(token, str) or not token:
        return False, ""
    return True, token


def _not_modified(entry: Entry) -> bool:
    sent = request.headers.get("If-None-Match", "")
    # compression marks the tag per encoding ("…-br"); any of them names this entry
    return bool(sent) and entry.etag.strip('"') in sent


def _answer(entry: Entry) -> Response:
    g.learner_used = entry.learner_used
    if _not_modified(entry):
        return Response(status=304, headers=Headers([("ETag", entry.etag)]))
    g.response_entry = entry
    return Response(entry.body, status=200, headers=Headers(entry.headers))


def cached(ttl: float = MAX_TTL_SECONDS) -> Callable[[View[P]], View[P]]:
    """Serve the view's GET answers from the response store while their data stand.

    `ttl`: how long an answer may stand without a change of data (seconds of the
    app's clock): how stale a time-dependent figure ("due now") may be.
    """

    def decorate(view: View[P]) -> View[P]:
        @functools.wraps(view)
        async def serve(*args: P.args, **kwargs: P.kwargs) -> ResponseReturnValue:
            responses = store() if request.method == "GET" else None
            usable, csrf = _page_token() if responses is not None else (False, "")
            if responses is None or not usable:
                return await view(*args, **kwargs)
            versions = await read_versions(await conn(), resolved().learner_id)
            key = _request_key(versions, csrf)
            now = utc_now().timestamp()
            hit = responses.get(key, now)
            if hit is not None:
                return _answer(hit)
            response = await current_app.make_response(await view(*args, **kwargs))
            if response.status_code != 200 or not isinstance(response.response, DataBody):
                return response
            entry = Entry(
                key=key,
                body=await response.get_data(as_text=False),
                headers=[],
                expires=now + ttl,
                learner_used=bool(g.get("learner_used")),
            )
            # revalidate every time (the tag is cheap to check; the data may change)
            response.headers["ETag"] = entry.etag
            response.headers.setdefault("Cache-Control", "no-cache")
            entry.headers = list(response.headers.items())
            responses.put(key, entry)
            g.response_entry = entry
            return response

        return serve

    return decorate


def remember_compressed(encoding: str, body: bytes) -> None:
    """Keep a compressed body with the request's cache entry (compression calls it)."""
    entry: Entry | None = g.get("response_entry")
    responses = store()
    if entry is not None and responses is not None:
        responses.add_compressed(entry, encoding, body)


def compressed_body(encoding: str) -> bytes | None:
    """The request's cache entry's body in `encoding`, if it was compressed before."""
    entry: Entry | None = g.get("response_entry")
    return None if entry is None else entry.compressed.get(encoding)
