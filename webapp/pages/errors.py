"""The HTML error page (404, 500, …) with a way back."""

from __future__ import annotations

from quart import Response, current_app, render_template

TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Page not found",
    405: "Not allowed",
    413: "Too large",
    422: "Check your input",
    500: "Something went wrong",
    503: "Temporarily unavailable",
}


async def render_error_page(status: int, message: str) -> Response:
    try:
        html = await render_template(
            "error.html", status=status, title=TITLES.get(status, "Error"), message=message
        )
    except Exception:  # the error page must never fail itself
        html = (
            f"<!doctype html><title>Error {status}</title><p>Error {status}.</p>"
            "<p><a href='/dashboard'>Back to the dashboard</a></p>"
        )
    return current_app.response_class(html, status=status)
