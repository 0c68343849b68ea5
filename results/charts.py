"""Server-rendered SVG charts: no JavaScript, and every chart has a data table beside it.

The functions return geometry for the templates ``results/includes/*_chart.svg``; the SVG is
decorative for assistive technology (``aria-hidden``) because the table carries the data.
"""

from dataclasses import dataclass

BAR_HEIGHT = 22
BAR_GAP = 10
LABEL_WIDTH = 60
CHART_WIDTH = 320


@dataclass
class Bar:
    label: str
    value: object
    y: int
    width: float
    text_x: float
    series: int = 0


def bars(items, series_count=1):
    """Horizontal bars for ``items`` = [(label, [value per series])] on a 0..100 scale."""
    rows, y = [], 0
    for label, values in items:
        for series, value in enumerate(values):
            width = 0 if value is None else float(value) / 100 * (CHART_WIDTH - LABEL_WIDTH - 50)
            rows.append(
                Bar(
                    label=label if series == 0 else "",
                    value=value,
                    y=y,
                    width=round(width, 1),
                    text_x=round(LABEL_WIDTH + width + 4, 1),
                    series=series,
                )
            )
            y += BAR_HEIGHT
        y += BAR_GAP
    return {"bars": rows, "height": y, "width": CHART_WIDTH, "label_width": LABEL_WIDTH}


@dataclass
class Point:
    year: int
    value: object
    x: float
    y: float


def trend(points, width=320, height=160, padding=30):
    """A line over the years for ``points`` = [(year, value or None)] on a 0..100 scale."""
    points = [(year, value) for year, value in points if value is not None]
    if not points:
        return None
    step = (width - 2 * padding) / max(1, len(points) - 1)
    plotted = [
        Point(
            year=year,
            value=value,
            x=round(padding + index * step, 1),
            y=round(height - padding - float(value) / 100 * (height - 2 * padding), 1),
        )
        for index, (year, value) in enumerate(points)
    ]
    return {
        "points": plotted,
        "polyline": " ".join(f"{p.x},{p.y}" for p in plotted),
        "width": width,
        "height": height,
        "baseline": height - padding,
        "top": padding,
    }
