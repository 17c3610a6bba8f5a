"""The project's app with candidate optimisations patched in at start-up.

For measuring a proposal end to end, the way it would be deployed, without
touching webapp/ (others own it):

    python bench/run.py --factory bench.experiments.patched:create_app \
        --env BENCH_PATCHES=thin_sqlite,write_lock --label exp-thin-lock

BENCH_PATCHES (comma-separated):
  thin_sqlite     SQLite statements go straight to the aiosqlite connection in one
                  thread hop, skipping `databases` (which compiles every text query
                  through SQLAlchemy on every call)
  write_lock      one SQLite write transaction at a time per worker (an asyncio.Lock
                  around BEGIN IMMEDIATE … COMMIT), so a worker's writers queue in
                  the event loop instead of sleeping in SQLite's busy handler
  no_request_log  the per-request JSON log line switched off
  sync_jinja      templates compiled and rendered by a synchronous Jinja environment
                  (an overlay of the app's), instead of Quart's async one, where
                  every macro call goes through auto_await
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import webapp
from webapp import db as dbmod

PATCHES = {p.strip() for p in os.environ.get("BENCH_PATCHES", "").split(",") if p.strip()}


def _run_in_driver_thread(conn: Any, sql: str, values: Mapping[str, Any] | None) -> Any:
    """One aiosqlite hop: execute, fetch every row, and read the column names."""
    driver = conn.driver_connection  # aiosqlite.Connection
    params = dict(values or {})

    def work() -> tuple[list[str], list[tuple], int | None]:
        cursor = driver._conn.execute(sql, params)
        try:
            rows = cursor.fetchall()
            names = [d[0] for d in cursor.description] if cursor.description else []
            return names, rows, cursor.lastrowid
        finally:
            cursor.close()

    return driver._execute(work)


def patch_thin_sqlite() -> None:
    names = ("fetch_all", "fetch_one", "fetch_val", "execute")
    originals = {name: getattr(dbmod.Conn, name) for name in names}

    async def fetch_all(self: Any, sql: str, values: Any = None) -> list[dict[str, Any]]:
        if not self.is_sqlite:
            return await originals["fetch_all"](self, sql, values)
        names, rows, _ = await _run_in_driver_thread(self, sql, values)
        return [dict(zip(names, row, strict=True)) for row in rows]

    async def fetch_one(self: Any, sql: str, values: Any = None) -> dict[str, Any] | None:
        if not self.is_sqlite:
            return await originals["fetch_one"](self, sql, values)
        names, rows, _ = await _run_in_driver_thread(self, sql, values)
        return dict(zip(names, rows[0], strict=True)) if rows else None

    async def fetch_val(self: Any, sql: str, values: Any = None) -> Any:
        if not self.is_sqlite:
            return await originals["fetch_val"](self, sql, values)
        _, rows, _ = await _run_in_driver_thread(self, sql, values)
        return rows[0][0] if rows else None

    async def execute(self: Any, sql: str, values: Any = None) -> Any:
        if not self.is_sqlite:
            return await originals["execute"](self, sql, values)
        _, _, lastrowid = await _run_in_driver_thread(self, sql, values)
        return lastrowid

    dbmod.Conn.fetch_all = fetch_all  # type: ignore[method-assign]
    dbmod.Conn.fetch_one = fetch_one  # type: ignore[method-assign]
    dbmod.Conn.fetch_val = fetch_val  # type: ignore[method-assign]
    dbmod.Conn.execute = execute  # type: ignore[method-assign]


def patch_write_lock() -> None:
    original = dbmod.Conn.transaction
    locks: dict[int, asyncio.Lock] = {}

    @asynccontextmanager
    async def transaction(self: Any) -> AsyncIterator[Any]:
        if not self.is_sqlite or self._in_transaction:
            async with original(self) as conn:
                yield conn
            return
        loop_id = id(asyncio.get_running_loop())
        lock = locks.setdefault(loop_id, asyncio.Lock())
        async with lock, original(self) as conn:
            yield conn

    dbmod.Conn.transaction = transaction  # type: ignore[method-assign]


def patch_sync_jinja(app: Any) -> None:
    import quart
    import quart.templating as templating

    # A fresh cache: the app's holds templates compiled for async rendering.
    sync_env = app.jinja_env.overlay(enable_async=False, cache_size=400)

    async def render_template(template_name_or_list: Any, **context: Any) -> str:
        await quart.current_app.update_template_context(context)
        template = sync_env.get_or_select_template(template_name_or_list)
        return template.render(context)

    templating.render_template = render_template
    quart.render_template = render_template
    for module in ("webapp.pages.rendering", "webapp.pages.errors"):
        mod = __import__(module, fromlist=["render_template"])
        if hasattr(mod, "render_template"):
            mod.render_template = render_template


def create_app(config: Mapping[str, Any] | None = None) -> Any:
    unknown = PATCHES - {"thin_sqlite", "write_lock", "no_request_log", "sync_jinja"}
    if unknown:
        raise SystemExit(f"unknown BENCH_PATCHES: {sorted(unknown)}")
    if "thin_sqlite" in PATCHES:
        patch_thin_sqlite()
    if "write_lock" in PATCHES:
        patch_write_lock()
    app = webapp.create_app(config)
    if "sync_jinja" in PATCHES:
        patch_sync_jinja(app)
    if "no_request_log" in PATCHES:
        logging.getLogger("webapp.requests").disabled = True
    logging.getLogger("webapp").warning("bench patches: %s", ", ".join(sorted(PATCHES)) or "none")
    return app
