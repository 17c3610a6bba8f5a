"""A real server process for the safety tests: the Procfile's web command on 127.0.0.1.

Only the standard library talks to it (http.client), one connection per
client thread, the way separate browsers or scripts would.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.helpers import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The interpreter running the tests and its uvicorn (the project's virtualenv).
VENV_BIN = Path(sys.executable).parent


def procfile_web_command(port: int, workers: int) -> list[str]:
    """The Procfile's `web:` line with its variables filled in, bound to loopback."""
    for line in (PROJECT_ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            command = line[len("web:") :].strip()
            break
    else:
        raise AssertionError("the Procfile has no web: line")
    command = command.replace("${PORT:-8000}", str(port)).replace("$PORT", str(port))
    command = command.replace("${WEB_CONCURRENCY:-2}", str(workers))
    argv = shlex.split(command)
    if "--host" in argv:
        argv[argv.index("--host") + 1] = "127.0.0.1"
    return argv


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Client:
    """One keep-alive connection to the server (reconnects after a failure)."""

    def __init__(self, port: int, timeout: float = 60) -> None:
        self.port = port
        self.timeout = timeout
        self._conn: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        data: bytes | None = None,
    ) -> Reply:
        """`body` is sent as JSON; `data` as it is (a form, say)."""
        if self._conn is None:
            self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        sent_headers = dict(headers or {})
        payload = data
        if body is not None:
            payload = json.dumps(body).encode()
            sent_headers.setdefault("Content-Type", "application/json")
        try:
            self._conn.request(method, path, body=payload, headers=sent_headers)
            response = self._conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Reply:
        return self.request("POST", path, body=body, headers=headers)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


@dataclass
class Server:
    """`uvicorn` as the Procfile runs it (or `command(port)`), in its own process group."""

    database_url: str
    log_path: Path
    workers: int = 2
    env: dict[str, str] = field(default_factory=dict)
    command: Callable[[int], list[str]] | None = None
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    def start(self, wait: float = 60) -> Server:
        self.port = free_port()
        # Hosted as the Procfile runs it: no admin or proxy settings unless a test gives them.
        inherited = {
            k: v
            for k, v in os.environ.items()
            if k not in ("ADMIN_TOKEN", "LOCAL_MODE", "TRUST_PROXY", "PUBLIC_URL")
        }
        env = {
            **inherited,
            "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": "test-secret-key",
            **self.env,
        }
        log = self.log_path.open("ab")
        argv = (self.command or (lambda port: procfile_web_command(port, self.workers)))(self.port)
        self.process = subprocess.Popen(
            argv,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.wait_healthy(wait)
        return self

    def wait_healthy(self, wait: float) -> None:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"server exited early:\n{self.output()}")
            client = Client(self.port, timeout=5)
            try:
                if client.get("/health").status == 200:
                    return
            except OSError:
                pass
            finally:
                client.close()
            time.sleep(0.2)
        raise AssertionError(f"server not healthy after {wait}s:\n{self.output()}")

    def client(self, port: int | None = None) -> Client:
        """A client of the server (or of a proxy in front of it, on `port`)."""
        return Client(port or self.port)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(child) for child in children]

    def kill_hard(self) -> None:
        """SIGKILL the workers and the supervisor at once: no shutdown code runs anywhere.

        One signal to the whole process group (the server runs in a session of its
        own), not one per pid read from /proc: killed one at a time, the supervisor
        (which restarts dead workers) could still act between the signals, and a
        process started after the list was read escaped the kill.
        """
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self, timeout: float = 60) -> int:
        """SIGTERM, as a platform does on deploy; returns the exit status."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill_hard()
            raise AssertionError(f"server did not stop on SIGTERM:\n{self.output()}") from None
