"""A hosted portal (the Procfile command, 2 workers) behind a proxy on the same
machine, and hostile clients: what an outside review tried, as tests."""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time

from .proxies import Forwarder
from .server import Client, Server

TOKEN = "hosted-admin-token-123"


def _history(client: Client) -> int:
    return int(client.get("/api/study_sessions").json()["pagination"]["total_items"])


def _groups(client: Client) -> int:
    return int(client.get("/api/groups").json()["pagination"]["total_items"])


def _page_form_token(client: Client) -> tuple[str, str]:
    """(CSRF token, session cookie) as a browser gets them from /settings."""
    reply = client.get("/settings")
    token = re.search(r'name="csrf_token" value="([^"]+)"', reply.body.decode())
    cookie = reply.headers["set-cookie"].split(";", 1)[0]
    assert token
    return token.group(1), cookie


def _resets_through_a_bare_proxy(server: Server) -> list[tuple[int, str]]:
    with Forwarder(server.port) as proxy:
        client = server.client(proxy.port)
        try:
            client.post("/api/study_sessions", {"group_id": 1, "study_activity_id": 1})
            answers = []
            for path in ("/api/reset_history", "/api/full_reset"):
                reply = client.post(path)
                answers.append((reply.status, reply.json()["error"]))
            token, cookie = _page_form_token(client)
            form = client.request(
                "POST",
                "/settings/full_reset",
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookie,
                    "X-CSRF-Token": token,
                },
                data=b"confirm=reset+me",
            )
            answers.append((form.status, form.body.decode()))
            assert _history(client) == 1 and _groups(client) > 0
        finally:
            client.close()
    return answers


async def test_a_hosted_portal_without_a_token_cannot_be_reset_through_a_same_host_proxy(
    database_url, start_server
):
    server = await asyncio.to_thread(start_server, database_url, workers=2)
    answers = await asyncio.to_thread(_resets_through_a_bare_proxy, server)
    for status, message in answers:
        assert status == 403
        assert "ADMIN_TOKEN" in message
    # The operator was told at start-up, as for a missing SECRET_KEY or PUBLIC_URL.
    assert "ADMIN_TOKEN is not set" in server.output()


def _guess(port: int, token: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    client = Client(port)  # a new connection each time, so both workers take guesses
    try:
        reply = client.post(
            "/api/reset_history", headers={"Authorization": f"Bearer {token}", **headers}
        )
        return reply.status, reply.headers
    finally:
        client.close()


def _guess_rounds(server: Server) -> dict[str, object]:
    right_first = _guess(server.port, TOKEN, {})[0]
    # Without TRUST_PROXY a forged X-Forwarded-For changes nothing: one client, 5 guesses.
    forged = [
        _guess(server.port, f"wrong-guess-{n:04}", {"X-Forwarded-For": f"198.51.100.{n}"})[0]
        for n in range(30)
    ]
    return {"right_first": right_first, "forged": forged}


async def test_token_guesses_are_limited_across_workers_whatever_the_forwarded_address(
    database_url, start_server
):
    server = await asyncio.to_thread(
        start_server, database_url, workers=2, env={"ADMIN_TOKEN": TOKEN}
    )
    assert len(await asyncio.to_thread(server.worker_pids)) >= 2
    rounds = await asyncio.to_thread(_guess_rounds, server)
    assert rounds["right_first"] == 200
    forged = rounds["forged"]
    assert forged.count(401) == 5 and forged.count(429) == 25, forged  # type: ignore[attr-defined]


def _many_clients_behind_a_trusted_proxy(server: Server) -> dict[str, object]:
    guesses = [
        _guess(server.port, f"wrong-guess-{n:04}", {"X-Forwarded-For": f"198.51.100.{n}"})
        for n in range(60)
    ]
    owner_status, owner_headers = _guess(server.port, TOKEN, {"X-Forwarded-For": "192.0.2.1"})
    return {
        "statuses": [status for status, _ in guesses],
        "owner": owner_status,
        "retry_after": int(owner_headers.get("retry-after", "0")),
    }


async def test_behind_a_trusted_proxy_rotating_addresses_meet_the_per_token_limit(
    database_url, start_server
):
    server = await asyncio.to_thread(
        start_server, database_url, workers=2, env={"ADMIN_TOKEN": TOKEN, "TRUST_PROXY": "1"}
    )
    result = await asyncio.to_thread(_many_clients_behind_a_trusted_proxy, server)
    statuses = result["statuses"]
    assert statuses.count(401) == 20 and statuses.count(429) == 40, statuses  # type: ignore[attr-defined]
    # The owner is slowed for the rest of one window, not locked out.
    assert result["owner"] == 429 and 1 <= result["retry_after"] <= 60  # type: ignore[operator]


def _huge_header(port: int, size: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        try:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * size)
            sock.sendall(b"\r\n\r\n")
            return sock.recv(100)
        except OSError:
            return b""  # the server closed the connection on us


async def _assert_still_serving(server: Server) -> None:
    client = server.client()
    try:
        assert (await asyncio.to_thread(client.get, "/health")).status == 200
    finally:
        client.close()


async def test_a_huge_header_is_refused_and_the_server_stays_up(database_url, start_server):
    server = await asyncio.to_thread(start_server, database_url, workers=1)
    answer = await asyncio.to_thread(_huge_header, server.port, 1 << 20)
    assert not answer.startswith(b"HTTP/1.1 200"), answer
    await _assert_still_serving(server)


def _never_ending(port: int, start: bytes) -> bytes:
    """`start`, then 4 KB at a time that never ends it: what the server says."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        try:
            sock.sendall(start)
            for _ in range(64):  # 256 KB at most; the server should stop us long before
                sock.sendall(b"a" * 4096)
                time.sleep(0.005)  # separate reads, as from a slow client
        except OSError:
            pass  # closed on us: the answer was sent first
        try:
            return sock.recv(200)
        except OSError:
            return b""


async def test_a_head_that_never_ends_is_cut_off_at_16_kb(database_url, start_server):
    """The server answers 431 and closes once an unfinished head passes 16 KB, instead
    of buffering it for as long as the client keeps sending."""
    server = await asyncio.to_thread(start_server, database_url, workers=1)
    start = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
    answer = await asyncio.to_thread(_never_ending, server.port, start)
    assert answer.startswith(b"HTTP/1.1 431"), answer
    await _assert_still_serving(server)


async def test_a_body_without_a_length_is_refused_with_411(database_url, start_server):
    """Chunked bodies are refused before they are read: their trailer fields (here
    one that never ends) would be buffered without a bound, as httptools keeps headers."""
    server = await asyncio.to_thread(start_server, database_url, workers=1)
    start = (
        b"POST /api/learners HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"2\r\n{}\r\n0\r\nX-Trailer: "
    )
    answer = await asyncio.to_thread(_never_ending, server.port, start)
    assert answer.startswith(b"HTTP/1.1 411"), answer
    await _assert_still_serving(server)


def _pipelined(port: int) -> list[bytes]:
    """Three requests sent at once on one connection, the middle one with a 12 KB
    body: the status line of each answer."""
    body = b'{"name": "' + b"a" * 12000 + b'"}'
    requests = (
        b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        b"POST /api/learners HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
        + b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(requests)
        while chunk := sock.recv(65536):
            received += chunk
    return re.findall(rb"HTTP/1\.1 \d{3}", received)


async def test_pipelined_requests_with_a_body_are_all_answered(database_url, start_server):
    """The head limit counts only a head's bytes: a body and the requests around it
    on one connection pass."""
    server = await asyncio.to_thread(start_server, database_url, workers=1)
    statuses = await asyncio.to_thread(_pipelined, server.port)
    assert len(statuses) == 3 and b"HTTP/1.1 431" not in statuses, statuses
    assert statuses[0] == statuses[2] == b"HTTP/1.1 200", statuses


class SlowClients:
    """`count` clients that each send a write's headers, then its body at 1 byte/s."""

    def __init__(self, port: int, count: int, requests: list[str]) -> None:
        self.port = port
        self.count = count
        self.requests = requests
        self.stop = threading.Event()
        self.connections = 0

    def _open(self, index: int) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            sock.sendall(self.requests[index % len(self.requests)].encode())
            self.connections += 1
            return sock
        except OSError:
            return None

    def run(self) -> None:
        sockets = [self._open(index) for index in range(self.count)]
        while not self.stop.wait(1.0):
            for index, sock in enumerate(sockets):
                try:
                    if sock is None:
                        raise OSError
                    sock.sendall(b" ")
                except OSError:  # answered (408) or closed: a new slow client takes its place
                    if sock is not None:
                        sock.close()
                    sockets[index] = self._open(index)
        for sock in sockets:
            if sock is not None:
                sock.close()


def _normal_traffic_while_slow_clients_hold_on(server: Server, seconds: float) -> list[int]:
    starter = Client(server.port)
    try:
        token, cookie = _page_form_token(starter)
    finally:
        starter.close()
    # Half on the JSON API, half on the launch page with the CSRF token in a header
    # (which lets the page skip reading its form before the route runs).
    requests = [
        "POST /api/study_sessions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n",
        "POST /study_activities/1/launch HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Cookie: {cookie}\r\nX-CSRF-Token: {token}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000\r\n\r\n",
    ]
    slow = SlowClients(server.port, 50, requests)
    trickler = threading.Thread(target=slow.run, daemon=True)
    trickler.start()
    statuses: list[int] = []
    deadline = time.monotonic() + seconds
    client = Client(server.port, timeout=30)
    try:
        while time.monotonic() < deadline:
            statuses.append(client.get("/health").status)
            statuses.append(client.get("/api/words").status)
            statuses.append(client.get("/dashboard").status)
            reply = client.post("/api/study_sessions", {"group_id": 1, "study_activity_id": 1})
            statuses.append(reply.status)
            time.sleep(0.2)
    finally:
        client.close()
        slow.stop.set()
        trickler.join(timeout=30)
    assert slow.connections >= 50
    return statuses


async def test_fifty_slow_clients_leave_normal_requests_answered(
    backend, database_url, start_server
):
    """Each slow client holds a write open, its body trickling in at 1 byte/s, for 20 s
    (on PostgreSQL this once filled both workers' connection pools)."""
    server = await asyncio.to_thread(start_server, database_url, workers=2)
    statuses = await asyncio.to_thread(_normal_traffic_while_slow_clients_hold_on, server, 20)
    assert statuses, "no normal request was made"
    assert set(statuses) <= {200, 201}, sorted(set(statuses))
    assert statuses.count(201) == len(statuses) // 4
