"""The HTML pages (spec/pages.md): full pages, and fragments for htmx swaps."""

from __future__ import annotations

from quart import Blueprint, redirect
from quart.typing import ResponseTypes

from ..security import check_csrf

pages = Blueprint("pages", __name__)


@pages.before_request
async def require_csrf_token() -> None:
    await check_csrf()


@pages.get("/")
async def index() -> ResponseTypes:
    return redirect("/dashboard")


# Route modules attach themselves to `pages` on import.
from . import (  # noqa: E402,F401
    activities,
    classes,
    dashboard,
    groups,
    learners,
    profiles,
    sessions,
    settings,
    words,
)
from .rendering import install_template_helpers  # noqa: E402

install_template_helpers(pages)
