"""Request logs, request ids, and a quiet start-up failure.

One JSON line per request on stderr (logger `webapp.requests`): method, path
(without the query string, which may carry secrets), status, duration in ms
and a request id.  An incoming `X-Request-ID` is kept when it looks like an id
(so a proxy's id ties its logs to ours), otherwise a new one is made; either
way it is sent back in the response's `X-Request-ID` header.  No header,
cookie, query string or body is ever logged, so tokens cannot leak into logs.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import NoReturn, TextIO

from quart import Quart, Response, g, request

from .db import DatabaseUnavailable

REQUEST_ID_HEADER = "X-Request-ID"
# Printable, no spaces or quotes: safe to echo in a header and to write in a log line.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
STARTUP_FAILURE = 3
request_log = logging.getLogger("webapp.requests")


class _CurrentStderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever sys.stderr is at the time (test runners swap it)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


class _DropStartupTraceback(logging.Filter):
    """The server already prints a failed start-up's one-line reason; drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, DatabaseUnavailable)


def _configure_request_log() -> None:
    if request_log.handlers:
        return
    handler = _CurrentStderrHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    request_log.addHandler(handler)
    request_log.setLevel(logging.INFO)
    request_log.propagate = False


def request_id() -> str:
    """This request's id (made on first use)."""
    existing: str | None = g.get("request_id")
    if existing is None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "").strip()
        existing = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_id = existing
    return existing


async def _start_timer() -> None:
    g.request_started = time.perf_counter()
    request_id()


async def _log_request(response: Response) -> Response:
    rid = request_id()
    response.headers[REQUEST_ID_HEADER] = rid
    started = g.get("request_started")
    duration = (time.perf_counter() - started) * 1000 if started is not None else None
    request_log.info(
        json.dumps(
            {
                "event": "request",
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": None if duration is None else round(duration, 2),
                "request_id": rid,
            },
            ensure_ascii=False,
        )
    )
    return response


def exit_on_bad_settings(error: Exception) -> NoReturn:
    """Stop a server whose settings are unusable with one line saying why.

    Exit status 3 is uvicorn's "failed to start": its supervisor then stops
    instead of restarting the worker forever.
    """
    print(f"✗ Lang Portal cannot start: {error}", file=sys.stderr)
    raise SystemExit(STARTUP_FAILURE)


def init_observability(app: Quart) -> None:
    """Hook request logging into `app`; call first, so the timer starts before other hooks."""
    _configure_request_log()
    app.logger.addFilter(_DropStartupTraceback())
    app.before_request(_start_timer)
    app.after_request(_log_request)
