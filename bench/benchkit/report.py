"""The results table (text and markdown) and the issue's targets, checked."""

from __future__ import annotations

import math
from typing import Any

from .endpoints import API, DEEP_PAIRS

WEIGHT_LIMIT_BYTES = 50 * 1024
RSS_LIMIT_MB = 150
WRITE_TARGET_RPS = 500

COLUMNS = (
    "scale",
    "endpoint",
    "project req/s",
    "prototype req/s",
    "ratio",
    "p50 ms",
    "p99 ms",
    "single ms",
    "proto single ms",
    "CPU/req ratio",
    "other CPU %",
)


def _num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    if digits == 0 or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def row_cells(row: dict[str, Any]) -> list[str]:
    project = row.get("project") or {}
    proto = row.get("prototype") or {}
    scale = f"{row['scale']}x" + ("" if row.get("db", "sqlite") == "sqlite" else " pg")
    if project.get("missing"):
        return [scale, row["label"], f"n/a ({project['status']})"] + [""] * (len(COLUMNS) - 3)
    if project.get("error"):
        return [scale, row["label"], f"error: {project['error'][:40]}"] + [""] * (len(COLUMNS) - 3)
    ratio = row.get("ratio")
    return [
        scale,
        row["label"] + (" ⚠ non-2xx" if project.get("non2xx") else ""),
        _num(project.get("rps"), 0),
        _num(proto.get("rps"), 1) if proto else "—",
        f"{ratio:.1f}x" if ratio else "—",
        _num(project.get("p50_ms"), 2),
        _num(project.get("p99_ms"), 2),
        _num(project.get("single_ms"), 2),
        _num(proto.get("single_ms"), 1) if proto else "—",
        f"{row['cpu_ratio']:.1f}x" if row.get("cpu_ratio") else "—",
        _num(max(project.get("other_cpu_pct_rounds") or [0]), 0),
    ]


def columns(peer: str = "prototype") -> list[str]:
    """The header; the peer column says what the project was compared with."""
    names = {"prototype req/s": f"{peer} req/s", "proto single ms": f"{peer} single ms"}
    return [names.get(c, c) for c in COLUMNS]


def text_table(rows: list[dict[str, Any]], peer: str = "prototype") -> str:
    cells = [columns(peer)] + [row_cells(r) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(COLUMNS))]
    lines = []
    for n, line in enumerate(cells):
        parts = [c.ljust(widths[i]) if i < 2 else c.rjust(widths[i]) for i, c in enumerate(line)]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(rows: list[dict[str, Any]], peer: str = "prototype") -> str:
    lines = ["| " + " | ".join(columns(peer)) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(row_cells(r)) + " |" for r in rows]
    return "\n".join(lines)


def _by_key(rows: list[dict[str, Any]], scale: int, db: str = "sqlite") -> dict[str, dict]:
    return {
        r["key"]: r
        for r in rows
        if r["scale"] == scale and r.get("db", "sqlite") == db and r.get("kind") != "write"
    }


def _single(row: dict | None) -> float | None:
    if not row:
        return None
    project = row.get("project") or {}
    return project.get("single_ms")


def _verdict(target: str, ok: bool | None, detail: str) -> dict[str, Any]:
    status = "not measured" if ok is None else ("met" if ok else "NOT MET")
    return {"target": target, "status": status, "detail": detail}


def check_targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = result["rows"]
    db = result.get("db", "sqlite")
    out = []
    one = _by_key(rows, 1, db)
    five = _by_key(rows, 5, db)

    # Throughput against the prototype, at 1x (not when the peer is another build).
    ratios = {}
    for ep in API if result["meta"].get("peer", "prototype") == "prototype" else ():
        r = one.get(ep.key)
        if r and r.get("ratio"):
            ratios[ep.key] = r["ratio"]
    for weight, floor in (("heavy", 15.0), ("light", 1.5)):
        keys = [ep.key for ep in API if ep.weight == weight]
        measured = {k: ratios[k] for k in keys if k in ratios}
        if not measured:
            out.append(_verdict(f"{weight} endpoints >= {floor}x at 1x", None, "no prototype run"))
            continue
        failing = {k: v for k, v in measured.items() if v < floor}
        detail = ", ".join(f"{k} {v:.2f}x" for k, v in measured.items())
        out.append(_verdict(f"{weight} endpoints >= {floor}x at 1x", not failing, detail))
    if ratios:
        geo = math.exp(sum(math.log(v) for v in ratios.values()) / len(ratios))
        out.append(_verdict("geometric mean >= 10x at 1x", geo >= 10, f"{geo:.2f}x"))
    else:
        out.append(_verdict("geometric mean >= 10x at 1x", None, "no prototype run"))

    # Flat cost: 5x single-request time within 1.5x of 1x.
    if one and five:
        growth = {}
        for key, r5 in five.items():
            s1, s5 = _single(one.get(key)), _single(r5)
            if s1 and s5:
                growth[key] = s5 / s1
        bad = {k: v for k, v in growth.items() if v > 1.5}
        detail = ", ".join(f"{k} {v:.2f}x" for k, v in sorted(growth.items(), key=lambda i: -i[1]))
        out.append(_verdict("flat cost: 5x single <= 1.5x its 1x", not bad, detail))
    else:
        out.append(_verdict("flat cost: 5x single <= 1.5x its 1x", None, "needs 1x and 5x"))

    # Deep pages.
    for scale, table in ((1, one), (5, five)):
        for deep, first in DEEP_PAIRS:
            d, f = _single(table.get(deep)), _single(table.get(first))
            name = f"deep page <= 2x first page ({deep} vs {first}, {scale}x)"
            if d and f:
                out.append(_verdict(name, d <= 2 * f, f"{d:.2f} ms vs {f:.2f} ms ({d / f:.2f}x)"))
            elif table:
                out.append(_verdict(name, None, "not measured (not served or not selected)"))

    # Single-request latency at 5x.
    if five:
        for kind, limit in (("api", 5.0), ("html", 10.0)):
            measured = {
                k: _single(r)
                for k, r in five.items()
                if _single(r) and ((r["kind"] == "api") == (kind == "api"))
            }
            slow = {k: v for k, v in measured.items() if v > limit}
            detail = (
                "slow: " + ", ".join(f"{k} {v:.1f} ms" for k, v in slow.items())
                if slow
                else f"max {max(measured.values()):.2f} ms"
                if measured
                else "none served"
            )
            out.append(
                _verdict(
                    f"single p50 at 5x <= {limit:g} ms ({kind})",
                    (not slow) if measured else None,
                    detail,
                )
            )
    else:
        out.append(_verdict("single p50 at 5x <= 5 ms (api) / 10 ms (html)", None, "needs 5x"))

    # Writes.
    for w in [r for r in rows if r.get("kind") == "write"]:
        rps = w.get("reviews_per_s") or 0
        check = w.get("check") or {}
        ok = rps >= WRITE_TARGET_RPS and bool(check.get("ok"))
        out.append(
            _verdict(
                f"writes >= {WRITE_TARGET_RPS}/s, every acknowledged review counted"
                f" ({w.get('server', 'project')}, {w['db']}, {w['scale']}x)",
                ok,
                f"{rps:.0f} reviews/s; {check.get('summary', 'no check')}",
            )
        )

    # Weight.
    weight = result.get("weight")
    if weight and weight.get("status") == 200:
        static = [i for i in weight["items"] if i["kind"] in ("script", "stylesheet")]
        cached = all(i["long_cache"] for i in static)
        compressed = all(i["content_encoding"] for i in weight["items"] if i["kind"] != "icon")
        out.append(
            _verdict(
                "first dashboard visit <= 50 KB compressed",
                weight["total_bytes"] <= WEIGHT_LIMIT_BYTES,
                f"{weight['total_bytes'] / 1024:.1f} KB transferred "
                f"({weight['total_uncompressed_bytes'] / 1024:.1f} KB uncompressed)",
            )
        )
        out.append(
            _verdict(
                "static files long-cached and compressed",
                cached and compressed,
                f"long cache: {cached}; compressed: {compressed}",
            )
        )
    else:
        status = (weight or {}).get("status", "not run")
        out.append(
            _verdict("first dashboard visit <= 50 KB compressed", None, f"/dashboard: {status}")
        )

    # Memory.
    for scale in sorted({m["scale"] for m in result.get("memory", [])}):
        mem = [m for m in result["memory"] if m["scale"] == scale and m["server"] == "project"]
        if mem and mem[0].get("max_worker_rss_mb"):
            rss = mem[0]["max_worker_rss_mb"]
            name = f"RSS per worker <= {RSS_LIMIT_MB} MB ({scale}x)"
            out.append(
                _verdict(
                    name,
                    rss <= RSS_LIMIT_MB if scale == 5 else None,
                    f"max worker {rss:.0f} MB" + ("" if scale == 5 else " (target is at 5x)"),
                )
            )
    return out


def verdict_lines(verdicts: list[dict[str, Any]]) -> list[str]:
    return [f"{v['status']:>12}  {v['target']}: {v['detail']}" for v in verdicts]


def write_summary(w: dict[str, Any]) -> str:
    check = w.get("check") or {}
    return (
        f"{w.get('server', 'project')} {w['db']} {w['scale']}x: "
        f"{w.get('reviews_per_s', 0):.0f} reviews/s from "
        f"{w.get('connections')} connections, p50 {w.get('p50_ms')} ms, p99 {w.get('p99_ms')} ms; "
        f"{w.get('created', 0)} acknowledged (201), {w.get('refused', 0)} refused; "
        f"{check.get('summary', '')}"
    )


def markdown_report(result: dict[str, Any]) -> str:
    meta = result["meta"]
    rows = [r for r in result["rows"] if r.get("kind") != "write"]
    lines = [
        f"# Benchmark: {meta['variant']} ({meta['started']})",
        "",
        f"- commit `{meta.get('commit')}`{' + uncommitted changes' if meta.get('dirty') else ''};"
        f" database {result.get('db', 'sqlite')}; scales {meta['scales']}",
        f"- wrk: {meta['duration_s']} s a run, {meta['connections']} connections, "
        f"{meta['threads']} thread(s); single = median of sequential requests on one "
        "keep-alive connection",
        f"- project: `{meta.get('project_command')}`",
        f"- prototype: `gunicorn {meta.get('prototype_command')}`"
        if meta.get("prototype_command")
        else f"- compared with: {meta['peer_detail']}"
        if meta.get("peer_detail")
        else "- prototype: not run",
        f"- load average at start/end: {meta.get('load_start')} / {meta.get('load_end')}; "
        f"wall time {meta.get('wall_s')} s",
        "",
        markdown_table(rows, meta.get("peer", "prototype")),
        "",
        "## Writes",
        "",
    ]
    writes = [r for r in result["rows"] if r.get("kind") == "write"]
    lines += [f"- {write_summary(w)}" for w in writes] or ["- not run"]
    lines += ["", "## Memory (VmRSS after the run)", ""]
    for m in result.get("memory", []):
        workers = ", ".join(f"{w['rss_mb']:.0f}" for w in m.get("workers", []))
        lines.append(
            f"- {m['server']} {m['scale']}x: workers {workers} MB "
            f"(master {m.get('master_rss_mb')} MB)"
        )
    lines += ["", "## Weight of a first visit to /dashboard", ""]
    weight = result.get("weight") or {}
    if weight.get("status") == 200:
        lines += [
            "| kind | url | bytes | uncompressed | encoding | cache-control |",
            "|---|---|---|---|---|---|",
        ]
        for i in weight["items"]:
            lines.append(
                f"| {i['kind']} | `{i['url']}` | {i['bytes']:,} | "
                f"{i['uncompressed_bytes']:,} | {i['content_encoding'] or '—'} | "
                f"{i['cache_control'] or '—'} |"
            )
        lines.append(
            f"\nTotal (without the icon): {weight['total_bytes']:,} bytes; "
            f"a repeat visit: {weight['repeat_visit_bytes']:,} bytes."
        )
    else:
        lines.append(f"- /dashboard answered {weight.get('status', 'not run')}")
    lines += ["", "## Targets", "", "| target | status | detail |", "|---|---|---|"]
    for v in result.get("targets", []):
        lines.append(f"| {v['target']} | {v['status']} | {v['detail']} |")
    return "\n".join(lines) + "\n"
