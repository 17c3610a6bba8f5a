"""JSON Schema pieces shared by the OpenAPI description's modules."""

from __future__ import annotations

from typing import Any

from .web import MAX_ID

Schema = dict[str, Any]
INT_ID: Schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
COUNT: Schema = {"type": "integer", "minimum": 0}
TEXT: Schema = {"type": "string"}
TIME: Schema = {"type": "string", "format": "date-time"}
TIME_OR_NULL: Schema = {"type": ["string", "null"], "format": "date-time"}
TEXT_OR_NULL: Schema = {"type": ["string", "null"]}
PERCENT: Schema = {"type": "number", "minimum": 0, "maximum": 100}
