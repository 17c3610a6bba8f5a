"""The JSON API under /api (contract: spec/api.md)."""

from __future__ import annotations

from quart import Blueprint, Quart, Response, request
from quart.typing import ResponseTypes

from ..security import add_cors_headers, allowed_cross_origin, check_api_origin

PREFIX = "/api"
api = Blueprint("api", __name__, url_prefix=PREFIX)


@api.before_request
async def refuse_cross_site_writes() -> None:
    check_api_origin()


def is_api_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def install_cors(app: Quart) -> None:
    """CORS for ALLOWED_ORIGINS on every /api answer, not only the routed ones.

    On the app, not the blueprint: an unknown route, an id the route's converter
    rejects and a 405 are answered before any blueprint is chosen, and a browser app
    must see those JSON errors instead of "blocked by CORS policy".  For the same
    reason a preflight is answered here, whatever the URL: the real request then gets
    its own answer (a 404, say), which carries the headers too.
    """

    @app.before_request
    async def answer_preflight() -> ResponseTypes | None:
        if (
            request.method == "OPTIONS"
            and is_api_path(request.path)
            and "Access-Control-Request-Method" in request.headers
            and allowed_cross_origin(request.headers.get("Origin", ""))
        ):
            return Response(status=204)
        return None

    @app.after_request
    async def allow_listed_origins(response: Response) -> Response:
        if is_api_path(request.path):
            return add_cors_headers(response)
        return response


# Route modules attach themselves to `api` on import.
from . import (  # noqa: E402,F401
    activities,
    admin,
    classes,
    dashboard,
    groups,
    learners,
    openapi,
    sessions,
    study_settings,
    words,
)
