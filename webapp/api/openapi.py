"""GET /api/openapi.json: the API's OpenAPI 3.1 description (webapp/openapi.py)."""

from __future__ import annotations

from typing import Any

from ..openapi import openapi_document
from . import api


@api.get("/openapi.json")
async def openapi_json() -> dict[str, Any]:
    return openapi_document()
