"""The class view of a group (the teacher's page and its CSV download)."""

from __future__ import annotations

import csv
import io
from typing import Any

from ..db import Conn
from ..pagination import PageRequest
from ..queries import classes
from .authoring import live_group

CSV_HEADER = (
    "learner",
    "sessions",
    "words_studied",
    "words_in_group",
    "correct",
    "wrong",
    "success_rate",
    "due",
    "last_active_at",
)
# A cell starting with one of these is run as a formula by spreadsheets (OWASP CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


async def class_view(conn: Conn, group_id: int, page: PageRequest) -> dict[str, Any]:
    """One page of the class, its totals, and `pagination` (counted with the totals)."""
    group = await live_group(conn, group_id)
    items = await classes.list_class_rows(
        conn, group_id, sort=page.sort, order=page.order, limit=page.limit, offset=page.offset
    )
    totals = await classes.get_class_totals(conn, group_id)
    return {
        "group": {"id": group["id"], "name": group["name"], "word_count": group["word_count"]},
        "items": items,
        "hardest_words": await classes.list_hardest_words(conn, group_id),
        "totals": totals,
        "pagination": page.describe(totals["learners"]),
    }


def spreadsheet_safe(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


async def class_csv(conn: Conn, group_id: int, *, sort: str, order: str) -> tuple[str, str]:
    """(file name, CSV text with BOM and CRLF): every row, in the requested order."""
    group = await live_group(conn, group_id)
    rows = await classes.list_class_rows(conn, group_id, sort=sort, order=order, limit=None)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            (
                spreadsheet_safe(row["name"]),
                row["sessions_count"],
                row["words_studied"],
                group["word_count"],
                row["correct_count"],
                row["wrong_count"],
                f"{row['success_rate']:.1f}",
                "" if row["due_count"] is None else row["due_count"],
                row["last_active_at"] or "",
            )
        )
    return f"{group['name']} class.csv", "\ufeff" + out.getvalue()
