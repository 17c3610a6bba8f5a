"""The two resets; protected by the admin rule (webapp.security.require_admin)."""

from __future__ import annotations

from typing import Any

from ..security import require_admin
from ..services import resets
from ..web import conn
from . import api


@api.post("/reset_history")
async def reset_history() -> dict[str, Any]:
    require_admin()
    await resets.reset_history(await conn())
    return {"success": True, "message": "Study history has been reset"}


@api.post("/full_reset")
async def full_reset() -> dict[str, Any]:
    require_admin()
    await resets.full_reset(await conn())
    return {"success": True, "message": "System has been fully reset"}
