"""The per-endpoint results (text and markdown) and the saved report of a run."""

from __future__ import annotations

from typing import Any

from .study import loop_summary
from .targets import targets_markdown

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


def write_summary(w: dict[str, Any]) -> str:
    check = w.get("check") or {}
    return (
        f"{w.get('server', 'project')} {w['db']} {w['scale']}x "
        f"{w.get('label', 'POST review')}: "
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
    lines += ["", "## Study loop of a class", ""]
    lines += [f"- {loop_summary(r)}" for r in result.get("study_loops") or []] or ["- not run"]
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
    lines += ["", "## Weight of a first visit to every page", ""]
    for w in result.get("weights", []):
        size = (
            f"{w['total_bytes']:,} bytes" if w.get("status") == 200 else f"n/a ({w.get('status')})"
        )
        lines.append(f"- `{w['path']}`: {size}")
    if result.get("scale_out"):
        lines += ["", "## Two instances on one PostgreSQL", "", f"- {result['scale_out']}"]
    lines += [
        "",
        "## Targets",
        "",
        targets_markdown(result.get("targets", []), meta.get("peer", "prototype")),
    ]
    return "\n".join(lines) + "\n"
