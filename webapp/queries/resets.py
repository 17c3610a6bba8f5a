"""Statements that empty tables (resets, imports)."""

from __future__ import annotations

from ..db import Conn


async def delete_history(conn: Conn) -> None:
    """Every session and review; the counters they fed go back to zero."""
    await conn.execute_script(
        [
            "DELETE FROM session_queue",
            "DELETE FROM undone_answers",
            "DELETE FROM learner_words",
            "DELETE FROM words_review_items",
            "DELETE FROM study_sessions",
            "DELETE FROM learner_groups",
            "UPDATE groups SET sessions_count = 0 WHERE sessions_count <> 0",
            "UPDATE learner_stats SET correct_count = 0, wrong_count = 0, sessions_count = 0,"
            " words_studied = 0, active_groups = 0",
        ]
    )


async def delete_everything(conn: Conn) -> None:
    """History and content, with ids starting again from 1."""
    if conn.is_sqlite:
        await conn.execute_script(
            [
                "DELETE FROM session_queue",
                "DELETE FROM undone_answers",
                "DELETE FROM learner_words",
                "DELETE FROM learner_groups",
                "DELETE FROM words_review_items",
                "DELETE FROM study_sessions",
                "DELETE FROM words_groups",
                "DELETE FROM words",
                "DELETE FROM groups",
                "DELETE FROM study_activities",
                "DELETE FROM import_previews",
            ]
        )
        await conn.execute(
            "DELETE FROM sqlite_sequence WHERE name IN "
            "('words_review_items', 'study_sessions', 'words_groups', 'words', 'groups',"
            " 'study_activities', 'import_previews')"
        )
    else:
        await conn.execute(
            "TRUNCATE session_queue, undone_answers, learner_words, learner_groups,"
            " words_review_items, study_sessions, words_groups, words, groups,"
            " study_activities, import_previews RESTART IDENTITY"
        )
    await conn.execute(
        "UPDATE learner_stats SET correct_count = 0, wrong_count = 0, sessions_count = 0,"
        " words_studied = 0, active_groups = 0"
    )
    # TRUNCATE fires no row triggers: the word total is set, not counted down
    await conn.execute("UPDATE portal_totals SET words_count = 0")
