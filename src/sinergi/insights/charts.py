"""Chart geometry for server-rendered inline SVG (templates insights/_bars.html and
insights/_lines.html draw it). Each chart has a title, per-mark <title> tooltips and a data
table next to it, so it reads without the picture too."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

WIDTH = 640
HEIGHT = 240
LEFT = 8
RIGHT = 8
TOP = 12
BOTTOM = 28
PALETTE = (
    "#0f766e",
    "#d97706",
    "#2563eb",
    "#db2777",
    "#7c3aed",
    "#65a30d",
    "#dc2626",
    "#0891b2",
    "#92400e",
    "#475569",
)


@dataclass
class Chart:
    title: str
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    bands: list[dict[str, Any]] = field(default_factory=list)
    ticks: list[dict[str, Any]] = field(default_factory=list)
    legend: list[dict[str, Any]] = field(default_factory=list)
    baseline: float = HEIGHT - BOTTOM


def _scale(maximum: float) -> float:
    return (HEIGHT - TOP - BOTTOM) / maximum if maximum > 0 else 0.0


def _ticks(labels: list[str], slot: float) -> list[dict[str, Any]]:
    every = max(1, round(len(labels) / 6))
    return [
        {"x": LEFT + slot * (index + 0.5), "label": label}
        for index, label in enumerate(labels)
        if index % every == 0
    ]


def bar_chart(
    title: str,
    labels: list[str],
    values: list[int],
    *,
    tooltips: list[str],
    overlay: list[int | None] | None = None,
    overlay_label: str = "",
    bands: list[tuple[int, int, str, str]] = (),  # type: ignore[assignment]
) -> Chart:
    """Bars for ``values``; an optional dashed line (e.g. last year) and shaded bands."""
    chart = Chart(title)
    count = max(len(values), 1)
    slot = (WIDTH - LEFT - RIGHT) / count
    peak = max([*values, *[v for v in (overlay or []) if v is not None], 0])
    scale = _scale(peak)
    for first, last, kind, label in bands:
        chart.bands.append(
            {
                "x": LEFT + slot * first,
                "width": slot * (last - first + 1),
                "kind": kind,
                "label": label,
                "y": TOP,
                "height": HEIGHT - TOP - BOTTOM,
            }
        )
    for index, value in enumerate(values):
        height = value * scale
        chart.bars.append(
            {
                "x": LEFT + slot * index + slot * 0.1,
                "y": chart.baseline - height,
                "width": max(slot * 0.8, 1),
                "height": height,
                "title": tooltips[index],
            }
        )
    if overlay and any(overlay):
        points = " ".join(
            f"{LEFT + slot * (index + 0.5):.1f},{chart.baseline - (value or 0) * scale:.1f}"
            for index, value in enumerate(overlay)
        )
        chart.lines.append(
            {"points": points, "colour": "#d97706", "label": overlay_label, "dashed": True}
        )
        chart.legend.append({"colour": "#d97706", "label": overlay_label})
    chart.ticks = _ticks(labels, slot)
    return chart


def line_chart(title: str, labels: list[str], series: dict[str, list[int]]) -> Chart:
    """One line per series (e.g. revenue per channel per week)."""
    chart = Chart(title)
    count = max(len(labels), 1)
    slot = (WIDTH - LEFT - RIGHT) / count
    peak = max([value for values in series.values() for value in values] + [0])
    scale = _scale(peak)
    for number, (name, values) in enumerate(series.items()):
        colour = PALETTE[number % len(PALETTE)]
        points = " ".join(
            f"{LEFT + slot * (index + 0.5):.1f},{chart.baseline - value * scale:.1f}"
            for index, value in enumerate(values)
        )
        chart.lines.append({"points": points, "colour": colour, "label": name, "dashed": False})
        chart.legend.append({"colour": colour, "label": name})
    chart.ticks = _ticks(labels, slot)
    return chart


def bucket_label(bucket: date, grain: str) -> str:
    """ "27/11" for days and weeks, "11/2026" for months (short enough for a phone)."""
    if grain == "month":
        return f"{bucket.month:02d}/{bucket.year}"
    return f"{bucket.day:02d}/{bucket.month:02d}"
