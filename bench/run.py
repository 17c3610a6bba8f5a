#!/usr/bin/env python3
"""Benchmark the project against the prototype (`make bench`, `make bench-quick`).

For each scale: generate the dataset with the reference generator, import it
into the project with `python -m webapp import-seed-db`, serve the project
(its Procfile web command, 2 workers) and the prototype (gunicorn, 2 sync
workers) on copies of the same data, then:

  * every API endpoint of the prototype, on both servers, alternating which
    goes first endpoint by endpoint: wrk throughput and latency, and the
    median of sequential single requests over one keep-alive connection;
  * every page and fragment of the project (n/a while a URL is not served);
  * the review write path: wrk POSTs from 16 connections, first into one session
    of one learner (its worst case), then as a class of 16 learners with a session
    each (the target's row), each followed by a check that every acknowledged
    review is stored and counted;
  * the study loop of a class: 100 learners answering a card a second each
    (bench/study_loop.py, its own process), every request timed, then the same check;
  * the same reads and writes on PostgreSQL (the project alone, 1x unless
    --pg-scales says otherwise), then two one-worker instances on one
    PostgreSQL database against one instance (scale-out);
  * worker memory after the run, and the weight of a first visit to every page.

Prints one table, the portal's targets with this build's figure, the baseline's
and whether each holds (benchkit/targets.py), and writes it with every
measurement as JSON + markdown under bench/results/ (git-ignored).

    python bench/run.py --quick              # 1x, short runs (< 8 min)
    python bench/run.py                      # 1x and 5x (< 35 min)
    python bench/run.py --quick --versus main   # against a previous build (a git rev)
    python bench/run.py --postgres           # PostgreSQL only
    python bench/run.py --only 'words|group' --scales 5 --duration 5
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchkit import PG_BENCH_DB, PROJECT_ROOT, RESULTS_DIR, TARGET, WORK_DIR, log, target_root
from benchkit import data as datasets
from benchkit.endpoints import API, NEEDS_LAUNCH, PAGES, Endpoint, placeholder_ids
from benchkit.load import (
    BROWSER_ENCODINGS,
    fetch,
    fetch_json,
    page_weight,
    returning_browser_cookie,
    run_wrk,
    single_latency,
)
from benchkit.report import markdown_report, write_summary
from benchkit.servers import (
    Server,
    group_cpu_seconds,
    machine_cpu,
    start_project,
    start_prototype,
    wait_healthy,
    worker_memory,
)
from benchkit.study import CLASS_SIZE, LEARNERS, enrol_class, loop_summary, measure_study_loop
from benchkit.targets import check_targets, targets_text

# learners answering reviews: [{"id", "token" (None: the default learner), "session_id"}]
Crowd = list[dict[str, Any]]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true", help="1x only, short runs")
    p.add_argument("--scales", help="comma-separated dataset scales (default 1,5; quick: 1)")
    p.add_argument("--duration", type=float, help="seconds per wrk run (default 10; quick: 4)")
    p.add_argument(
        "--rounds", type=int, help="wrk runs per server and API endpoint, A B B A … (default 2)"
    )
    p.add_argument("--connections", type=int, default=8, help="wrk connections for reads")
    p.add_argument("--threads", type=int, default=1, help="wrk threads for reads")
    p.add_argument("--write-connections", type=int, default=16)
    p.add_argument(
        "--postgres",
        action="store_true",
        help="PostgreSQL only (database lp_bench), no SQLite part",
    )
    p.add_argument("--no-postgres", action="store_true", help="SQLite only")
    p.add_argument(
        "--pg-database",
        default=PG_BENCH_DB,
        help="the database each PostgreSQL part is cloned into and dropped again (default\n"
        "%(default)s; the baseline's gets _peer after it): another name lets two runs\n"
        "share the PostgreSQL server without dropping each other's copy",
    )
    p.add_argument("--pg-scales", help="dataset scales of the PostgreSQL part (default 1)")
    p.add_argument("--no-scale-out", action="store_true", help="skip the two-instance part")
    p.add_argument("--no-prototype", action="store_true", help="measure the project alone")
    p.add_argument(
        "--only",
        help="regular expression on endpoint keys (a partial run); the writes are 'reviews',\n"
        "the study loop 'study_loop', the two instances 'scale_out' (PostgreSQL part)",
    )
    p.add_argument("--skip-writes", action="store_true")
    p.add_argument(
        "--project",
        type=Path,
        help="serve another checkout of the project (e.g. an older commit) with this venv",
    )
    p.add_argument("--label", help="name for the result files (default: quick, full, postgres-…)")
    p.add_argument(
        "--factory", help="serve this app factory instead of webapp:create_app (experiments)"
    )
    p.add_argument(
        "--env", action="append", default=[], help="KEY=VALUE for the project server (repeat)"
    )
    p.add_argument(
        "--versus",
        type=Path,
        help="compare with another build of the project instead of the prototype: a git\n"
        "revision (exported to bench/work/), a checkout directory, or '.' for this one",
    )
    p.add_argument(
        "--pg-set",
        action="append",
        default=[],
        help="NAME=VALUE set on the benchmark database (ALTER DATABASE; experiments)",
    )
    p.add_argument("--fresh", action="store_true", help="regenerate datasets and re-import")
    args = p.parse_args(argv)
    args.scales = [int(s) for s in (args.scales or ("1" if args.quick else "1,5")).split(",")]
    args.duration = args.duration or (3.0 if args.quick else 5.0)
    args.rounds = args.rounds or (2 if args.quick else 3)
    args.page_rounds = 1 if args.quick else 2
    args.single_max = 60 if args.quick else 200
    args.single_seconds = 0.7 if args.quick else 2.5
    args.extra_env = dict(item.split("=", 1) for item in args.env)
    args.pg_settings = dict(item.split("=", 1) for item in args.pg_set)
    args.prototype = not (args.no_prototype or args.postgres or args.versus)
    pg_scales = [int(s) for s in (args.pg_scales or "1").split(",")]
    args.parts = [] if args.postgres else [("sqlite", scale) for scale in args.scales]
    if args.postgres:
        args.parts = [("postgresql", scale) for scale in args.scales]
    elif not args.no_postgres:
        args.parts += [("postgresql", scale) for scale in pg_scales]
    return args


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rows: list[dict[str, Any]] = []
        self.memory: list[dict[str, Any]] = []
        self.weight: dict[str, Any] | None = None
        self.servers: list[Server] = []
        self.meta: dict[str, Any] = {}
        self.db = "sqlite"  # the database of the part being measured
        self.weights: list[dict[str, Any]] = []
        self.notes: list[dict[str, Any]] = []
        self.scale_out: dict[str, Any] = {}
        self.study_loops: list[dict[str, Any]] = []
        # per database: the class of learners the review writes answer as
        self.classes: dict[str, Crowd] = {}
        # per server: the Cookie header a returning browser sends with every page
        self.cookies: dict[str, str] = {}

    # -- measuring -------------------------------------------------------------------

    def selected(self, endpoints: tuple[Endpoint, ...]) -> list[Endpoint]:
        if not self.args.only:
            return list(endpoints)
        return [e for e in endpoints if re.search(self.args.only, e.key)]

    def headers_for(self, ep: Endpoint, server: Server) -> dict[str, str]:
        headers = dict(ep.headers)
        if ep.kind != "api":
            # pages are fetched as a returning browser would: compressed, with its cookie
            headers.update(BROWSER_ENCODINGS)
            if self.cookies.get(server.name):
                headers["Cookie"] = self.cookies[server.name]
        return headers

    def keep_cookie(self, server: Server) -> None:
        """The cookie of a first visit to the dashboard, sent with every later page."""
        try:
            self.cookies[server.name] = returning_browser_cookie(server.port)
        except Exception as error:  # pages are then measured as first visits, and noted
            log(f"note: no cookie from {server.name}'s dashboard ({error}); pages go without")
            self.cookies[server.name] = ""
        names = sorted({part.split("=", 1)[0] for part in self.cookies[server.name].split("; ")})
        self.meta.setdefault("page_cookies", {})[server.name] = [n for n in names if n]

    def prepare(self, server: Server, ep: Endpoint, path: str) -> dict[str, Any]:
        """Probe the URL, then the sequential single-request latency (it also warms up)."""
        headers = self.headers_for(ep, server)
        probe = fetch(server.port, path, headers=headers)
        first_status = probe.status
        for _ in range(2):  # a URL that answers 200 on a second try is measured, and noted
            if probe.status == 200:
                break
            time.sleep(0.1)
            probe = fetch(server.port, path, headers=headers)
        if probe.status != 200:
            return {"missing": True, "status": probe.status}
        if first_status != 200:
            log(f"note: {server.name} answered {first_status} to the first GET {path}, then 200")
        # a page that still sets a cookie for a returning browser costs a signing each time
        sets_cookie = "set-cookie" in probe.headers
        if sets_cookie and "Cookie" in headers:
            log(f"note: {server.name} sent a Set-Cookie to GET {path} despite the cookie")
        return {
            "status": 200,
            "first_probe_status": first_status,
            "set_cookie": sets_cookie,
            **single_latency(
                server.port,
                path,
                headers=headers,
                max_requests=self.args.single_max,
                max_seconds=self.args.single_seconds,
            ),
        }

    def load_round(self, server: Server, ep: Endpoint, path: str) -> dict[str, Any]:
        """One wrk run, with the server's CPU time per request and the CPU share that
        other processes on this shared machine took meanwhile (the noise)."""
        cpu0, (busy0, total0) = group_cpu_seconds(server), machine_cpu()
        children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = run_wrk(
            server.url(path),
            duration=self.args.duration,
            connections=self.args.connections,
            threads=self.args.threads,
            headers=self.headers_for(ep, server),
        )
        children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu1, (busy1, total1) = group_cpu_seconds(server), machine_cpu()
        wrk_cpu = (children1.ru_utime + children1.ru_stime) - (
            children0.ru_utime + children0.ru_stime
        )
        server_cpu = cpu1 - cpu0
        others = max(0.0, (busy1 - busy0) - server_cpu - wrk_cpu)
        result["server_cpu_s"] = round(server_cpu, 3)
        result["other_cpu_pct"] = round(100 * others / max(total1 - total0, 1e-9), 1)
        return result

    @staticmethod
    def combine(prepared: dict[str, Any], rounds: list[dict[str, Any]]) -> dict[str, Any]:
        """The best round (noise only ever slows a run down), plus CPU per request overall."""
        best = max(rounds, key=lambda r: r.get("rps") or 0)
        requests = sum(r.get("requests") or 0 for r in rounds)
        cpu = sum(r["server_cpu_s"] for r in rounds)
        return {
            **prepared,
            **best,
            "rps_rounds": [r.get("rps") for r in rounds],
            "other_cpu_pct_rounds": [r["other_cpu_pct"] for r in rounds],
            "non2xx": sum(r.get("non2xx") or 0 for r in rounds),
            "socket_errors": sum(r.get("socket_errors") or 0 for r in rounds),
            "cpu_ms_per_req": round(1000 * cpu / requests, 3) if requests else None,
        }

    def measure_endpoints(
        self,
        endpoints: list[Endpoint],
        scale: int,
        ids: dict[str, int],
        project: Server,
        prototype: Server | None,
    ) -> None:
        for n, ep in enumerate(endpoints):
            path = ep.resolve(ids)
            row: dict[str, Any] = {
                "scale": scale,
                "db": self.db,
                "key": ep.key,
                "label": ep.label,
                "kind": ep.kind,
                "class": ep.weight,
                "path": path,
            }
            order = [("project", project)]
            rounds = self.args.page_rounds
            if prototype is not None and (ep.compared or self.args.versus):
                pair = [("project", project), ("prototype", prototype)]
                order = pair if n % 2 == 0 else pair[::-1]
                rounds = self.args.rounds
            prepared: dict[str, dict[str, Any]] = {}
            for name, server in order:
                try:
                    prepared[name] = self.prepare(server, ep, path)
                except Exception as error:  # one endpoint failing must not end the run
                    prepared[name] = {"error": f"{type(error).__name__}: {error}"}
            done: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in order}
            for r in range(rounds):
                # A B, B A, A B …: whichever noise comes, both servers meet it alike.
                for name, server in order if r % 2 == 0 else order[::-1]:
                    if "single_ms" not in prepared[name]:
                        continue
                    try:
                        done[name].append(self.load_round(server, ep, path))
                    except Exception as error:
                        prepared[name] = {"error": f"{type(error).__name__}: {error}"}
            for name, server in order:
                if "single_ms" in prepared[name] and done[name]:
                    # a second sequential batch after the load: the lower median of the two
                    # is the figure, so one noisy moment does not decide it
                    again = single_latency(
                        server.port,
                        path,
                        headers=self.headers_for(ep, server),
                        max_requests=self.args.single_max,
                        max_seconds=self.args.single_seconds,
                        warmup=1,
                    )
                    batches = [prepared[name]["single_ms"], again["single_ms"]]
                    prepared[name]["single_batches_ms"] = batches
                    prepared[name]["single_ms"] = min(batches)
                    prepared[name]["single_n"] += again["single_n"]
                row[name] = (
                    self.combine(prepared[name], done[name]) if done[name] else prepared[name]
                )
            project_rps = (row.get("project") or {}).get("rps")
            proto_rps = (row.get("prototype") or {}).get("rps")
            if project_rps and proto_rps:
                row["ratio"] = round(project_rps / proto_rps, 2)
            project_cpu = (row.get("project") or {}).get("cpu_ms_per_req")
            proto_cpu = (row.get("prototype") or {}).get("cpu_ms_per_req")
            if project_cpu and proto_cpu:
                row["cpu_ratio"] = round(proto_cpu / project_cpu, 2)
            self.rows.append(row)
            log(self.describe(row))

    @staticmethod
    def describe(row: dict[str, Any]) -> str:
        p = row.get("project") or {}
        if p.get("missing"):
            return f"{row['scale']}x {row['label']}: n/a ({p['status']})"
        if p.get("error"):
            return f"{row['scale']}x {row['label']}: error {p['error']}"
        text = (
            f"{row['scale']}x {row['label']}: {p.get('rps', 0):,.0f} req/s, "
            f"p50 {p.get('p50_ms')} ms, single {p.get('single_ms')} ms"
        )
        if row.get("prototype"):
            q = row["prototype"]
            text += (
                f" | prototype {q.get('rps') or 0:,.1f} req/s, single {q.get('single_ms')} ms"
                f" | {row.get('ratio') or 0:.1f}x"
            )
        return text

    # -- set-up around the measurements ----------------------------------------------

    def launch_session(self, project: Server, group: int, activity_type: str) -> int | None:
        try:
            listing = fetch_json(project.port, "/api/study_activities")
        except Exception as error:
            log(f"cannot list study activities: {error}")
            return None
        items = listing.get("items", listing) if isinstance(listing, dict) else listing
        chosen = [a for a in items if a.get("activity_type") == activity_type] or items
        if not chosen:
            return None
        body = {"group_id": group, "study_activity_id": chosen[0]["id"]}
        for path in ("/api/study_sessions", "/api/study_activities"):
            got = fetch(project.port, path, method="POST", body=body)
            if got.status == 201:
                return int(json.loads(got.body)["id"])
        log(f"could not launch a study session: {got.status} {got.body[:200]!r}")
        return None

    def group_word_ids(self, project: Server, group: int, limit: int = 300) -> list[int]:
        ids: list[int] = []
        page = 1
        while len(ids) < limit:
            listing = fetch_json(project.port, f"/api/groups/{group}/words?page={page}")
            items = listing.get("items", [])
            if not items:
                break
            ids += [w["id"] for w in items]
            page += 1
        return ids[:limit]

    def counters(self, database_url: str, crowd: Crowd) -> dict[str, int | None]:
        """Stored rows and every counter a review moves, over the sessions and learners of
        `crowd`, read straight from the database."""
        sessions = ",".join(str(int(m["session_id"])) for m in crowd)
        learners = ",".join(str(int(m["id"])) for m in crowd)
        queries = {
            "rows": "SELECT COUNT(*) FROM words_review_items "
            f"WHERE study_session_id IN ({sessions})",
            "session_counter": "SELECT COALESCE(SUM(correct_count + wrong_count), 0) "
            f"FROM study_sessions WHERE id IN ({sessions})",
            "word_counters": "SELECT SUM(correct_count + wrong_count) FROM words",
            # with the study engine a word's counts are per learner
            "learner_word_counters": "SELECT COALESCE(SUM(correct_count + wrong_count), 0) "
            f"FROM learner_words WHERE learner_id IN ({learners})",
            # a new learner has no totals row before its first answer: 0, not unknown
            "learner_counter": "SELECT COALESCE(SUM(correct_count + wrong_count), 0) "
            f"FROM learner_stats WHERE learner_id IN ({learners})",
        }
        return datasets.scalars(database_url, queries)

    @staticmethod
    def api_review_count(server: Server, crowd: Crowd) -> int | None:
        """The sessions' `review_items_count` as the API shows them to their learners."""
        total = 0
        for member in crowd:
            token = member.get("token")
            shown = fetch_json(
                server.port,
                f"/api/study_sessions/{member['session_id']}",
                headers={"X-Learner-Token": token} if token else None,
            )
            if shown.get("review_items_count") is None:
                return None
            total += int(shown["review_items_count"])
        return total

    def counts(self, server: Server, database_url: str, crowd: Crowd) -> dict[str, int | None]:
        return {
            **self.counters(database_url, crowd),
            "api_review_items_count": self.api_review_count(server, crowd),
        }

    @staticmethod
    def check_counts(
        before: dict[str, int | None],
        after: dict[str, int | None],
        created: int,
        unacknowledged: int,
    ) -> dict[str, Any]:
        """Every acknowledged review stored, every counter moved by as many as the rows, and
        at most `unacknowledged` more (requests in flight when wrk stopped, or timed out:
        those may be stored without their 201 being read)."""
        deltas = {
            k: (after[k] - before[k])  # type: ignore[operator]
            if after[k] is not None and before[k] is not None
            else None
            for k in after
        }
        measured = {k: v for k, v in deltas.items() if v is not None}
        stored = measured.get("rows")
        consistent = len(set(measured.values())) == 1
        ok = stored is not None and consistent and created <= stored <= created + unacknowledged
        extra = (stored or 0) - created
        return {
            "ok": ok,
            "deltas": deltas,
            "in_flight_at_stop": extra,
            "summary": ("every acknowledged review stored, counters agree" if ok else "MISMATCH")
            + (f"; {extra} more stored while in flight at the stop" if ok and extra else "")
            + " ("
            + ", ".join(f"{k} +{v}" for k, v in deltas.items())
            + ")",
        }

    def class_of(self, server: Server, database_url: str, group: int) -> Crowd:
        """CLASS_SIZE learners with a flashcards session each on `group`, made once per
        database through the API (profiles are limited to 120 per address per 10 minutes,
        and the study loop takes 100 of them): the scale-out part answers as the same
        class, in the same sessions."""
        if database_url not in self.classes:
            self.classes[database_url] = enrol_class(server, learners=CLASS_SIZE, group=group)
        return self.classes[database_url]

    @staticmethod
    def review_args(crowd: Crowd, words: list[int]) -> list[str]:
        """bench/review.lua's arguments: one session of the default learner (no token), or
        SESSION:TOKEN pairs it takes in turn."""
        if len(crowd) == 1 and not crowd[0].get("token"):
            sessions = str(crowd[0]["session_id"])
        else:
            sessions = ",".join(f"{m['session_id']}:{m['token']}" for m in crowd)
        return [sessions, ",".join(str(w) for w in words)]

    def measure_writes(
        self, project: Server, scale: int, ids: dict[str, int], database_url: str
    ) -> None:
        """The review write path twice. First 16 clients into one session of the default
        learner: the worst case, as one learner's answers are serialised by design (its
        write lock). Then a class of 16 learners answering at once, one session each: the
        row the 800/s target is about."""
        words = self.group_word_ids(project, ids["group"])
        session_id = self.launch_session(project, ids["group"], "flashcards")
        one: Crowd | None = None
        if session_id is not None:
            one = [{"id": 1, "token": None, "session_id": session_id}]
        self.write_row(project, scale, database_url, words, one, learners=1, threads=2)
        try:
            crowd: Crowd | None = self.class_of(project, database_url, ids["group"])
        except Exception as error:  # a build without learner profiles: noted in the row
            log(f"no class of {CLASS_SIZE} learners: {error}")
            crowd = None
        # one wrk thread: its connections take the learners in turn, so a learner has about
        # one answer in flight at a time, as a learner answering one card at a time
        self.write_row(project, scale, database_url, words, crowd, learners=CLASS_SIZE, threads=1)

    def write_row(
        self,
        project: Server,
        scale: int,
        database_url: str,
        words: list[int],
        crowd: Crowd | None,
        *,
        learners: int,
        threads: int,
    ) -> None:
        row: dict[str, Any] = {
            "scale": scale,
            "db": self.db,
            "kind": "write",
            "key": "reviews_class" if learners > 1 else "reviews",
            "label": f"POST review, {learners} learners (one session each)"
            if learners > 1
            else "POST review, one learner (16 clients into one session)",
            "learners": learners,
            "server": project.name,
        }
        self.rows.append(row)
        if not crowd:
            row["error"] = (
                "no session could be launched" if learners == 1 else "no class could be set up"
            )
            return
        before = self.counts(project, database_url, crowd)
        cpu0, (busy0, total0) = group_cpu_seconds(project), machine_cpu()
        result = run_wrk(
            project.url("/"),
            duration=self.args.duration * 2,
            connections=self.args.write_connections,
            threads=threads,
            script="review.lua",
            script_args=self.review_args(crowd, words),
        )
        cpu1, (busy1, total1) = group_cpu_seconds(project), machine_cpu()
        result["server_cpu_s"] = round(cpu1 - cpu0, 3)
        result["busy_cpu_pct"] = round(100 * (busy1 - busy0) / max(total1 - total0, 1e-9), 1)
        time.sleep(0.5)
        after = self.counts(project, database_url, crowd)
        created = int(result.get("reviews_created", 0))
        row.update(result)
        row.update(
            session_ids=[m["session_id"] for m in crowd],
            learner_ids=[m["id"] for m in crowd],
            words=len(words),
            created=created,
            refused=int(result.get("reviews_refused", 0)),
            reviews_per_s=round(created / (result.get("elapsed_s") or self.args.duration), 1),
            cpu_ms_per_review=round(1000 * result["server_cpu_s"] / created, 3)
            if created
            else None,
        )
        unacknowledged = self.args.write_connections + int(result.get("timeouts") or 0)
        row["check"] = self.check_counts(before, after, created, unacknowledged)
        log(write_summary(row))

    def measure_study_loop(
        self, server: Server, scale: int, ids: dict[str, int], database_url: str
    ) -> None:
        """100 learners answering a card a second each, for twice a wrk run (10 s at least:
        about ten answers each)."""
        seconds = max(10.0, 2 * self.args.duration)
        log(f"study loop: {LEARNERS} learners on {server.name} for {seconds:g} s")
        row: dict[str, Any] = {"scale": scale, "db": self.db, "server": server.name}
        row.update(measure_study_loop(server, database_url, seconds=seconds, group=ids["group"]))
        self.study_loops.append(row)
        log(loop_summary(row))

    def measure_weights(self, project: Server, ids: dict[str, int]) -> None:
        """Bytes of a first visit to every full page (its scripts, styles and fragments)."""
        for ep in self.selected(PAGES):
            if ep.kind != "page":
                continue
            path = ep.resolve(ids)
            got = page_weight(project.port, path)
            self.weights.append({"path": path, "key": ep.key, **got})

    def add_learners(self, database_url: str) -> None:
        """100 learners holding cards in the large copy, where the schema has cards."""
        note = datasets.add_learners_with_cards(database_url)
        log(f"note: {note}")
        if not any(n["name"].startswith("100 learners") for n in self.notes):
            self.notes.append(
                {
                    "target": "3",
                    "name": "100 learners holding cards (in the 5x data)",
                    "detail": note,
                    "holds": None,
                }
            )

    def measure_scale_out(self, database_url: str) -> None:
        """Two one-worker instances on one PostgreSQL database against one of them alone,
        the same total of connections, as two PaaS dynos would share a database."""
        out: dict[str, Any] = {"workers_per_instance": 1}
        self.scale_out = out
        try:
            a = start_project(database_url, workers=1, name="instance-a")
            b = start_project(database_url, workers=1, name="instance-b")
            self.servers += [a, b]
            wait_healthy(a)
            wait_healthy(b)
            read = "/dashboard"
            # a returning browser's reads, as in the page rows (SECRET_KEY is shared,
            # so instance a's cookie is valid on b)
            headers = dict(BROWSER_ENCODINGS)
            if cookie := returning_browser_cookie(a.port):
                headers["Cookie"] = cookie
            conns = self.args.connections

            def wrk_on(server: Server, connections: int, **kw: Any) -> dict[str, Any]:
                return run_wrk(
                    server.url(kw.pop("path", read)),
                    duration=self.args.duration,
                    connections=connections,
                    threads=1,
                    **kw,
                )

            def both(job_a: Any, job_b: Any) -> list[dict[str, Any]]:
                with ThreadPoolExecutor(2) as pool:
                    return [f.result() for f in [pool.submit(job_a), pool.submit(job_b)]]

            one = wrk_on(a, conns, headers=headers)
            two = both(
                lambda: wrk_on(a, conns // 2, headers=headers),
                lambda: wrk_on(b, conns // 2, headers=headers),
            )
            out["reads"] = {
                "path": read,
                "one": one.get("rps"),
                "two": sum(r.get("rps") or 0 for r in two),
            }
            # the class of the writes part (or a new one), split in two halves, one per
            # instance, as a load balancer would spread the class's answers
            crowd = self.class_of(a, database_url, 1)
            words = self.group_word_ids(a, 1)
            before = self.counts(a, database_url, crowd)
            writers = self.args.write_connections
            half = len(crowd) // 2

            def post(server: Server, connections: int, members: Crowd) -> dict[str, Any]:
                return wrk_on(
                    server,
                    connections,
                    path="/",
                    script="review.lua",
                    script_args=self.review_args(members, words),
                )

            # how busy the whole machine was in each (on 2 cores, PostgreSQL and one
            # instance can already fill it, and then a second has nothing to add)
            busy: list[float] = []

            def busy_while(job: Any) -> Any:
                busy0, total0 = machine_cpu()
                got = job()
                busy1, total1 = machine_cpu()
                busy.append(round(100 * (busy1 - busy0) / max(total1 - total0, 1e-9), 1))
                return got

            w1 = busy_while(lambda: post(a, writers, crowd))
            w2 = busy_while(
                lambda: both(
                    lambda: post(a, writers // 2, crowd[:half]),
                    lambda: post(b, writers // 2, crowd[half:]),
                )
            )
            time.sleep(0.5)
            after = self.counts(a, database_url, crowd)
            acked = sum(int(r.get("reviews_created", 0)) for r in [w1, *w2])
            in_flight = 2 * writers + sum(int(r.get("timeouts") or 0) for r in [w1, *w2])
            check = self.check_counts(before, after, acked, in_flight)
            out["writes"] = {
                "learners": len(crowd),
                "one": int(w1.get("reviews_created", 0)) / (w1.get("elapsed_s") or 1),
                "two": sum(
                    int(r.get("reviews_created", 0)) / (r.get("elapsed_s") or 1) for r in w2
                ),
                "p99_ms": {"one": w1.get("p99_ms"), "two": [r.get("p99_ms") for r in w2]},
                "busy_cpu_pct": {"one": busy[0], "two": busy[1]},
                "acknowledged": acked,
                "counters": check["deltas"],
                "check_ok": check["ok"],
                "check": check["summary"],
            }
        except Exception as error:  # the rest of the run stands without this part
            out["error"] = f"{type(error).__name__}: {error}"
        finally:
            for server in self.servers[-2:]:
                if server.name.startswith("instance-"):
                    server.stop()
        log(f"scale-out: {out}")

    # -- one part: a database at a scale -----------------------------------------------

    def run_scale(self, db: str, scale: int, seedapp: Path | None) -> None:
        self.db = db
        postgres = db == "postgresql"
        if postgres and self.args.quick:  # the second database in a quick run: shorter runs
            self.args.duration = min(self.args.duration, 2.0)
            self.args.single_seconds = min(self.args.single_seconds, 0.6)
        fresh = self.args.fresh
        dataset = datasets.ensure_dataset(scale, fresh=fresh)
        meta = datasets.dataset_meta(dataset)
        if postgres:
            database_url = datasets.project_postgres_copy(
                dataset,
                scale,
                fresh=fresh,
                database=self.args.pg_database,
                settings=self.args.pg_settings,
            )
        else:
            database_url = f"sqlite:///{datasets.project_sqlite_copy(dataset, scale, fresh=fresh)}"
        prototype = None
        if scale >= 5:
            self.add_learners(database_url)
        project = start_project(
            database_url, factory=self.args.factory, extra_env=self.args.extra_env
        )
        self.servers.append(project)
        self.meta["project_command"] = project.notes["command"]
        peer_url = None
        if self.args.versus:
            root = self.args.versus
            if postgres:
                peer_url = datasets.project_postgres_copy(
                    dataset, scale, fresh=fresh, root=root, database=f"{self.args.pg_database}_peer"
                )
            else:
                copy = datasets.project_sqlite_copy(
                    dataset, scale, fresh=fresh, root=root, name="baseline"
                )
                peer_url = f"sqlite:///{copy}"
            prototype = start_project(peer_url, root=root, name="baseline")
            self.servers.append(prototype)
        elif seedapp is not None and not postgres:  # the prototype runs on SQLite only
            datasets.prototype_copy(dataset, scale)
            prototype = start_prototype(seedapp)
            self.servers.append(prototype)
            self.meta["prototype_command"] = prototype.notes["command"]
        wait_healthy(project)
        if prototype is not None:
            wait_healthy(prototype)
        ids = placeholder_ids(int(meta["words"]))
        if self.selected(PAGES):
            self.keep_cookie(project)
            if self.args.versus and prototype is not None:
                self.keep_cookie(prototype)
        log(
            f"{scale}x: measuring {len(self.selected(API))} API endpoints "
            f"({'both servers' if prototype else 'project only'})"
        )
        apis = [e for e in self.selected(API) if e.key not in NEEDS_LAUNCH]
        self.measure_endpoints(apis, scale, ids, project, prototype)
        reads = [e for e in self.selected(PAGES) if e.key not in NEEDS_LAUNCH]
        self.measure_endpoints(reads, scale, ids, project, prototype)
        launched = [e for e in self.selected(API) + self.selected(PAGES) if e.key in NEEDS_LAUNCH]
        if launched:
            ids["fc_session"] = self.launch_session(project, ids["group"], "flashcards") or 0
            if self.args.versus and prototype is not None:
                other = self.launch_session(prototype, ids["group"], "flashcards")
                if other != ids["fc_session"]:
                    log(f"note: the peer's flashcards session is {other}, not {ids['fc_session']}")
            self.measure_endpoints(launched, scale, ids, project, prototype)
        if not self.args.skip_writes and (
            not self.args.only or re.search(self.args.only, "reviews")
        ):
            self.measure_writes(project, scale, ids, database_url)
            if self.args.versus and prototype is not None and peer_url:
                self.measure_writes(prototype, scale, ids, peer_url)
        if not self.args.skip_writes and (
            not self.args.only or re.search(self.args.only, "study_loop")
        ):
            self.measure_study_loop(project, scale, ids, database_url)
            if self.args.versus and prototype is not None and peer_url:
                self.measure_study_loop(prototype, scale, ids, peer_url)
        if not self.weights:
            self.measure_weights(project, ids)
        for server in (project, prototype):
            if server is not None:
                self.memory.append(
                    {"scale": scale, "db": db, "server": server.name, **worker_memory(server)}
                )
        for server in (project, prototype):
            if server is not None:
                server.stop()
        if (
            postgres
            and scale == 1
            and not self.args.no_scale_out
            and (not self.args.only or re.search(self.args.only, "scale_out"))
        ):
            self.measure_scale_out(database_url)

    def stop_all(self) -> None:
        for server in self.servers:
            try:
                server.stop()
            except Exception as error:
                log(f"stopping {server.name}: {error}")


def git_state() -> tuple[str, bool]:
    def git(*cmd: str) -> str:
        return subprocess.run(
            ["git", *cmd],
            cwd=target_root(),
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout.strip()

    stamp = target_root() / ".bench-commit"  # written next to a `git archive` export
    if stamp.exists():
        return stamp.read_text().strip(), False
    commit = git("rev-parse", "--short", "HEAD")
    dirty = bool(git("status", "--porcelain", "--", "webapp", "migrations", "Procfile"))
    return commit, dirty


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def save(result: dict[str, Any], variant: str) -> list[Path]:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    markdown = markdown_report(result)
    paths = []
    for name in (f"{variant}-{stamp}", f"latest-{variant}"):
        json_path = RESULTS_DIR / f"{name}.json"
        json_path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
        md_path = RESULTS_DIR / f"{name}.md"
        md_path.write_text(markdown)
        paths += [json_path, md_path]
    return paths


def rerender(path: Path) -> int:
    """Recompute the targets of a saved result and rewrite its markdown (after harness fixes)."""
    result = json.loads(path.read_text())
    result["targets"] = check_targets(result)
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    path.with_suffix(".md").write_text(markdown_report(result))
    print(targets_text(result["targets"], result["meta"].get("peer", "prototype")))
    return 0


def export_revision(rev: str) -> Path:
    """A previous build to measure against: `git archive REV` under bench/work/."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", rev],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    target = WORK_DIR / f"rev-{commit}"
    if not (target / ".bench-commit").exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", commit], cwd=PROJECT_ROOT, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
        (target / ".bench-commit").write_text(f"{commit} ({rev})\n")
    log(f"baseline: {rev} = {commit}, exported to {target}")
    return target


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--rerender"]:
        return rerender(Path(argv[1]))
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed: sudo apt-get install -y wrk", file=sys.stderr)
        return 2
    started = time.monotonic()
    if args.project:
        TARGET["root"] = args.project.resolve()
    if args.versus:
        given = Path(args.versus)
        args.versus = given.resolve() if given.is_dir() else export_revision(str(args.versus))
    variant = ("postgres-" if args.postgres else "") + ("quick" if args.quick else "full")
    if args.only or args.scales not in ([1], [1, 5]) or args.no_prototype:
        variant += "-partial"
    variant = args.label or variant
    commit, dirty = git_state()
    run = Run(args)
    run.meta.update(
        variant=variant,
        started=time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        commit=commit,
        dirty=dirty,
        factory=args.factory,
        env=args.extra_env,
        peer="baseline" if args.versus else "prototype",
        peer_detail=f"the project served from {args.versus}" if args.versus else None,
        scales=args.scales,
        parts=[f"{db} {scale}x" for db, scale in args.parts],
        duration_s=args.duration,
        connections=args.connections,
        threads=args.threads,
        load_start=load_average(),
    )

    def interrupted(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    try:
        seedapp = datasets.ensure_seedapp() if args.prototype else None
        for db, scale in args.parts:
            run.run_scale(db, scale, seedapp)
    except KeyboardInterrupt:
        log("interrupted: stopping the servers")
        run.stop_all()
        return 130
    finally:
        run.stop_all()
    run.meta.update(load_end=load_average(), wall_s=round(time.monotonic() - started))
    result = {
        "meta": run.meta,
        "db": ", ".join(dict.fromkeys(db for db, _ in args.parts)),
        "rows": run.rows,
        "memory": run.memory,
        "weight": next((w for w in run.weights if w["path"] == "/dashboard"), None),
        "weights": [
            {k: w.get(k) for k in ("path", "key", "status", "total_bytes")} for w in run.weights
        ],
        "scale_out": run.scale_out,
        "study_loops": run.study_loops,
        "notes": run.notes,
    }
    result["targets"] = check_targets(result)
    paths = save(result, variant)
    print()
    print(targets_text(result["targets"], run.meta["peer"]))
    print()
    for path in paths:
        log(f"wrote {path.relative_to(PROJECT_ROOT)} (every measurement)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
