"""Measure how an ASGI server treats huge and slow clients, on 127.0.0.1 only.

    .venv/bin/python scripts/measure_server_limits.py [server ...]

Servers: uvicorn-httptools, uvicorn-h11, uvicorn-bounded-httptools (the Procfile's),
hypercorn, granian (when importable).
For each: the status for one request with a 64 KB / 1 MB / 20 MB header, the
memory the workers grow by while 20 clients each hold an unfinished 20 MB
header, and how long the server keeps a connection whose header never ends
(capped at 30 s).  Bounded: one worker, a handful of connections, under a
minute per server.  Results are written down in docs/hosting-limits.md.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMMON = ["--factory"]


def commands(port: int) -> dict[str, list[str]]:
    uvicorn = [
        str(BIN / "uvicorn"),
        "--factory",
        "webapp:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
    ]
    return {
        "uvicorn-httptools": [*uvicorn, "--http", "httptools"],
        "uvicorn-h11": [*uvicorn, "--http", "h11", "--h11-max-incomplete-event-size", "16384"],
        "uvicorn-bounded-httptools": [
            *uvicorn,
            "--http",
            "webapp.http_protocol:BoundedHttpToolsProtocol",
        ],
        "hypercorn": [
            str(BIN / "hypercorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--read-timeout",
            "10",
            "webapp:create_app()",
        ],
        "granian": [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "asgi",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--http1-header-read-timeout",
            "10000",
            "webapp:create_app",
        ],
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_kb(pid: int) -> int:
    total = 0
    pids = [pid]
    with contextlib.suppress(OSError):
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def status_with_header(port: int, size: int) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=15) as s:
        try:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: ")
            chunk = b"a" * 65536
            sent = 0
            while sent < size:
                s.sendall(chunk[: size - sent])
                sent += min(len(chunk), size - sent)
            s.sendall(b"\r\n\r\n")
            reply = s.recv(200)
        except OSError as error:
            return f"closed ({type(error).__name__})"
        return reply.split(b"\r\n", 1)[0].decode(errors="replace") or "closed"


def unfinished_headers(port: int, pid: int, clients: int = 20, size: int = 20 << 20) -> str:
    before = rss_kb(pid)
    sockets = []
    for _ in range(clients):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        sockets.append(s)
        try:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: ")
            chunk = b"a" * 65536
            for _ in range(size // len(chunk)):
                s.sendall(chunk)
        except OSError:
            pass
    time.sleep(1)
    grown = (rss_kb(pid) - before) // 1024
    for s in sockets:
        s.close()
    return f"+{grown} MB"


def idle_header_kept(port: int, cap: float = 30) -> str:
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: loc")
        s.settimeout(cap)
        started = time.monotonic()
        try:
            s.recv(100)
        except TimeoutError:
            return f"still open after {cap:.0f} s"
        except OSError:
            pass
        return f"closed after {time.monotonic() - started:.1f} s"


def measure(name: str, database_url: str) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "x" * 40,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }
    process = subprocess.Popen(
        commands(port)[name],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        sizes = {"64 KB": 64 << 10, "1 MB": 1 << 20, "20 MB": 20 << 20}
        statuses = {label: status_with_header(port, size) for label, size in sizes.items()}
        print(
            f"{name}: headers {statuses}; 20 unfinished 20 MB headers "
            f"{unfinished_headers(port, process.pid)}; unfinished header "
            f"{idle_header_kept(port)}",
            flush=True,
        )
    finally:
        process.terminate()
        process.wait(timeout=20)


def main() -> None:
    wanted = sys.argv[1:] or [
        "uvicorn-httptools",
        "uvicorn-h11",
        "uvicorn-bounded-httptools",
        "hypercorn",
        "granian",
    ]
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/measure.db"
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "x" * 40}
        subprocess.run(
            [sys.executable, "-m", "webapp", "migrate"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        for name in wanted:
            measure(name, url)


if __name__ == "__main__":
    main()
