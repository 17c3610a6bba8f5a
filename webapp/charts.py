"""The 7-day forecast as bar geometry, so the SVG template only places shapes.

Colours are left to the stylesheet (classes, `currentColor`), which is what keeps
the chart readable in both themes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

WIDTH = 320
HEIGHT = 150
LABEL_SPACE = 34  # below the bars: the day names
VALUE_SPACE = 18  # above the tallest bar: its count
GAP = 8


def day_label(day: date, index: int) -> str:
    return "Today" if index == 0 else f"{day:%a} {day.day}"


def forecast_chart(forecast: list[dict[str, Any]]) -> dict[str, Any]:
    """Bars for `[{"date": "2026-11-25", "count": 12}, …]`: x, y, width, height, labels."""
    count = max(len(forecast), 1)
    slot = WIDTH / count
    plot = HEIGHT - LABEL_SPACE - VALUE_SPACE
    tallest = max((int(day["count"]) for day in forecast), default=0) or 1
    bars = []
    for index, day in enumerate(forecast):
        value = int(day["count"])
        height = round(plot * value / tallest, 1)
        when = date.fromisoformat(day["date"])
        bars.append(
            {
                "x": round(index * slot + GAP / 2, 1),
                "y": round(VALUE_SPACE + plot - height, 1),
                "width": round(slot - GAP, 1),
                "height": height,
                "center": round(index * slot + slot / 2, 1),
                "value_y": round(VALUE_SPACE + plot - height - 4, 1),
                "count": value,
                "label": day_label(when, index),
                "date": day["date"],
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": VALUE_SPACE + plot,
        "label_y": HEIGHT - LABEL_SPACE + 16,
        "bars": bars,
        "total": sum(bar["count"] for bar in bars),
    }
