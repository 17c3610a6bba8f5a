"""Starting, watching and stopping the two servers under test.

The project runs its Procfile `web:` command (what is deployed), with PORT,
WEB_CONCURRENCY=2 and DATABASE_URL set; only the bind address is narrowed to
127.0.0.1 so nothing outside this machine can reach the benchmark. The
prototype runs under gunicorn with 2 sync workers. Each server gets its own
process group, so stopping it stops its workers and nothing else.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import WORK_DIR, log, target_root
from .data import project_env

LOG_DIR = WORK_DIR / "logs"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def procfile_web_command(root: Path | None = None) -> str:
    for line in ((root or target_root()) / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            command = line[len("web:") :].strip()
            return re.sub(r"--host\s+0\.0\.0\.0", "--host 127.0.0.1", command)
    raise RuntimeError("the Procfile has no web: line")


@dataclass
class Server:
    name: str
    port: int
    proc: subprocess.Popen
    log_path: Path
    stopped: bool = False
    notes: dict = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def log_tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM to this server's own process group; SIGKILL if it lingers."""
        if self.stopped:
            return
        self.stopped = True
        if self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.proc.wait(timeout=25)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


def _start(name: str, cmd: list[str], env: dict[str, str], cwd: Path, port: int) -> Server:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"{name}.log"
    handle = log_path.open("w")
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    handle.close()
    log(f"started {name} (pid {proc.pid}) on 127.0.0.1:{port}")
    return Server(name, port, proc, log_path)


def start_project(
    database_url: str,
    workers: int = 2,
    factory: str | None = None,
    extra_env: dict[str, str] | None = None,
    root: Path | None = None,
    name: str = "project",
) -> Server:
    root = root or target_root()
    port = free_port()
    env = project_env(database_url)
    env.update({"PORT": str(port), "WEB_CONCURRENCY": str(workers), **(extra_env or {})})
    command = procfile_web_command(root)
    if factory:  # an experiment: the same command serving a patched app factory
        command = command.replace("webapp:create_app", factory)
    server = _start(name, ["bash", "-c", f"exec {command}"], env, root, port)
    server.notes["command"] = command
    return server


def start_prototype(seedapp: Path, workers: int = 2) -> Server:
    port = free_port()
    env = dict(os.environ)
    cmd = [
        str(seedapp / ".venv" / "bin" / "gunicorn"),
        "-w",
        str(workers),
        "-k",
        "sync",
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
        "--chdir",
        str(seedapp),
        "app:app",
    ]
    server = _start("prototype", cmd, env, seedapp, port)
    server.notes["command"] = " ".join(cmd[1:])
    return server


def wait_healthy(server: Server, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with {server.proc.returncode}:\n{server.log_tail()}"
            )
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            conn.request("GET", "/health")
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                log(f"{server.name} is healthy")
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{server.name} did not answer /health in {timeout}s:\n{server.log_tail()}")


def _proc_stats() -> Iterator[tuple[int, list[str]]]:
    """(pid, the fields of /proc/PID/stat after the command name) of every live process."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # the command name may hold spaces or parentheses: fields follow the last ')'
        yield int(entry), stat[stat.rfind(")") + 2 :].split()


def _children(pid: int) -> list[int]:
    # fields[1] is the parent's pid
    return [child for child, fields in _proc_stats() if int(fields[1]) == pid]


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def worker_memory(server: Server) -> dict:
    """VmRSS of the master and of each worker (its children, minus helpers)."""
    workers = []
    for child in _children(server.pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "resource_tracker" in cmdline or "semaphore_tracker" in cmdline:
            continue
        rss = _rss_mb(child)
        if rss is not None:
            workers.append({"pid": child, "rss_mb": round(rss, 1)})
    return {
        "master_rss_mb": round(_rss_mb(server.pid) or 0.0, 1),
        "workers": workers,
        "max_worker_rss_mb": max((w["rss_mb"] for w in workers), default=None),
    }


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(server: Server) -> float:
    """User + system CPU of every live process in the server's process group."""
    # fields[2] is the process group; utime and stime are fields 14 and 15 of stat
    ticks = sum(
        int(fields[11]) + int(fields[12])
        for _, fields in _proc_stats()
        if int(fields[2]) == server.pid
    )
    return ticks / CLOCK_TICKS


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = values[:8]
    busy = user + nice + system + irq + softirq + steal
    return busy / CLOCK_TICKS, (busy + idle + iowait) / CLOCK_TICKS
