"""Many clients at once against the real server (Procfile command, 2 workers): nothing lost.

Every session launch and review is posted concurrently by many client
threads, each with its own connection, all aiming at the same few sessions
and words so that writers collide on the same rows.  Afterwards every list,
show and dashboard figure of the API, and the raw rows, must account for
each acknowledged write exactly once.
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
from concurrent.futures import ThreadPoolExecutor

from .checks import (
    Posted,
    assert_api_agrees,
    assert_counters_equal_recount,
    assert_rows_agree,
)
from .server import Client, Server

CLIENTS = 24
SESSIONS_PER_CLIENT = 2
REVIEWS_PER_CLIENT = 30
WORDS = range(1, 21)


def launch_sessions(server: Server, posted: Posted, lock: threading.Lock, seed: int) -> None:
    client = server.client()
    try:
        for n in range(SESSIONS_PER_CLIENT):
            group = 1 + (seed + n) % 3
            reply = client.post("/api/study_sessions", {"group_id": group, "study_activity_id": 1})
            assert reply.status == 201, (reply.status, reply.body[:300])
            with lock:
                posted.sessions.add(reply.json()["id"])
    finally:
        client.close()


def post_reviews(
    server: Server, sessions: list[int], posted: Posted, lock: threading.Lock, seed: int
) -> None:
    chooser = random.Random(seed)
    client: Client = server.client()
    try:
        for n in range(REVIEWS_PER_CLIENT):
            if n == REVIEWS_PER_CLIENT // 2:  # a launch amid everyone's reviews
                reply = client.post("/api/study_sessions", {"group_id": 5, "study_activity_id": 1})
                assert reply.status == 201, (reply.status, reply.body[:300])
                with lock:
                    posted.sessions.add(reply.json()["id"])
            session, word = chooser.choice(sessions), chooser.choice(WORDS)
            correct = chooser.random() < 0.7
            reply = client.post(
                f"/api/study_sessions/{session}/words/{word}/review", {"correct": correct}
            )
            assert reply.status == 201, (reply.status, reply.body[:300])
            body = reply.json()
            assert (body["study_session_id"], body["word_id"], body["correct"]) == (
                session,
                word,
                correct,
            )
            with lock:
                assert body["id"] not in posted.reviews, "one id acknowledged twice"
                posted.reviews[body["id"]] = (session, word, correct)
                posted.times[body["id"]] = body["created_at"]
    finally:
        client.close()


def run_load(server: Server) -> Posted:
    posted, lock = Posted(), threading.Lock()
    with ThreadPoolExecutor(CLIENTS) as pool:
        for future in [
            pool.submit(launch_sessions, server, posted, lock, n) for n in range(CLIENTS)
        ]:
            future.result()
    sessions = sorted(posted.sessions)
    with ThreadPoolExecutor(CLIENTS) as pool:
        jobs = [
            pool.submit(post_reviews, server, sessions, posted, lock, n) for n in range(CLIENTS)
        ]
        for future in jobs:
            future.result()
    return posted


async def test_concurrent_launches_and_reviews_are_all_recorded_once(
    backend, database_url, conn, start_server
):
    server = await asyncio.to_thread(start_server, database_url, workers=2)
    assert len(await asyncio.to_thread(server.worker_pids)) >= 2

    posted = await asyncio.to_thread(run_load, server)

    assert len(posted.sessions) == CLIENTS * (SESSIONS_PER_CLIENT + 1)
    assert len(posted.reviews) == CLIENTS * REVIEWS_PER_CLIENT
    print(f"{backend}: {len(posted.reviews)} reviews, {len(posted.sessions)} sessions posted")
    reader = server.client()
    try:
        await asyncio.to_thread(assert_api_agrees, reader, posted)
    finally:
        reader.close()
    await assert_rows_agree(conn, posted)
    assert await asyncio.to_thread(server.stop) == 0
    await assert_counters_equal_recount(conn)

    # One structured log line per request, each with its own id.
    logged = [json.loads(line) for line in server.output().splitlines() if '"event"' in line]
    reviews = [line for line in logged if line["path"].endswith("/review")]
    assert len(reviews) == len(posted.reviews)
    assert {line["status"] for line in reviews} == {201}
    assert len({line["request_id"] for line in logged}) == len(logged)
