"""What every safety test checks after its load: the API agrees with itself and with the rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from webapp.db import Conn
from webapp.queries.stats import fetch_counter_snapshot, recount_all

from .server import Client


@dataclass
class Posted:
    """What the clients were told was recorded (201) — the ground truth to check against."""

    sessions: set[int] = field(default_factory=set)
    reviews: dict[int, tuple[int, int, bool]] = field(default_factory=dict)  # id → (s, w, ok)
    times: dict[int, str] = field(default_factory=dict)  # id → created_at as acknowledged

    def per_word(self) -> dict[int, Counter]:
        counts: dict[int, Counter] = {}
        for _, word, correct in self.reviews.values():
            counts.setdefault(word, Counter())["correct" if correct else "wrong"] += 1
        return counts

    def per_session(self) -> Counter:
        return Counter(session for session, _, _ in self.reviews.values())


def list_all(client: Client, path: str) -> list[dict[str, Any]]:
    """Every item of a paginated list, page by page."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        separator = "&" if "?" in path else "?"
        reply = client.get(f"{path}{separator}page={page}")
        assert reply.status == 200, (path, reply.status, reply.body[:200])
        body = reply.json()
        items.extend(body["items"])
        if page >= body["pagination"]["total_pages"]:
            assert len(items) == body["pagination"]["total_items"]
            return items
        page += 1


def assert_api_agrees(client: Client, posted: Posted, *, sessions_before: int = 0) -> None:
    """Every figure the API shows matches exactly what was acknowledged."""
    words = {w["id"]: w for w in list_all(client, "/api/words")}
    for word_id, counts in posted.per_word().items():
        assert words[word_id]["correct_count"] == counts["correct"], word_id
        assert words[word_id]["wrong_count"] == counts["wrong"], word_id
        shown = client.get(f"/api/words/{word_id}").json()
        assert shown["stats"] == {
            "correct_count": counts["correct"],
            "wrong_count": counts["wrong"],
        }
    untouched = set(words) - set(posted.per_word())
    assert all(words[w]["correct_count"] + words[w]["wrong_count"] == 0 for w in untouched)

    per_session = posted.per_session()
    listed = {s["id"]: s for s in list_all(client, "/api/study_sessions")}
    assert set(listed) >= posted.sessions
    assert len(listed) == sessions_before + len(posted.sessions)
    for session_id in posted.sessions:
        shown = client.get(f"/api/study_sessions/{session_id}").json()
        assert shown["review_items_count"] == per_session[session_id], session_id
        assert listed[session_id]["review_items_count"] == per_session[session_id]
        # end_time is the time of the session's last review, however the commits interleaved
        times = [
            stamp for rid, stamp in posted.times.items() if posted.reviews[rid][0] == session_id
        ]
        assert shown["end_time"] == (max(times) if times else None), session_id
        session_words = list_all(client, f"/api/study_sessions/{session_id}/words")
        assert (
            sum(w["correct_count"] + w["wrong_count"] for w in session_words)
            == per_session[session_id]
        )

    correct = sum(1 for _, _, ok in posted.reviews.values() if ok)
    total = len(posted.reviews)
    stats = client.get("/api/dashboard/quick_stats").json()
    assert stats["total_study_sessions"] == sessions_before + len(posted.sessions)
    assert stats["success_rate"] == (round(100 * correct / total, 1) if total else 0.0)
    progress = client.get("/api/dashboard/study_progress").json()
    assert progress["total_words_studied"] == len(posted.per_word())


async def assert_rows_agree(conn: Conn, posted: Posted) -> None:
    """The raw rows hold every acknowledged review exactly once, and nothing else."""
    rows = await conn.fetch_all(
        "SELECT id, study_session_id, word_id, correct FROM words_review_items ORDER BY id"
    )
    stored = {r["id"]: (r["study_session_id"], r["word_id"], bool(r["correct"])) for r in rows}
    assert stored == posted.reviews
    assert await conn.fetch_val("SELECT COUNT(*) FROM study_sessions") >= len(posted.sessions)


async def assert_counters_equal_recount(conn: Conn) -> None:
    """The counters kept by every write equal a recount from the raw rows."""
    kept = await fetch_counter_snapshot(conn)
    async with conn.transaction():
        await recount_all(conn)
    recounted = await fetch_counter_snapshot(conn)
    for kind, rows in recounted.items():
        differ = [(k, r) for k, r in zip(kept[kind], rows, strict=True) if k != r]
        assert not differ, f"{kind}: kept vs recounted {differ[:3]}"
