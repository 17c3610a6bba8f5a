"""A class on two app instances sharing one database: 24 learners studying at once,
each learner's requests split over both instances, every answer counted once and
only for its own learner."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .server import Server

LEARNERS = 24
REVIEWS_EACH = 12
GROUP = 1


# learner name -> (their token, the answers they gave, in order)
Results = dict[str, tuple[str, list[bool]]]


def study_as_one_learner(
    instances: list[Server], n: int, results: Results, lock: threading.Lock
) -> None:
    """Create a profile on one instance, then alternate instances request by request."""
    chooser = random.Random(n)
    clients = [server.client() for server in instances]
    try:
        name = f"Learner {n:02d}"
        reply = clients[n % 2].post("/api/learners", {"name": name})
        assert reply.status == 201, (reply.status, reply.body[:300])
        auth = {"X-Learner-Token": reply.json()["token"]}
        reply = clients[(n + 1) % 2].post(
            "/api/study_sessions", {"group_id": GROUP, "study_activity_id": 1}, headers=auth
        )
        assert reply.status == 201, (reply.status, reply.body[:300])
        session = reply.json()["id"]
        words = clients[n % 2].get(f"/api/groups/{GROUP}/words", headers=auth).json()["items"]
        given = []
        for k in range(REVIEWS_EACH):
            word, correct = chooser.choice(words[:8])["id"], chooser.random() < 0.6
            reply = clients[k % 2].post(
                f"/api/study_sessions/{session}/words/{word}/review",
                {"correct": correct},
                headers=auth,
            )
            assert reply.status == 201, (reply.status, reply.body[:300])
            given.append(correct)
        with lock:
            results[name] = (auth["X-Learner-Token"], given)
    finally:
        for client in clients:
            client.close()


def own_figures(server: Server, token: str) -> dict[str, Any]:
    client = server.client()
    try:
        auth = {"X-Learner-Token": token}
        sessions = client.get("/api/study_sessions", headers=auth).json()
        words = client.get(f"/api/groups/{GROUP}/words", headers=auth).json()["items"]
        return {
            "sessions": sessions["pagination"]["total_items"],
            "reviews": sum(s["review_items_count"] for s in sessions["items"]),
            "correct": sum(w["correct_count"] for w in words),
            "wrong": sum(w["wrong_count"] for w in words),
        }
    finally:
        client.close()


def test_two_instances_serve_one_class_and_count_every_answer_once(
    database_url: str, start_server
) -> None:
    settings = {"LOCAL_MODE": "1", "DEFAULT_LEARNER": "nobody"}
    instances = [start_server(database_url, workers=1, env=settings) for _ in range(2)]
    results: Results = {}
    lock = threading.Lock()
    with ThreadPoolExecutor(LEARNERS) as pool:
        futures = [
            pool.submit(study_as_one_learner, instances, n, results, lock) for n in range(LEARNERS)
        ]
        for future in futures:
            future.result()

    names = sorted(results)
    assert len(names) == LEARNERS
    for index, name in enumerate(names):
        token, given = results[name]
        figures = own_figures(instances[index % 2], token)
        assert figures == {
            "sessions": 1,
            "reviews": REVIEWS_EACH,
            "correct": sum(given),
            "wrong": len(given) - sum(given),
        }, name

    admin = instances[1].client()
    try:
        view = admin.get(f"/api/groups/{GROUP}/class?sort=name").json()
    finally:
        admin.close()
    rows = {row["name"]: row for row in view["items"]}
    assert sorted(rows) == names
    for name in names:
        _, given = results[name]
        assert (rows[name]["correct_count"], rows[name]["wrong_count"]) == (
            sum(given),
            len(given) - sum(given),
        )
    assert view["totals"]["learners"] == LEARNERS
    assert view["totals"]["sessions_count"] == LEARNERS
    total = view["totals"]["correct_count"] + view["totals"]["wrong_count"]
    assert total == LEARNERS * REVIEWS_EACH
