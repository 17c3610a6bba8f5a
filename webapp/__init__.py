"""Lang Portal: a self-hostable Japanese vocabulary study portal.

`create_app(config=None)` builds the Quart app: settings (from the
environment, `config` overriding), the database lifecycle, the JSON API under
/api, the HTML pages, and one error handler for everything.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from quart import Quart, Response, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from .admin_auth import verify_bearer
from .clients import check_host
from .compression import install_compression
from .config import ConfigError, load_settings
from .db import Database, DatabaseUnavailable
from .errors import PortalError
from .faults import (
    as_bad_text,
    as_service_unavailable,
    install_repeat_filter,
    refuse_unstorable_input,
)
from .headers import ProxyAwareSessionInterface, add_security_headers
from .hosting import warn_about_hosting
from .json_provider import OrjsonProvider
from .observability import exit_on_bad_settings, init_observability
from .web import (
    UPLOAD_BODY_BYTES,
    body_limit,
    error_body,
    read_body_first,
    release_request_connection,
    too_large_message,
)

log = logging.getLogger("webapp")
BODY_TIMEOUT_SECONDS = 15


def create_app(config: Mapping[str, Any] | None = None) -> Quart:
    try:
        settings = load_settings(overrides=config)
    except ConfigError as error:
        if config is None:  # called by the ASGI server as its factory: one line, no traceback
            exit_on_bad_settings(error)
        raise
    app = Quart(__name__)
    app.json = OrjsonProvider(app)
    init_observability(app)
    install_repeat_filter(log)
    warn_about_hosting(settings)
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        # the largest body of any route (an import's upload); web.body_limit() keeps
        # every other route to a few KB
        MAX_CONTENT_LENGTH=UPLOAD_BODY_BYTES,
        MAX_FORM_MEMORY_SIZE=UPLOAD_BODY_BYTES,
        # A client that has not sent its whole body by then gets 408 (slow-client bound).
        BODY_TIMEOUT=BODY_TIMEOUT_SECONDS,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(settings.public_url and settings.public_url.startswith("https")),
        SEND_FILE_MAX_AGE_DEFAULT=365 * 24 * 3600,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.session_interface = ProxyAwareSessionInterface()
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    database = Database(settings.database_url)
    app.extensions["lang_portal_db"] = database

    @app.before_serving
    async def connect_database() -> None:
        await database.connect()

    @app.after_serving
    async def disconnect_database() -> None:
        await database.disconnect()

    # Every request hook is a coroutine function: Quart runs a plain function in its
    # thread pool, a thread hop per hook on every request.
    # Order matters: the Host first, then the whole body (bounded in size and time)
    # before anything takes a database connection, then the Bearer verdict.
    app.before_request(check_host)
    app.before_request(read_body_first)
    app.before_request(refuse_unstorable_input)
    app.before_request(verify_bearer)
    app.teardown_request(release_request_connection)
    _register_blueprints(app)
    _register_error_handlers(app)
    return app


def _register_blueprints(app: Quart) -> None:
    from .api import api, install_cors
    from .health import health
    from .learner import install_learner_resolution
    from .pages import pages

    app.register_blueprint(health)
    install_learner_resolution(app)
    app.register_blueprint(api)
    app.register_blueprint(pages)
    install_cors(app)
    app.after_request(add_security_headers)
    install_compression(app)


def wants_json() -> bool:
    return request.path.startswith("/api") or request.path == "/health"


def _register_error_handlers(app: Quart) -> None:
    from .pages.errors import render_error_page

    async def respond(
        status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> Response:
        if wants_json():
            response = jsonify(body)
        else:
            response = await render_error_page(status, body["error"])
        response.status_code = status
        for name, value in (headers or {}).items():
            response.headers[name] = value
        return response

    @app.errorhandler(PortalError)
    async def portal_error(error: PortalError) -> Response:
        return await respond(error.status, error_body(error), error.headers)

    @app.errorhandler(HTTPException)
    async def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        headers: dict[str, str] = {}
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            headers["Allow"] = ", ".join(sorted(error.valid_methods))
        message = {
            404: f"Not found: {request.path}",
            405: f"Method {request.method} is not allowed here",
            413: too_large_message(body_limit()),
        }.get(status, error.description or error.name)
        return await respond(status, {"error": message}, headers)

    @app.errorhandler(DatabaseUnavailable)
    async def database_down(error: DatabaseUnavailable) -> Response:
        log.error("database unavailable: %s", error)
        return await respond(503, {"error": "The database is not available right now"})

    @app.errorhandler(Exception)
    async def unexpected(error: Exception) -> Response:
        bad_text = as_bad_text(error)
        if bad_text is not None:
            return await respond(bad_text.status, error_body(bad_text))
        unavailable = as_service_unavailable(error)
        if unavailable is not None:
            log.error("cannot write to the database: %s", unavailable.message)
            return await respond(unavailable.status, error_body(unavailable))
        # Logged with its traceback for the operator; the client gets no details.
        log.exception("unhandled error on %s %s", request.method, request.path)
        return await respond(500, {"error": "Internal server error"})
