"""Radar chart of the 9 principal objectives, drawn server-side as inline SVG.

No JavaScript: the same markup goes in the results page and in the PDF. The chart has a
<title> and a <desc>; the page puts a data table next to it."""

import math
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .models import SCALE_MAX

WIDTH = 700
HEIGHT = 540
CENTER_X = WIDTH / 2
CENTER = HEIGHT / 2  # vertical centre
RADIUS = 175


@dataclass
class Series:
    name: str
    values: list[float | None]
    css_class: str  # "current", "previous", "community"


def _point(index: int, count: int, value: float, radius: float = RADIUS) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = radius * value / SCALE_MAX
    return CENTER_X + r * math.cos(angle), CENTER + r * math.sin(angle)


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


def _n(value: float) -> str:
    return f"{value:.1f}"


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def radar_svg(
    *, labels: list[tuple[str, str]], series: list[Series], title: str, uid: str = "radar"
) -> str:
    """labels: [(code, short label)]; series values on the 0–4 scale (None = no answer)."""
    count = len(labels)
    parts = [
        format_html(
            '<svg class="radar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
            'width="{w}" height="{h}" role="img" aria-labelledby="{u}-title {u}-desc" '
            'font-family="system-ui, sans-serif">',
            w=WIDTH,
            h=HEIGHT,
            u=uid,
        ),
        format_html('<title id="{}-title">{}</title>', uid, title),
    ]
    desc = "; ".join(
        f"{s.name} : "
        + ", ".join(f"{code} {fmt(v)}" for (code, _label), v in zip(labels, s.values, strict=True))
        for s in series
    )
    parts.append(
        format_html('<desc id="{}-desc">{} {}</desc>', uid, desc, _("(échelle de 0 à 4)."))
    )
    # Rings and their scale labels.
    for level in range(1, SCALE_MAX + 1):
        points = " ".join("{:.1f},{:.1f}".format(*_point(i, count, level)) for i in range(count))
        parts.append(
            format_html(
                '<polygon points="{}" fill="none" stroke="#c9d3cf" stroke-width="{}"/>',
                points,
                "1.5" if level == SCALE_MAX else "1",
            )
        )
        x, y = _point(0, count, level)
        parts.append(
            format_html(
                ('<text x="{}" y="{}" font-size="11" fill="#4d5a55" text-anchor="start">{}</text>'),
                _n(x + 4),
                _n(y + 4),
                level,
            )
        )
    # Axes and labels.
    for i, (code, label) in enumerate(labels):
        x, y = _point(i, count, SCALE_MAX)
        parts.append(
            format_html(
                '<line x1="{cx}" y1="{c}" x2="{}" y2="{}" stroke="#c9d3cf" stroke-width="1"/>',
                _n(x),
                _n(y),
                cx=CENTER_X,
                c=CENTER,
            )
        )
        lx, ly = _point(i, count, SCALE_MAX, RADIUS + 30)
        anchor = "middle" if abs(lx - CENTER_X) < 20 else ("start" if lx > CENTER_X else "end")
        lines = [code, *_wrap(label)]
        top = ly - (len(lines) - 1) * 8
        tspans = mark_safe(
            "".join(
                format_html(
                    '<tspan x="{}" y="{}"{}>{}</tspan>',
                    _n(lx),
                    _n(top + n * 16),
                    mark_safe(' font-weight="700"') if n == 0 else "",
                    line,
                )
                for n, line in enumerate(lines)
            )
        )
        parts.append(
            format_html(
                '<text font-size="14" fill="#1d2421" text-anchor="{}">{}</text>', anchor, tspans
            )
        )
    styles = {
        "current": (
            'fill="#0b5d4b" fill-opacity="0.22" stroke="#0b5d4b" stroke-width="2.5"',
            "#0b5d4b",
        ),
        "previous": (
            'fill="none" stroke="#b8430f" stroke-width="2" stroke-dasharray="6 4"',
            "#b8430f",
        ),
        "community": (
            'fill="none" stroke="#4d5a55" stroke-width="2" stroke-dasharray="2 3"',
            "#4d5a55",
        ),
    }
    for s in series:
        attrs, colour = styles.get(s.css_class, styles["current"])
        points = [_point(i, count, v if v is not None else 0) for i, v in enumerate(s.values)]
        parts.append(
            format_html(
                '<polygon class="series-{}" points="{}" {}/>',
                s.css_class,
                " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                mark_safe(attrs),
            )
        )
        if s.css_class == "current":
            for (x, y), v in zip(points, s.values, strict=True):
                if v is not None:
                    parts.append(
                        format_html(
                            '<circle cx="{}" cy="{}" r="3.5" fill="{}"/>', _n(x), _n(y), colour
                        )
                    )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))
