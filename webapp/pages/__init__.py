"""The HTML pages (spec/pages.md)."""

from __future__ import annotations

from quart import Blueprint, redirect

pages = Blueprint("pages", __name__)


@pages.get("/")
async def index():  # type: ignore[no-untyped-def]
    return redirect("/dashboard")
