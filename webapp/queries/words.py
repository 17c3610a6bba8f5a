"""Words: lists (all, by group, by session), one word, and search."""

from __future__ import annotations

from typing import Any

from ..db import Conn
from .common import LEARNER_JOIN, WORD_COLUMNS, WORD_TEXT_COLUMNS, order_by, word_item
from .word_search import RELEVANCE, search_filter, search_rank

WORD_SORTS = {
    "id": "words.id",
    "japanese": "words.japanese",
    "romaji": "words.romaji",
    "english": "words.english",
    # the current learner's counts (LEARNER_JOIN); a word never answered counts 0
    "correct_count": "COALESCE(lw.correct_count, 0)",
    "wrong_count": "COALESCE(lw.wrong_count, 0)",
}
_COUNT_SORTS = frozenset({"correct_count", "wrong_count"})
# Within a session the counts are that session's, computed by the query itself.
SESSION_WORD_SORTS = {
    **WORD_SORTS,
    # qualified: the bare names are ambiguous between the session counts and words' own
    "correct_count": "s.correct_count",
    "wrong_count": "s.wrong_count",
}


async def list_words_page(
    conn: Conn,
    *,
    learner_id: int,
    limit: int,
    offset: int,
    sort: str = "id",
    order: str = "asc",
    group_id: int | None = None,
    search: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    join = ""
    where = "WHERE 1 = 1"
    values: dict[str, Any] = {"limit": limit, "offset": offset, "learner_id": learner_id}
    if sort in _COUNT_SORTS:
        join += f" {LEARNER_JOIN}"
    if group_id is not None:
        join = "JOIN words_groups wg ON wg.word_id = words.id AND wg.group_id = :group_id " + join
        values["group_id"] = group_id
    filtering = ""
    if search:
        values.update(search)
        filtering = search_filter(conn)
    if search and sort == RELEVANCE:
        # best matches first (word_search), ties by id
        rank = f", {search_rank(conn)} AS search_rank"
        inner_ordering = "ORDER BY search_rank, words.id"
        ordering = "ORDER BY page.search_rank, words.id"
    else:
        rank = ""
        inner_ordering = ordering = order_by(WORD_SORTS, sort, order, "words")
    # Late row lookup: the page's ids come from a narrow index (OFFSET skips index
    # entries, not whole rows), then only those rows are read, so a deep page
    # costs about what the first one does.
    sql = (
        f"SELECT {WORD_COLUMNS} FROM words {LEARNER_JOIN} JOIN ("
        f" SELECT words.id{rank} FROM words {join} {where}{filtering}"
        f" {inner_ordering} LIMIT :limit OFFSET :offset"
        f") page ON page.id = words.id {ordering}"
    )
    return [word_item(row) for row in await conn.fetch_all(sql, values)]


async def count_words(
    conn: Conn, *, group_id: int | None = None, search: dict[str, str] | None = None
) -> int:
    if group_id is not None and not search:
        # maintained counter: no need to count the links
        value = await conn.fetch_val(
            "SELECT word_count FROM groups WHERE id = :group_id", {"group_id": group_id}
        )
        return int(value or 0)
    if group_id is None and not search:
        # kept by triggers on words; COUNT(*) is a full scan on PostgreSQL
        return int(await conn.fetch_val("SELECT words_count FROM portal_totals WHERE id = 1"))
    join = ""
    values: dict[str, Any] = dict(search or {})
    if group_id is not None:
        join = "JOIN words_groups wg ON wg.word_id = words.id AND wg.group_id = :group_id"
        values["group_id"] = group_id
    filtering = search_filter(conn) if search else ""
    sql = f"SELECT COUNT(*) FROM words {join} WHERE 1 = 1{filtering}"
    return int(await conn.fetch_val(sql, values))


async def get_word(conn: Conn, word_id: int, *, learner_id: int) -> dict[str, Any] | None:
    """One word item with the learner's counts."""
    row = await conn.fetch_one(
        f"SELECT {WORD_COLUMNS} FROM words {LEARNER_JOIN} WHERE words.id = :id",
        {"id": word_id, "learner_id": learner_id},
    )
    return None if row is None else word_item(row)


async def word_exists(conn: Conn, word_id: int) -> bool:
    return bool(await conn.fetch_val("SELECT COUNT(*) FROM words WHERE id = :id", {"id": word_id}))


async def list_word_groups(conn: Conn, word_id: int) -> list[dict[str, Any]]:
    return await conn.fetch_all(
        "SELECT groups.id, groups.name FROM words_groups wg "
        "JOIN groups ON groups.id = wg.group_id WHERE wg.word_id = :id "
        "ORDER BY groups.name, groups.id",
        {"id": word_id},
    )


async def list_session_words_page(
    conn: Conn, session_id: int, *, limit: int, offset: int, sort: str = "id", order: str = "asc"
) -> list[dict[str, Any]]:
    """Words reviewed in a session, with counts within that session only."""
    true = "1" if conn.is_sqlite else "TRUE"
    rows = await conn.fetch_all(
        f"SELECT {WORD_TEXT_COLUMNS}, s.correct_count, s.wrong_count FROM ("
        f"  SELECT word_id, SUM(CASE WHEN correct = {true} THEN 1 ELSE 0 END) AS correct_count,"
        f"         SUM(CASE WHEN correct = {true} THEN 0 ELSE 1 END) AS wrong_count"
        "  FROM words_review_items WHERE study_session_id = :session_id GROUP BY word_id"
        ") s JOIN words ON words.id = s.word_id "
        f"{order_by(SESSION_WORD_SORTS, sort, order, 'words')} LIMIT :limit OFFSET :offset",
        {"session_id": session_id, "limit": limit, "offset": offset},
    )
    return [word_item(row) for row in rows]


async def count_session_words(conn: Conn, session_id: int) -> int:
    return int(
        await conn.fetch_val(
            "SELECT COUNT(DISTINCT word_id) FROM words_review_items "
            "WHERE study_session_id = :session_id",
            {"session_id": session_id},
        )
    )
