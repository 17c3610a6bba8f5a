"""Resetting the portal: history only, or everything back to the seed state."""

from __future__ import annotations

from ..db import Conn
from ..queries import resets, stats
from .learners import remove_profiles
from .seeding import SeedContent, load_seed_content, seed


async def reset_history(conn: Conn) -> None:
    async with conn.transaction():
        # every counter is zeroed anyway: PostgreSQL skips the per-row triggers
        await stats.pause_review_counters(conn)
        await resets.delete_history(conn)
        await stats.resume_review_counters(conn)


async def full_reset(conn: Conn, content: SeedContent | None = None) -> None:
    """Exactly the state of a fresh init + migrate + seed, in one transaction."""
    content = content or load_seed_content()  # read before deleting: a bad file loses nothing
    async with conn.transaction():
        await resets.delete_everything(conn)
        # A fresh install has one learner: the default one, with no device tokens.
        await remove_profiles(conn)
        await seed(conn, content)
