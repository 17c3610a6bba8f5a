"""Databases of the prototype's schema (for import-seed-db)."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

PROTOTYPE_SCHEMA = """
CREATE TABLE words (id INTEGER PRIMARY KEY AUTOINCREMENT, japanese TEXT NOT NULL,
    romaji TEXT NOT NULL, english TEXT NOT NULL, parts TEXT NOT NULL);
CREATE TABLE groups (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE);
CREATE TABLE words_groups (id INTEGER PRIMARY KEY AUTOINCREMENT, word_id INTEGER NOT NULL,
    group_id INTEGER NOT NULL, UNIQUE(word_id, group_id));
CREATE TABLE study_activities (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,
    description TEXT, thumbnail_url TEXT, activity_type TEXT NOT NULL, launch_url TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE study_sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, group_id INTEGER NOT NULL,
    study_activity_id INTEGER NOT NULL, created_at DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE words_review_items (id INTEGER PRIMARY KEY AUTOINCREMENT,
    word_id INTEGER NOT NULL, study_session_id INTEGER NOT NULL, correct BOOLEAN NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP);
"""
KANA = [
    ("か", "ka"),
    ("き", "ki"),
    ("さ", "sa"),
    ("し", "shi"),
    ("た", "ta"),
    ("ち", "chi"),
    ("な", "na"),
    ("の", "no"),
    ("ま", "ma"),
    ("み", "mi"),
    ("ら", "ra"),
    ("ん", "n"),
]


def _prototype_time(moment: datetime, style: int) -> str:
    """The forms the prototype's databases hold (SQLAlchemy text, ISO, offsets)."""
    if style == 0:
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy, naive UTC
    if style == 1:
        return moment.strftime("%Y-%m-%dT%H:%M:%S")
    if style == 2:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.astimezone(timezone(timedelta(hours=9))).isoformat()  # +09:00


def build_prototype_db(
    path: Path,
    *,
    words: int = 300,
    groups: int = 6,
    sessions: int = 40,
    reviews: int = 2000,
    days: int = 60,
    streak: int = 5,
    seed: int = 7,
) -> None:
    """A SQLite file of the prototype's schema; the study streak ends today (UTC)
    and is exactly `streak` days long. Activities include no flashcards."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    source = sqlite3.connect(path)
    source.executescript(PROTOTYPE_SCHEMA)
    for word_id in range(1, words + 1):
        morae = [rng.choice(KANA) for _ in range(rng.randint(2, 4))]
        parts = json.dumps([{"kanji": k, "romaji": [r]} for k, r in morae], ensure_ascii=False)
        source.execute(
            "INSERT INTO words VALUES (?, ?, ?, ?, ?)",
            (
                word_id,
                "".join(k for k, _ in morae),
                "".join(r for _, r in morae),
                f"meaning {word_id}",
                parts,
            ),
        )
    members: dict[int, list[int]] = {g: [] for g in range(1, groups + 1)}
    for group_id in members:
        source.execute("INSERT INTO groups VALUES (?, ?)", (group_id, f"Imported group {group_id}"))
    for word_id in range(1, words + 1):
        for group_id in rng.sample(sorted(members), rng.randint(1, 2)):
            members[group_id].append(word_id)
            source.execute(
                "INSERT INTO words_groups (word_id, group_id) VALUES (?, ?)", (word_id, group_id)
            )
    source.executemany(
        "INSERT INTO study_activities VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                1,
                "Typing Tutor",
                "Type the romaji",
                "/t.png",
                "typing",
                "http://localhost:8081/t",
                "2024-01-01 09:00:00",
            ),
            (
                2,
                "Listening Quiz",
                None,
                None,
                "listening",
                "http://localhost:8081/l",
                "2024-01-01 09:00:00",
            ),
        ],
    )
    offsets = list(range(streak)) + [
        rng.randrange(streak + 1, days) for _ in range(sessions - streak)
    ]
    starts = []
    for offset in offsets:
        day = midnight - timedelta(days=offset)
        if offset == 0:  # today, but never in the future
            start = max(midnight, now - timedelta(minutes=rng.randint(1, 30)))
        else:
            start = day + timedelta(seconds=rng.randrange(0, 86_000))
        starts.append(start)
    starts.sort()
    plan = []
    for session_id, start in enumerate(starts, start=1):
        group_id = rng.randint(1, groups)
        plan.append((session_id, group_id, start))
        source.execute(
            "INSERT INTO study_sessions VALUES (?, ?, ?, ?)",
            (
                session_id,
                group_id,
                rng.randint(1, 2),
                _prototype_time(start.replace(tzinfo=UTC), session_id % 4),
            ),
        )
    for review_id in range(1, reviews + 1):
        session_id, group_id, start = plan[(review_id - 1) % len(plan)]
        at = min(start + timedelta(seconds=review_id % 50 + 1), now)
        source.execute(
            "INSERT INTO words_review_items VALUES (?, ?, ?, ?, ?)",
            (
                review_id,
                rng.choice(members[group_id] or [1]),
                session_id,
                1 if rng.random() < 0.7 else 0,
                _prototype_time(at.replace(tzinfo=UTC), review_id % 4),
            ),
        )
    source.commit()
    source.close()


def prototype_time_as_api(text: str) -> str:
    """What the API must show for a prototype timestamp: UTC to the second, with Z."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
