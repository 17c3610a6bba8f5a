"""A learner's own copy of their data (GET /api/learners/me/export)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..db import Conn, to_api_timestamp, utc_now
from ..errors import PortalError
from ..queries import learners as q
from . import learners as profiles


async def export_learner(conn: Conn, learner_id: int) -> dict[str, Any]:
    """Profile, sessions, reviews and schedule, read in one go (one learner's is small)."""
    learner = await profiles.profile(conn, learner_id)
    return {
        "format": "lang-portal-learner",
        "version": 1,
        "exported_at": to_api_timestamp(utc_now()),
        "learner": learner,
        "study_sessions": await q.list_learner_sessions(conn, learner_id),
        "reviews": await q.list_learner_reviews(conn, learner_id),
        "schedule": await q.list_learner_schedule(conn, learner_id),
    }


def write_document(document: dict[str, Any], path: Path) -> None:
    """Write atomically: a failed export leaves no half-written file."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise PortalError(f"cannot write {path}: {error}") from None
