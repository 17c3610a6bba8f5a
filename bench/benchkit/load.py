"""Load and latency measurements: wrk runs, sequential single requests, page weight."""

from __future__ import annotations

import http.client
import json
import re
import statistics
import subprocess
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any

from . import BENCH_DIR

WRK = "wrk"
PARTIAL_HEADERS = {"HX-Request": "true", "HX-Request-Type": "partial"}
BROWSER_ENCODINGS = {"Accept-Encoding": "br, gzip"}
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"cannot read wrk time {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> dict[str, Any]:
    """Requests/sec, latency percentiles, errors and any lines the Lua script wrote."""
    result: dict[str, Any] = {"rps": None, "non2xx": 0, "socket_errors": 0}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["rps"] = float(m.group(1))
    if m := re.search(r"(\d+) requests in ([\d.]+\w+)", output):
        result["requests"] = int(m.group(1))
        result["elapsed_s"] = round(_ms(m.group(2)) / 1000, 3)
    for pct, key in (("50", "p50_ms"), ("75", "p75_ms"), ("90", "p90_ms"), ("99", "p99_ms")):
        if m := re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", output, re.MULTILINE):
            result[key] = round(_ms(m.group(1)), 3)
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result["non2xx"] = int(m.group(1))
    if m := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        result["socket_errors"] = sum(int(g) for g in m.groups())
        result["timeouts"] = int(m.group(4))
    for m in re.finditer(r"^([A-Z_]+) (-?\d+)$", output, re.MULTILINE):
        result[m.group(1).lower()] = int(m.group(2))
    return result


def run_wrk(
    url: str,
    *,
    duration: float,
    connections: int,
    threads: int = 1,
    headers: dict[str, str] | None = None,
    script: str | None = None,
    script_args: list[str] | None = None,
    timeout_s: int = 20,
) -> dict[str, Any]:
    cmd = [
        WRK,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        f"--timeout={timeout_s}s",
        "--latency",
    ]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    if script:
        cmd += ["-s", str(BENCH_DIR / script)]
    cmd.append(url)
    if script_args:
        cmd += ["--", *script_args]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, timeout=duration + timeout_s + 30, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed: {proc.stderr.strip() or proc.stdout.strip()}")
    result = parse_wrk(proc.stdout)
    result["connections"] = connections
    result["duration_s"] = duration
    return result


@dataclass
class Fetched:
    status: int
    headers: dict[str, str]
    body: bytes
    ms: float


def fetch(
    port: int,
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: Any = None,
    timeout: float = 60,
) -> Fetched:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    data = None
    sent = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    try:
        start = time.perf_counter()
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        raw = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        return Fetched(
            response.status, {k.lower(): v for k, v in response.getheaders()}, raw, elapsed
        )
    finally:
        conn.close()


def returning_browser_cookie(port: int, path: str = "/dashboard") -> str:
    """The Cookie header a browser sends after its first visit to `path`: every cookie
    that visit set (Quart's signed `session`, which holds the page's CSRF token).
    Without it every page request mints a new token and sends a new Set-Cookie, which
    a browser coming back to the portal does not cause."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=BROWSER_ENCODINGS)
        response = conn.getresponse()
        response.read()
        jar = SimpleCookie()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                jar.load(value)
    finally:
        conn.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}: no cookie to keep")
    return "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())


def fetch_json(port: int, path: str, **kwargs: Any) -> Any:
    got = fetch(port, path, **kwargs)
    if got.status >= 300:
        raise RuntimeError(f"{kwargs.get('method', 'GET')} {path} answered {got.status}")
    return json.loads(got.body)


def single_latency(
    port: int,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    max_requests: int,
    max_seconds: float,
    min_requests: int = 3,
    warmup: int = 2,
) -> dict[str, Any]:
    """Sequential requests over one keep-alive connection; the median is the figure."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    samples: list[float] = []
    statuses: dict[int, int] = {}
    size = 0
    started = time.perf_counter()
    try:
        for i in range(warmup + max_requests):
            t0 = time.perf_counter()
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - t0) * 1000
            if i < warmup:
                started = time.perf_counter()
                continue
            samples.append(elapsed)
            statuses[response.status] = statuses.get(response.status, 0) + 1
            size = len(body)
            if len(samples) >= min_requests and time.perf_counter() - started > max_seconds:
                break
    finally:
        conn.close()
    samples.sort()
    return {
        "single_ms": round(statistics.median(samples), 3),
        "single_p90_ms": round(samples[int(0.9 * (len(samples) - 1))], 3),
        "single_n": len(samples),
        "statuses": statuses,
        "bytes": size,
    }


class _AssetFinder(HTMLParser):
    """Scripts, stylesheets and icons a page makes the browser fetch at once,
    and htmx fragments it loads on its own (hx-get with a load trigger)."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "script" and a.get("src"):
            self.assets.append(("script", a["src"]))
        elif tag == "link" and a.get("href"):
            rel = a.get("rel", "").lower().split()
            if "stylesheet" in rel:
                self.assets.append(("stylesheet", a["href"]))
            elif "icon" in rel:
                self.assets.append(("icon", a["href"]))
            elif "modulepreload" in rel or "preload" in rel:
                self.assets.append(("preload", a["href"]))
        trigger = a.get("hx-trigger", "")
        get = a.get("hx-get") or a.get("data-hx-get")
        if get and re.search(r"(^|[\s,])(load|revealed|intersect)\b", trigger):
            self.assets.append(("fragment", get))


def page_weight(port: int, path: str = "/dashboard") -> dict[str, Any]:
    """Bytes a first visit transfers (bodies as sent, compressed if the server compresses)."""
    page = fetch(port, path, headers=BROWSER_ENCODINGS)
    if page.status != 200:
        return {"status": page.status}
    items = [_weight_item("document", path, page)]
    finder = _AssetFinder()
    finder.feed(_decoded(page))
    seen = set()
    for kind, url in finder.assets:
        if url in seen or url.startswith(("http://", "https://", "//", "data:")):
            continue
        seen.add(url)
        headers = dict(BROWSER_ENCODINGS)
        if kind == "fragment":
            headers.update(PARTIAL_HEADERS)
        items.append(_weight_item(kind, url, fetch(port, url, headers=headers)))
    counted = [i for i in items if i["kind"] != "icon"]
    return {
        "status": 200,
        "items": items,
        "total_bytes": sum(i["bytes"] for i in counted),
        "total_uncompressed_bytes": sum(i["uncompressed_bytes"] for i in counted),
        "repeat_visit_bytes": sum(
            i["bytes"]
            for i in counted
            if i["kind"] in ("document", "fragment") or not i["long_cache"]
        ),
    }


def _decoded(got: Fetched) -> str:
    return _decompress(got).decode("utf-8", errors="replace")


def _decompress(got: Fetched) -> bytes:
    encoding = got.headers.get("content-encoding", "")
    if encoding == "gzip":
        import gzip

        return gzip.decompress(got.body)
    if encoding == "br":
        try:
            import brotli  # in the project's venv (a runtime dependency)
        except ImportError:
            return got.body
        return brotli.decompress(got.body)
    return got.body


def _max_age(cache_control: str) -> int:
    match = re.search(r"max-age=(\d+)", cache_control)
    return int(match.group(1)) if match else 0


def _weight_item(kind: str, url: str, got: Fetched) -> dict[str, Any]:
    cache_control = got.headers.get("cache-control", "")
    return {
        "kind": kind,
        "url": url,
        "status": got.status,
        "bytes": len(got.body),
        "uncompressed_bytes": len(_decompress(got)),
        "content_encoding": got.headers.get("content-encoding", ""),
        "cache_control": cache_control,
        "long_cache": _max_age(cache_control) >= 30 * 24 * 3600 or "immutable" in cache_control,
    }
