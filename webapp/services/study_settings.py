"""A learner's study settings: new words per day, session length, time zone."""

from __future__ import annotations

from typing import Any

from ..config import is_timezone
from ..db import Conn
from ..errors import InvalidInput
from ..queries import stats

LIMITS = {"new_words_per_day": (0, 500), "session_length": (1, 500)}


def _whole_number(name: str, value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    low, high = LIMITS[name]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"'{name}' must be a whole number from {low} to {high}", field=name)
    return value


def clean_study_settings(current: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """`current` updated with the fields of `given`; InvalidInput names the first bad one.

    An empty or null timezone means "not set" (the portal's DEFAULT_TIMEZONE applies).
    """
    cleaned = dict(current)
    for name in LIMITS:
        if name in given:
            cleaned[name] = _whole_number(name, given[name])
    if "timezone" in given:
        zone = given["timezone"]
        if zone is None or (isinstance(zone, str) and not zone.strip()):
            cleaned["timezone"] = None
        elif isinstance(zone, str) and len(zone) <= 64 and is_timezone(zone.strip()):
            cleaned["timezone"] = zone.strip()
        else:
            raise InvalidInput(
                "'timezone' must be an IANA time zone such as Asia/Tokyo", field="timezone"
            )
    return cleaned


async def get_study_settings(conn: Conn, *, learner_id: int) -> dict[str, Any]:
    return await stats.get_study_settings(conn, learner_id)


async def update_study_settings(
    conn: Conn, *, learner_id: int, given: dict[str, Any]
) -> dict[str, Any]:
    """Validate and store; returns the learner's settings as saved."""
    async with conn.transaction():
        cleaned = clean_study_settings(await stats.get_study_settings(conn, learner_id), given)
        await stats.update_study_settings(
            conn,
            learner_id,
            new_words_per_day=cleaned["new_words_per_day"],
            session_length=cleaned["session_length"],
            timezone=cleaned["timezone"],
        )
    return cleaned
