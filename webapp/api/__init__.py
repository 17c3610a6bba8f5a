"""The JSON API under /api (contract: spec/api.md)."""

from __future__ import annotations

from quart import Blueprint, Response

from ..security import add_cors_headers, check_api_origin
from ..web import refuse_oversized_body

api = Blueprint("api", __name__, url_prefix="/api")


@api.before_request
async def refuse_cross_site_writes() -> None:
    check_api_origin()
    await refuse_oversized_body()


@api.after_request
async def allow_listed_origins(response: Response) -> Response:
    return add_cors_headers(response)


# Route modules attach themselves to `api` on import.
from . import (  # noqa: E402,F401
    activities,
    admin,
    authoring,
    dashboard,
    exports,
    groups,
    imports,
    openapi,
    sessions,
    words,
)
