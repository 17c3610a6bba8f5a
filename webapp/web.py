"""HTTP helpers shared by the API and the pages: the request's database
connection, page-or-fragment detection, JSON bodies and the one error shape."""

from __future__ import annotations

import json
from typing import Any

from quart import Response, current_app, g, request

from .config import Settings, is_timezone
from .db import Conn, Database
from .errors import BadRequest, InvalidInput, NotFound, PortalError, UnsupportedMediaType

MAX_ID = 2_147_483_647
# Route converters bound to the id range, so a 20-digit id is a 404, not a driver overflow.
ID = f"int(min=1, max={MAX_ID})"
PARTIAL_VARY = "HX-Request, HX-Request-Type"


def settings() -> Settings:
    configured: Settings = current_app.config["SETTINGS"]
    return configured


def database() -> Database:
    connected: Database = current_app.extensions["lang_portal_db"]
    return connected


async def conn() -> Conn:
    """The request's one connection, taken on first use and released at teardown."""
    existing: Conn | None = g.get("db_conn")
    if existing is None:
        existing = await database().acquire()
        g.db_conn = existing
    return existing


async def release_request_connection(error: BaseException | None = None) -> None:
    existing: Conn | None = g.pop("db_conn", None)
    if existing is not None:
        # a request that ended in an error may have left its connection mid-statement
        await database().release(existing, reusable=error is None)


def is_partial_request() -> bool:
    """True only for a targeted htmx swap (not a full-page or history-restore request)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Request-Type") == "partial"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def add_vary(response: Response, *names: str) -> Response:
    """Merge names into Vary, keeping what is already there."""
    current = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    for name in ", ".join(names).split(","):
        name = name.strip()
        if name and name.lower() not in {v.lower() for v in current}:
            current.append(name)
    response.headers["Vary"] = ", ".join(current)
    return response


def error_body(error: PortalError) -> dict[str, Any]:
    return {"error": error.message, **error.detail}


async def read_body_first() -> None:
    """Read a write's whole body before anything else runs.

    So a slow client holds no database connection while it trickles its body
    in (connections are taken on first use, after this), and a body over the
    limit is 413 also on routes that never read theirs (the resets).  Reading
    enforces MAX_CONTENT_LENGTH (declared or streamed) and BODY_TIMEOUT (408);
    the body stays cached for the route.
    """
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    await request.get_data(cache=True)


async def json_body() -> dict[str, Any]:
    """The request's JSON object; 415/400/422 naming the problem otherwise."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("Request body must be JSON: send Content-Type: application/json")
    raw = await request.get_data(as_text=False)
    try:
        body = json.loads(raw)
    except ValueError as error:
        raise BadRequest(f"Request body is not valid JSON: {error}") from None
    except RecursionError:
        raise BadRequest("Request body is not valid JSON: it is nested too deeply") from None
    if not isinstance(body, dict):
        raise InvalidInput("Request body must be a JSON object")
    return body


def _integer(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if name not in body:
        raise InvalidInput(f"'{name}' is required", field=name)
    # JSON has one number type: 3.0 is the integer 3 (JSON Schema agrees), 3.5 is not.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"'{name}' must be an integer", field=name)
    return value


def require_int(body: dict[str, Any], name: str) -> int:
    """An integer from 1 to MAX_ID; 422 otherwise."""
    value = _integer(body, name)
    if not 1 <= value <= MAX_ID:
        raise InvalidInput(f"'{name}' must be between 1 and {MAX_ID}", field=name)
    return value


def require_id(body: dict[str, Any], name: str, what: str) -> int:
    """An integer naming a row (`what`: "Group"): 422 when it is not an integer, 404
    when it is one that no row can have (0, -1, beyond the id range), as for an id
    that names no row today; the database is never asked about those."""
    value = _integer(body, name)
    if not 1 <= value <= MAX_ID:
        raise NotFound(f"{what} {str(value)[:24]} not found", field=name)
    return value


def require_bool(body: dict[str, Any], name: str) -> bool:
    if name not in body:
        raise InvalidInput(f"'{name}' is required", field=name)
    value = body[name]
    if not isinstance(value, bool):
        raise InvalidInput(f"'{name}' must be true or false (a JSON boolean)", field=name)
    return value


def timezone_arg(name: str = "tz") -> str | None:
    """An optional IANA zone from the query string; 400 for an unknown one."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not is_timezone(raw):
        raise BadRequest(
            f"'{name}' must be an IANA time zone such as Asia/Tokyo, got {raw[:60]!r}",
            parameter=name,
        )
    return raw


def parse_id(raw: str) -> int | None:
    """A form or query value as a row id (1 … MAX_ID), or None when it is not one."""
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None
