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


Number = int | float


def figure(value: Number | None, missing: str = "—") -> str:
    """A figure as the French read it: « 1 234 », « 12,5 » (one decimal at most); `missing`
    for no value (a suppressed or unknown cell)."""
    if value is None:
        return missing
    if isinstance(value, float) and not value.is_integer():
        whole = f"{value:,.1f}"
    else:
        whole = f"{round(value):,}"
    return whole.replace(",", "\u202f").replace(".", ",")


@dataclass
class _Bar:
    label: str
    full_label: str
    value: Number | str
    x: str
    y: str
    width: str
    height: str
    text_x: str
    text_y: str
    value_x: str
    value_y: str
    show_label: bool = True
    missing: bool = False


def _known(rows) -> list[Number]:
    return [value for _label, value in rows if value is not None]


def hbar_chart(
    *,
    uid: str,
    title: str,
    rows: list[tuple[str, Number | None]],
    description: str = "",
    missing: str = "—",
) -> str:
    """Horizontal bars, one row per (label, value): for categories such as regions. A value
    of None (unknown, or a suppressed cell) draws no bar and writes `missing` instead;
    values that are not whole numbers are written with a decimal comma."""
    top = max(_known(rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 40  # leave space for the value after the longest bar
    bars = []
    for index, (label, value) in enumerate(rows):
        y = 4 + index * ROW_HEIGHT
        width = room * (value or 0) / top
        bars.append(
            _Bar(
                label=_short(str(label)),
                full_label=str(label),
                value=value if isinstance(value, int) else figure(value, missing),
                x=_n(LABEL_WIDTH),
                y=_n(y + 3),
                width=_n(width),
                height=_n(ROW_HEIGHT - 6),
                text_x=_n(LABEL_WIDTH - 8),
                text_y=_n(y + ROW_HEIGHT / 2 + 4),
                value_x=_n(LABEL_WIDTH + width + 6),
                value_y=_n(y + ROW_HEIGHT / 2 + 4),
                missing=value is None,
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
    *,
    uid: str,
    title: str,
    rows: list[tuple[str, Number | None]],
    description: str = "",
    missing: str = "—",
) -> str:
    """Vertical columns, one per (label, value) in order: for a time series (years). A value
    of None draws no column and writes `missing` above the axis."""
    top = max(_known(rows), default=0) or 1
    count = max(len(rows), 1)
    left, right = 8, WIDTH - 8
    slot = (right - left) / count
    baseline = COLUMN_TOP + COLUMN_PLOT_HEIGHT
    every = 1 if count <= 14 else 2 if count <= 28 else 5  # keep the axis labels apart
    columns = []
    for index, (label, value) in enumerate(rows):
        height = COLUMN_PLOT_HEIGHT * (value or 0) / top
        x = left + index * slot + slot * 0.2
        columns.append(
            _Bar(
                label=str(label),
                full_label=str(label),
                value=value if isinstance(value, int) else figure(value, missing),
                x=_n(x),
                y=_n(baseline - height),
                width=_n(slot * 0.6),
                height=_n(height),
                text_x=_n(x + slot * 0.3),
                text_y=_n(baseline + 16),
                value_x=_n(x + slot * 0.3),
                value_y=_n(baseline - height - 5),
                show_label=(index % every == 0 or index == count - 1),
                missing=value is None,
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


RANGE_LABEL_CHARS = 25  # the categories of article 9 are long: shortened on the chart


@dataclass
class _Range:
    label: str
    full_label: str
    text: str
    low_x: str
    width: str
    mid_x: str
    y: str
    height: str
    line_top: str
    line_bottom: str
    text_x: str
    text_y: str
    value_x: str
    known: bool


def range_chart(
    *,
    uid: str,
    title: str,
    rows: list[tuple[str, Number | None, Number | None, Number | None]],
    description: str = "",
    missing: str = "—",
) -> str:
    """Medians and quartiles, one row per (label, first quartile, median, third quartile): a
    band from the first to the third quartile with the median marked and written after it.
    A row whose median is None (unknown, or a suppressed cell) writes `missing` instead."""
    top = (
        max((q3 if q3 is not None else m) for _l, _q1, m, q3 in rows if m is not None)
        if any(m is not None for _l, _q1, m, _q3 in rows)
        else 1
    )
    top = top or 1
    room = WIDTH - LABEL_WIDTH - 70  # room for « 12,5 » after the widest band
    items = []
    for index, (label, q1, median, q3) in enumerate(rows):
        y = 4 + index * ROW_HEIGHT
        known = median is not None
        low = q1 if q1 is not None else median
        high = q3 if q3 is not None else median
        low_x = LABEL_WIDTH + room * (low or 0) / top
        high_x = LABEL_WIDTH + room * (high or 0) / top
        mid_x = LABEL_WIDTH + room * (median or 0) / top
        items.append(
            _Range(
                label=_short(str(label), RANGE_LABEL_CHARS),
                full_label=str(label),
                text=figure(median, missing),
                low_x=_n(low_x),
                width=_n(max(high_x - low_x, 0)),
                mid_x=_n(mid_x),
                y=_n(y + 5),
                height=_n(ROW_HEIGHT - 10),
                line_top=_n(y + 2),
                line_bottom=_n(y + ROW_HEIGHT - 2),
                text_x=_n(LABEL_WIDTH - 8),
                text_y=_n(y + ROW_HEIGHT / 2 + 4),
                value_x=_n((high_x if known else LABEL_WIDTH) + 6),
                known=known,
            )
        )
    height = 8 + len(rows) * ROW_HEIGHT
    return SafeString(
        render_to_string(
            "ptce_portal/charts/range.svg",
            {
                "uid": uid,
                "title": title,
                "description": description,
                "rows": items,
                "width": WIDTH,
                "height": height,
                "axis_x": _n(LABEL_WIDTH),
                "axis_bottom": _n(height - 4),
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
