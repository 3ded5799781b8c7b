"""Tiny server-rendered SVG bar charts for the dashboards.

No JavaScript and no ``style=`` (the Content Security Policy forbids inline styles): sizes, positions and
colours are SVG presentation attributes (``x``, ``width``, ``fill``, ...), and ``static/app/charts.css``
only sizes the ``<svg>`` to its container. Every chart is ``role="img"`` labelled by its ``<title>`` and
``<desc>``; pages must put a table with the same numbers beside it. Every label is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

TEXT = "#0b0c0c"
GRID = "#b1b4b6"
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
LIGHT_BLUE = "#5694ca"
FONT = "font-family=\"'GDS Transport', arial, sans-serif\""


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    colour: str = BLUE


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _c(value: float) -> str:
    """A coordinate to one decimal place, without a trailing ".0"."""
    return f"{value:.1f}".removesuffix(".0")


def nice_ticks(maximum: float, *, most: int = 5) -> list[float]:
    """Axis ticks from 0 with a step of 1, 2 or 5 × 10ⁿ, ending at or above ``maximum``."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / most
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1) if float(maximum).is_integer() else step
    count = math.ceil(maximum / step)
    return [step * i for i in range(count + 1)]


def _svg(chart_id: str, title: str, description: str, width: int, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" id="{id}" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" '
        + FONT
        + ' font-size="14" fill="'
        + TEXT
        + '">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        id=chart_id,
        w=width,
        h=height,
        title=title,
        desc=description,
        body=body,
    )


def vertical_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    width: int = 640,
    height: int = 300,
) -> SafeString:
    """Columns per category; several series are drawn side by side (grouped) with a legend above.

    A category label may have two lines ("Jan\\n2026"); with more than 12 categories only every n-th is labelled.
    """
    left, right, top, bottom = 48, 8, 40 if len(series) > 1 else 18, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    maximum = max((v for s in series for v in s.values), default=0)
    ticks = nice_ticks(maximum)
    scale = plot_h / ticks[-1]
    parts: list[SafeString] = []

    for tick in ticks:
        y = top + plot_h - tick * scale
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{ty}" text-anchor="end" font-size="16">{}</text>',
                left,
                width - right,
                GRID if tick else TEXT,
                left - 6,
                _number(tick),
                y=_c(y),
                ty=_c(y + 5),
            )
        )

    n = max(len(categories), 1)
    group_w = plot_w / n
    bar_w = group_w * 0.8 / max(len(series), 1)
    label_every = math.ceil(n / 12)
    for i, category in enumerate(categories):
        x0 = left + i * group_w + group_w * 0.1
        for j, s in enumerate(series):
            value = s.values[i]
            bar_h = value * scale
            x = x0 + j * bar_w
            y = top + plot_h - bar_h
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    _c(x),
                    _c(y),
                    _c(max(bar_w - 1, 1)),
                    _c(bar_h),
                    s.colour,
                )
            )
            if value:
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" text-anchor="middle" font-size="14">{}</text>',
                        _c(x + bar_w / 2),
                        _c(y - 3),
                        _number(value),
                    )
                )
        if i % label_every == 0:
            centre = _c(left + i * group_w + group_w / 2)
            lines = format_html_join(
                "",
                '<tspan x="{}" dy="{}">{}</tspan>',
                ((centre, "0" if k == 0 else "1.15em", line) for k, line in enumerate(category.split("\n"))),
            )
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="15">{}</text>',
                    centre,
                    height - bottom + 20,
                    lines,
                )
            )

    if len(series) > 1:
        legend_x = left
        for s in series:
            parts.append(
                format_html(
                    '<rect x="{}" y="8" width="18" height="18" fill="{}"/><text x="{}" y="23" font-size="16">{}</text>',
                    legend_x,
                    s.colour,
                    legend_x + 20,
                    s.name,
                )
            )
            legend_x += 44 + 9 * len(s.name)
    return _svg(chart_id, title, description, width, height, mark_safe("".join(parts)))  # noqa: S308 - escaped parts


def horizontal_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    items: Sequence[tuple[str, float]],
    colour: str = BLUE,
    width: int = 640,
    label_width: int = 200,
    row_height: int = 40,
    suffix: str = "",
) -> SafeString:
    """One bar per item, labelled on the left, its value at the end of the bar."""
    top, bottom, right = 6, 6, 60
    height = top + bottom + row_height * max(len(items), 1)
    plot_w = width - label_width - right
    maximum = max((value for _label, value in items), default=0) or 1
    parts: list[SafeString] = []
    for i, (label, value) in enumerate(items):
        y = top + i * row_height
        bar_w = plot_w * value / maximum
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="17">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" font-size="17" font-weight="bold">{}</text>',
                label_width - 8,
                _c(y + row_height / 2 + 6),
                label,
                label_width,
                y + 5,
                _c(bar_w),
                row_height - 10,
                colour,
                _c(label_width + bar_w + 6),
                _c(y + row_height / 2 + 6),
                f"{_number(value)}{suffix}",
            )
        )
    body = mark_safe("".join(parts))  # noqa: S308 - every part escaped by format_html
    axis = format_html(
        '<line x1="{x}" x2="{x}" y1="{}" y2="{}" stroke="{}" stroke-width="1"/>',
        top,
        height - bottom,
        TEXT,
        x=label_width,
    )
    return _svg(chart_id, title, description, width, height, body + axis)
