"""GET/PUT /api/study_settings: the current learner's study settings."""

from __future__ import annotations

from typing import Any

from ..learner import current_learner_id
from ..response_cache import cached
from ..services import study_settings
from ..web import conn, json_body
from . import api


@api.get("/study_settings")
@cached()
async def show_study_settings() -> dict[str, Any]:
    return await study_settings.get_study_settings(await conn(), learner_id=current_learner_id())


@api.put("/study_settings")
async def update_study_settings() -> dict[str, Any]:
    body = await json_body()
    return await study_settings.update_study_settings(
        await conn(), learner_id=current_learner_id(), given=body
    )
