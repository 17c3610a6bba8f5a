"""The JSON API under /api (contract: spec/api.md)."""

from __future__ import annotations

from quart import Blueprint, Response

from ..security import add_cors_headers, check_api_origin

api = Blueprint("api", __name__, url_prefix="/api")


@api.before_request
async def refuse_cross_site_writes() -> None:
    check_api_origin()


@api.after_request
async def allow_listed_origins(response: Response) -> Response:
    return add_cors_headers(response)


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
