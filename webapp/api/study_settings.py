"""GET/PUT /api/study_settings: the current learner's study settings."""

from __future__ import annotations

from ..learner import current_learner_id
from ..services import study_settings
from ..web import conn, json_body
from . import api


@api.get("/study_settings")
async def show_study_settings() -> dict:
    return await study_settings.get_study_settings(await conn(), learner_id=current_learner_id())


@api.put("/study_settings")
async def update_study_settings() -> dict:
    body = await json_body()
    return await study_settings.update_study_settings(
        await conn(), learner_id=current_learner_id(), given=body
    )
