"""What the API, CLI and data tests share, one module per concern.

Import everything from here (`from tests.helpers import get, seed_facts`) or from
its module (`from tests.helpers.prototype import build_prototype_db`); the browser
tests' page readers live in `tests.helpers.browser` (they need Playwright).
"""

from __future__ import annotations

from tests.helpers.api import (
    all_items,
    assert_error_body,
    body_of,
    call,
    expect_error,
    flashcards_id,
    get,
    group_id_by_name,
    launch,
    post,
    review,
    total_items,
)
from tests.helpers.apps import (
    LOOPBACK_CLIENT,
    TEST_CONFIG,
    LoopbackTestClient,
    api_client,
    build_app,
    connect,
    migrate_in_process,
)
from tests.helpers.cli import CliRun, assert_clear_failure, cli_on, free_port, run_cli, run_cli_ok
from tests.helpers.prototype import build_prototype_db, prototype_time_as_api
from tests.helpers.rows import counters_and_recount, insert_session, insert_sessions, utc
from tests.helpers.seeds import ROOT, SEEDS, SeedFacts, seed_facts, word_key
from tests.helpers.shapes import (
    ACTIVITY_FIELDS,
    ISO_Z,
    PAGE_SIZE,
    SESSION_ITEM_FIELDS,
    WORD_ITEM_FIELDS,
    assert_page_shape,
    assert_session_item,
    assert_word_item,
    parse_api_time,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "ISO_Z",
    "LOOPBACK_CLIENT",
    "PAGE_SIZE",
    "ROOT",
    "SEEDS",
    "SESSION_ITEM_FIELDS",
    "TEST_CONFIG",
    "WORD_ITEM_FIELDS",
    "CliRun",
    "LoopbackTestClient",
    "SeedFacts",
    "all_items",
    "api_client",
    "assert_clear_failure",
    "assert_error_body",
    "assert_page_shape",
    "assert_session_item",
    "assert_word_item",
    "body_of",
    "build_app",
    "build_prototype_db",
    "call",
    "cli_on",
    "connect",
    "counters_and_recount",
    "expect_error",
    "flashcards_id",
    "free_port",
    "get",
    "group_id_by_name",
    "insert_session",
    "insert_sessions",
    "launch",
    "migrate_in_process",
    "parse_api_time",
    "post",
    "prototype_time_as_api",
    "review",
    "run_cli",
    "run_cli_ok",
    "seed_facts",
    "total_items",
    "utc",
    "word_key",
]
