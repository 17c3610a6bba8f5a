#!/usr/bin/env python3
"""A class studying at once: N learners each answering flashcards on one group.

    python bench/study_loop.py --port 8000 --learners 100 --seconds 10
    python bench/study_loop.py --port 8000 --learners 16 --setup-only

Set-up (not timed): create N learners through the API (POST /api/learners, each
answer carries the learner's token), let each take up to --new-words new words a day
(PUT /api/study_settings: the default of 10 would end a learner's day after about 13
answers, and the class would fall silent within a run), find the flashcards activity,
and launch one flashcards session per learner on the group (POST /api/study_sessions
with X-Learner-Token; the default 20 cards a session). Then all N learners loop
together for --seconds, each on its own HTTP/1.1 keep-alive connection:

    GET /api/study_sessions/:id/next  →  think  →  POST …/words/:word_id/review

with a `client_id` per answer, correct 70% of the time. The think time is --think
seconds, jittered to 0.5–1.5x, so the class answers about one card a second each
(far faster than people do); each learner's first card comes at a random moment in
its first think time, so the class does not start on one clock tick. A session
whose queue is done (204) is followed by a new session, as a learner would launch
the next round; a learner whose new session is empty too stops.

The latency of every timed request is measured from writing it to reading the whole
answer, by kind: the first card of a session (it builds the session's queue), the
next cards, the answers, new sessions. It prints one JSON object on stdout (progress
on stderr): the sessions and learners it made, p50/p99/count/errors per kind and
overall, requests/s, and the reviews acknowledged (201) or left unknown (no answer
read), so the caller can check every acknowledged review against the database.

With --setup-only it stops after the set-up and prints the class instead: each
learner's id, token and session (bench/run.py answers reviews as them with wrk and
bench/review.lua, 16 learners at once).

Standard library only (asyncio streams, no HTTP client library); run it as its own
process so its CPU is not the server's. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import resource
import sys
import time
from dataclasses import dataclass, field
from typing import Any

HOST = "127.0.0.1"
REQUEST_TIMEOUT_S = 30.0
KINDS = ("first card", "next card", "review", "new session")


class HttpError(Exception):
    """The connection failed or the answer could not be read."""


@dataclass
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Connection:
    """One HTTP/1.1 keep-alive connection, reopened after a failure."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, *, token: str | None = None, body: Any = None
    ) -> Answer:
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT_S):
                return await self._exchange(method, path, token, body)
        except (OSError, EOFError, TimeoutError, ValueError, asyncio.IncompleteReadError) as error:
            self.close()  # a half-read answer leaves the stream unusable
            raise HttpError(f"{type(error).__name__}: {error}") from error

    async def _exchange(self, method: str, path: str, token: str | None, body: Any) -> Answer:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        assert self.reader is not None
        data = b"" if body is None else json.dumps(body).encode()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}", "Accept: */*"]
        if token:
            lines.append(f"X-Learner-Token: {token}")
        if body is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise EOFError("the server closed the connection")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        payload = await self._body(status, method, headers)
        if headers.get("connection", "").lower() == "close":
            self.close()
        return Answer(status, payload)

    async def _body(self, status: int, method: str, headers: dict[str, str]) -> bytes:
        assert self.reader is not None
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            return b""
        if "chunked" in headers.get("transfer-encoding", "").lower():
            chunks = []
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readline()
            while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return b"".join(chunks)
        if "content-length" in headers:
            return await self.reader.readexactly(int(headers["content-length"]))
        payload = await self.reader.read()  # no length: the answer ends with the connection
        self.close()
        return payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Tally:
    """Latencies (ms) and outcomes of one kind of request."""

    samples: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    errors: int = 0

    def add(self, ms: float, status: int | str, ok: bool) -> None:
        self.samples.append(ms)
        self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
        self.errors += not ok

    def summary(self) -> dict[str, Any]:
        return {"count": len(self.samples), "errors": self.errors, **percentiles(self.samples)}


def percentiles(samples: list[float]) -> dict[str, float | None]:
    """Nearest-rank p50, p90, p99 and the maximum."""
    ordered = sorted(samples)

    def rank(q: float) -> float | None:
        if not ordered:
            return None
        return round(ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))], 3)

    return {"p50_ms": rank(0.5), "p90_ms": rank(0.9), "p99_ms": rank(0.99), "max_ms": rank(1.0)}


@dataclass
class Learner:
    number: int
    conn: Connection
    learner_id: int = 0
    token: str = ""
    sessions: list[int] = field(default_factory=list)
    answers: int = 0
    finished: bool = False


class StudyLoop:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tallies = {kind: Tally() for kind in KINDS}
        self.acknowledged = 0  # 201: a review stored, by the server's word
        self.replayed = 0  # 200: a client_id seen before (must stay 0: every id is new)
        self.unknown = 0  # review requests whose answer was never read
        self.random = random.Random(args.seed)
        self.tag = f"{int(time.time()) % 100_000:05d}"  # names and client ids unique per run

    # -- set-up, not timed ---------------------------------------------------------

    async def setup(self, learners: list[Learner]) -> int:
        """Create every learner and launch its session; the flashcards activity id."""
        conn = learners[0].conn
        listing = (await conn.request("GET", "/api/study_activities")).json()
        items = listing.get("items", listing) if isinstance(listing, dict) else listing
        chosen = [a for a in items if a.get("activity_type") == "flashcards"]
        if not chosen:
            raise RuntimeError("this build lists no flashcards activity")
        activity = int(chosen[0]["id"])

        async def create(learner: Learner) -> None:
            name = f"Loop learner {learner.number} {self.tag}"
            got = await learner.conn.request("POST", "/api/learners", body={"name": name})
            if got.status != 201:
                raise RuntimeError(f"POST /api/learners answered {got.status}: {got.body[:200]!r}")
            created = got.json()
            learner.learner_id, learner.token = int(created["id"]), created["token"]
            allowance = {"new_words_per_day": self.args.new_words}
            got = await learner.conn.request(
                "PUT", "/api/study_settings", token=learner.token, body=allowance
            )
            if got.status != 200:
                raise RuntimeError(f"PUT /api/study_settings answered {got.status}")
            session = await self.launch(learner, activity)
            if session is None:
                raise RuntimeError(f"learner {learner.learner_id} could not launch a session")

        await asyncio.gather(*(create(learner) for learner in learners))
        return activity

    async def launch(
        self, learner: Learner, activity: int, tally: Tally | None = None
    ) -> int | None:
        body = {"group_id": self.args.group, "study_activity_id": activity}
        started = time.perf_counter()
        try:
            got = await learner.conn.request(
                "POST", "/api/study_sessions", token=learner.token, body=body
            )
        except HttpError:
            if tally is not None:
                tally.add((time.perf_counter() - started) * 1000, "error", ok=False)
            return None
        if tally is not None:
            tally.add((time.perf_counter() - started) * 1000, got.status, got.status == 201)
        if got.status != 201:
            return None
        learner.sessions.append(int(got.json()["id"]))
        return learner.sessions[-1]

    # -- the timed loop --------------------------------------------------------------

    async def timed(
        self, learner: Learner, kind: str, method: str, path: str, body: Any = None
    ) -> Answer | None:
        started = time.perf_counter()
        try:
            got = await learner.conn.request(method, path, token=learner.token, body=body)
        except HttpError:
            self.tallies[kind].add((time.perf_counter() - started) * 1000, "error", ok=False)
            if kind == "review":
                self.unknown += 1  # sent, perhaps stored, never acknowledged
            return None
        ok = got.status in ((201,) if kind == "review" else (200, 204))
        self.tallies[kind].add((time.perf_counter() - started) * 1000, got.status, ok)
        return got

    def think(self) -> float:
        return self.args.think * self.random.uniform(0.5, 1.5)

    async def study(self, learner: Learner, activity: int, deadline: float) -> None:
        await asyncio.sleep(self.random.uniform(0, self.args.think))
        first = True  # the first `next` of a session builds its queue
        while time.monotonic() < deadline:
            session = learner.sessions[-1]
            got = await self.timed(
                learner,
                "first card" if first else "next card",
                "GET",
                f"/api/study_sessions/{session}/next",
            )
            if got is None or got.status not in (200, 204):
                await asyncio.sleep(self.think())  # a failed read: wait, then try again
                continue
            if got.status == 204:  # this round is done: the next one, or stop if empty
                relaunched = not first and await self.launch(
                    learner, activity, self.tallies["new session"]
                )
                if not relaunched:
                    learner.finished = True
                    return
                first = True
                continue
            first = False
            word_id = int(got.json()["word"]["id"])
            await asyncio.sleep(self.think())
            if time.monotonic() >= deadline:
                return  # the card stays unanswered, as when a class is told to stop
            learner.answers += 1
            body = {
                "correct": self.random.random() < self.args.correct,
                "client_id": f"loop-{self.tag}-{learner.learner_id}-{learner.answers}",
            }
            path = f"/api/study_sessions/{session}/words/{word_id}/review"
            answer = await self.timed(learner, "review", "POST", path, body)
            if answer is not None and answer.status == 201:
                self.acknowledged += 1
            elif answer is not None and answer.status == 200:
                self.replayed += 1

    async def run(self) -> dict[str, Any]:
        learners = [Learner(n + 1, Connection(self.args.port)) for n in range(self.args.learners)]
        try:
            started = time.perf_counter()
            activity = await self.setup(learners)
            setup_s = time.perf_counter() - started
            log(f"{len(learners)} learners created, one session each, in {setup_s:.1f} s")
            if self.args.setup_only:
                return self.enrolled(learners, setup_s)
            cpu0 = _own_cpu()
            began = time.monotonic()
            deadline = began + self.args.seconds
            await asyncio.gather(*(self.study(lr, activity, deadline) for lr in learners))
            elapsed = time.monotonic() - began
            client_cpu = _own_cpu() - cpu0
        finally:
            for learner in learners:
                learner.conn.close()
        everything = Tally()
        for tally in self.tallies.values():
            everything.samples += tally.samples
            everything.errors += tally.errors
        return {
            "learners": len(learners),
            "group_id": self.args.group,
            "think_s": self.args.think,
            "seconds": self.args.seconds,
            "elapsed_s": round(elapsed, 3),
            "setup_s": round(setup_s, 3),
            "client_cpu_s": round(client_cpu, 3),
            "learner_ids": [lr.learner_id for lr in learners],
            "session_ids": [s for lr in learners for s in lr.sessions],
            "finished_learners": sum(lr.finished for lr in learners),
            "kinds": {kind: tally.summary() for kind, tally in self.tallies.items()},
            "statuses": {kind: tally.statuses for kind, tally in self.tallies.items()},
            "all": everything.summary(),
            "rps": round(len(everything.samples) / elapsed, 1) if elapsed else None,
            "acknowledged": self.acknowledged,
            "replayed": self.replayed,
            "unknown": self.unknown,
        }

    @staticmethod
    def enrolled(learners: list[Learner], setup_s: float) -> dict[str, Any]:
        """The class made by --setup-only: every learner's id, token and session."""
        return {
            "learners": [
                {"id": lr.learner_id, "token": lr.token, "session_id": lr.sessions[-1]}
                for lr in learners
            ],
            "setup_s": round(setup_s, 3),
        }


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] study loop: {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--port", type=int, required=True, help="the portal on 127.0.0.1:PORT")
    p.add_argument("--learners", type=int, default=100)
    p.add_argument("--seconds", type=float, default=10.0, help="how long the class studies")
    p.add_argument("--group", type=int, default=1, help="the group every session is on")
    p.add_argument("--think", type=float, default=1.0, help="seconds between answers (mean)")
    p.add_argument("--correct", type=float, default=0.7, help="share of correct answers")
    p.add_argument("--new-words", type=int, default=500, help="each learner's new words a day")
    p.add_argument("--seed", type=int, default=20261203, help="jitter and answers repeat")
    p.add_argument(
        "--setup-only",
        action="store_true",
        help="create the learners and their sessions, print them (tokens included), no loop",
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        result = asyncio.run(StudyLoop(args).run())
    except (RuntimeError, HttpError, ValueError, KeyError) as error:  # the set-up failed
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
