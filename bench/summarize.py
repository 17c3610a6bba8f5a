#!/usr/bin/env python3
"""Before/after summary of side-by-side runs (`bench/run.py --versus …`), as markdown.

    python bench/summarize.py bench/results/latest-step-*.json

One column per run: the throughput ratio (this build / the build it was
compared with, same endpoint, same moment), the CPU-per-request ratio, and the
single-request median before → after.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def cell(row: dict) -> str:
    project, peer = row.get("project") or {}, row.get("prototype") or {}
    if project.get("missing") or peer.get("missing") or not row.get("ratio"):
        return "n/a"
    cpu = f" (CPU {row['cpu_ratio']:.1f}x)" if row.get("cpu_ratio") else ""
    return (
        f"{row['ratio']:.1f}x{cpu}; {peer.get('single_ms', 0):.1f} → "
        f"{project.get('single_ms', 0):.1f} ms"
    )


def main(paths: list[str]) -> int:
    runs = [json.loads(Path(p).read_text()) for p in paths]
    labels = [r["meta"]["variant"] for r in runs]
    keys: list[tuple[int, str, str]] = []
    for run in runs:
        for row in run["rows"]:
            if row.get("kind") != "write":
                entry = (row["scale"], row["key"], row["label"])
                if entry not in keys:
                    keys.append(entry)
    print("| endpoint | " + " | ".join(labels) + " |")
    print("|---|" + "---|" * len(labels))
    for scale, key, label in keys:
        cells = []
        for run in runs:
            match = [r for r in run["rows"] if r.get("key") == key and r["scale"] == scale]
            cells.append(cell(match[0]) if match else "")
        print(f"| {scale}x {label} | " + " | ".join(cells) + " |")
    # one line per write row: one learner's 16 clients into one session, then 16 learners
    for key, label in (("reviews", "one learner"), ("reviews_class", "16 learners")):
        writes = []
        for run in runs:
            per_server = {
                r.get("server", "project"): r.get("reviews_per_s")
                for r in run["rows"]
                if r.get("kind") == "write" and r.get("key", "reviews") == key
            }
            after, before = per_server.get("project"), per_server.get("baseline")
            writes.append(f"{before or 0:.0f} → {after or 0:.0f}/s" if after else "")
        print(f"| reviews/s, 16 clients, {label} | " + " | ".join(writes) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
