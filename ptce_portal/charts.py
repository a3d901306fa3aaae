"""The portal's one chart style: bars, columns and radars drawn on the server as inline SVG
(no JavaScript, printable, the same markup in pages and PDFs).

Geometry is computed here; the markup comes from the templates in
ptce_portal/templates/ptce_portal/charts/ and the look from one stylesheet,
static/ptce_portal/charts.css (`ptce-chart-*` classes: the portal's pages and the admin's
light and dark themes each set its colours through custom properties). The presentation
attributes in the templates are only fallbacks, for the PDFs. Every chart is an image with a
<title> and a <desc> (`role="img"`, `aria-labelledby`); the page must still give the figures
as a table (`components/`-style: the table beside the chart, or visually hidden under it)."""

import math
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH = 480
ROW_HEIGHT = 22
LABEL_WIDTH = 190  # horizontal bars: room for « Provence-Alpes-Côte d'Azur »
LABEL_CHARS = 28
COLUMN_PLOT_HEIGHT = 150
COLUMN_TOP = 20


def _n(value: float) -> str:
    """A coordinate: always a dot, whatever the active locale."""
    return f"{value:.1f}"


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


@dataclass
class _Bar:
    label: str
    full_label: str
    value: int
    x: str
    y: str
    width: str
    height: str
    text_x: str
    text_y: str
    value_x: str
    value_y: str
    show_label: bool = True


def hbar_chart(*, uid: str, title: str, rows: list[tuple[str, int]], description: str = "") -> str:
    """Horizontal bars, one row per (label, value): for categories such as regions."""
    top = max((value for _label, value in rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 40  # leave space for the value after the longest bar
    bars = []
    for index, (label, value) in enumerate(rows):
        y = 4 + index * ROW_HEIGHT
        width = room * value / top
        bars.append(
            _Bar(
                label=_short(str(label)),
                full_label=str(label),
                value=value,
                x=_n(LABEL_WIDTH),
                y=_n(y + 3),
                width=_n(width),
                height=_n(ROW_HEIGHT - 6),
                text_x=_n(LABEL_WIDTH - 8),
                text_y=_n(y + ROW_HEIGHT / 2 + 4),
                value_x=_n(LABEL_WIDTH + width + 6),
                value_y=_n(y + ROW_HEIGHT / 2 + 4),
            )
        )
    height = 8 + len(rows) * ROW_HEIGHT
    return SafeString(
        render_to_string(
            "ptce_portal/charts/hbar.svg",
            {
                "uid": uid,
                "title": title,
                "description": description,
                "bars": bars,
                "width": WIDTH,
                "height": height,
                "axis_x": _n(LABEL_WIDTH),
                "axis_bottom": _n(height - 4),
            },
        )
    )


def column_chart(
    *, uid: str, title: str, rows: list[tuple[str, int]], description: str = ""
) -> str:
    """Vertical columns, one per (label, value) in order: for a time series (years)."""
    top = max((value for _label, value in rows), default=0) or 1
    count = max(len(rows), 1)
    left, right = 8, WIDTH - 8
    slot = (right - left) / count
    baseline = COLUMN_TOP + COLUMN_PLOT_HEIGHT
    every = 1 if count <= 14 else 2 if count <= 28 else 5  # keep the axis labels apart
    columns = []
    for index, (label, value) in enumerate(rows):
        height = COLUMN_PLOT_HEIGHT * value / top
        x = left + index * slot + slot * 0.2
        columns.append(
            _Bar(
                label=str(label),
                full_label=str(label),
                value=value,
                x=_n(x),
                y=_n(baseline - height),
                width=_n(slot * 0.6),
                height=_n(height),
                text_x=_n(x + slot * 0.3),
                text_y=_n(baseline + 16),
                value_x=_n(x + slot * 0.3),
                value_y=_n(baseline - height - 5),
                show_label=(index % every == 0 or index == count - 1),
            )
        )
    return SafeString(
        render_to_string(
            "ptce_portal/charts/columns.svg",
            {
                "uid": uid,
                "title": title,
                "description": description,
                "bars": columns,
                "width": WIDTH,
                "height": baseline + 24,
                "baseline": _n(baseline),
                "left": _n(left),
                "right": _n(right),
            },
        )
    )


# --- Radar ---------------------------------------------------------------------------------

RADAR_WIDTH = 700
RADAR_HEIGHT = 540
RADAR_RADIUS = 175
SERIES_KINDS = ("current", "previous", "community")  # ptce-chart-series-<kind> in the CSS


@dataclass
class Series:
    """One line of a radar: `values` in axis order on the 0–scale_max scale (None: no value);
    `kind` chooses its look (one of SERIES_KINDS)."""

    name: str
    values: list[float | None]
    kind: str = "current"


def decimal(value: float | None) -> str:
    """A score as the French read it (« 2,5 »); « — » for no value."""
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def _wrap(text: str, width: int = 14) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines[:3]


def radar_chart(
    *,
    uid: str,
    title: str,
    axes: list[tuple[str, str]],
    series: list[Series],
    scale_max: int,
) -> str:
    """A radar: axes are (code, short label) pairs, clockwise from the top; one ring per
    level of the scale, one polygon per series (points on the first series)."""
    count = max(len(axes), 1)
    cx, cy = RADAR_WIDTH / 2, RADAR_HEIGHT / 2

    def point(index: int, value: float, radius: float = RADAR_RADIUS) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        r = radius * value / scale_max
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    def points(values: list[float]) -> str:
        return " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(i, v) for i, v in enumerate(values)))

    rings = []
    for level in range(1, scale_max + 1):
        x, y = point(0, level)
        rings.append(
            {
                "level": level,
                "points": points([level] * count),
                "outer": level == scale_max,
                "x": _n(x + 4),
                "y": _n(y + 4),
            }
        )
    spokes = []
    for index, (code, label) in enumerate(axes):
        x, y = point(index, scale_max)
        lx, ly = point(index, scale_max, RADAR_RADIUS + 30)
        anchor = "middle" if abs(lx - cx) < 20 else ("start" if lx > cx else "end")
        lines = [code, *_wrap(label)]
        top = ly - (len(lines) - 1) * 8
        spokes.append(
            {
                "x": _n(x),
                "y": _n(y),
                "anchor": anchor,
                "lines": [
                    {"text": line, "x": _n(lx), "y": _n(top + n * 16), "code": n == 0}
                    for n, line in enumerate(lines)
                ],
            }
        )
    drawn = []
    for position, s in enumerate(series):
        values = [v if v is not None else 0 for v in s.values]
        drawn.append(
            {
                "name": s.name,
                "kind": s.kind if s.kind in SERIES_KINDS else "current",
                "points": points(values),
                "dots": [
                    {"x": _n(x), "y": _n(y)}
                    for (x, y), v in zip(
                        (point(i, v) for i, v in enumerate(values)), s.values, strict=True
                    )
                    if v is not None
                ]
                if position == 0
                else [],
            }
        )
    description = "; ".join(
        f"{s.name} : "
        + ", ".join(
            f"{code} {decimal(value)}" for (code, _label), value in zip(axes, s.values, strict=True)
        )
        for s in series
    )
    return SafeString(
        render_to_string(
            "ptce_portal/charts/radar.svg",
            {
                "uid": uid,
                "title": title,
                "description": f"{description} "
                + _("(échelle de 0 à %(max)s).") % {"max": scale_max},
                "width": RADAR_WIDTH,
                "height": RADAR_HEIGHT,
                "cx": _n(cx),
                "cy": _n(cy),
                "rings": rings,
                "spokes": spokes,
                "series": drawn,
            },
        )
    )
