"""Small bar charts drawn on the server as inline SVG (no JavaScript, printable).

Geometry is computed here and the markup comes from templates/ptce_portal/charts/. Every
chart is an image with a <title> and a <desc> (`role="img"`, `aria-labelledby`); the page
must still give the figures as a table. Colours come from CSS classes (`ptce-chart-*`) so the
admin's light and dark themes both apply; the presentation attributes are only fallbacks.

referential/radar.py draws a radar for one app; nothing there fits bars, hence this helper."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

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
