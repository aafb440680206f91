"""Bar charts as SVG, drawn on the server: no script, no style attribute, nothing fetched.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``;
the page shows the same figures as a table, so the drawing only has to be read at a glance.
Colours are presentation attributes (the site's CSP allows no inline style) and every bar
colour has a contrast of at least 3:1 against white (WCAG 1.4.11). The drawing has a viewBox and
no size of its own: CSS makes it as wide as its column, down to a phone's 375 px. Why this is
drawn here and not by a charting library: docs/decisions.md, "Charts of the figures page".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from beirat.figures.cells import Cell, formatted

WIDTH = 400
# Bar colours, each at least 3:1 against white: blue (brand), orange, green, red.
COLOURS = ("#004b87", "#a14a00", "#2e7d32", "#b0141e")
TEXT = "#1f1f1f"
MUTED = "#4d4d4d"
GRID = "#c9ced6"
TARGET = "#b0141e"


@dataclass(frozen=True)
class Series:
    label: str
    cells: Sequence[Cell]


@dataclass(frozen=True)
class Target:
    value: float
    label: str


def columns(
    *,
    key: str,
    title: str,
    description: str,
    categories: Sequence[tuple[str, str]],
    series: Sequence[Series],
    target: Target | None = None,
) -> SafeString:
    """Vertical bars, one group per category (label, second label line) and one bar per
    series in each; a hidden figure is marked "<5" on the axis instead of a bar."""
    legend = len(series) > 1
    legend_parts, lines = _legend([one.label for one in series], 40) if legend else ([], 0)
    top, bottom, left, right = 16 + 20 * lines, 40, 40, 8
    height = 240 + 20 * lines
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    largest = max([*(c.value or 0 for s in series for c in s.cells), target.value if target else 0])
    ceiling, step = _scale(largest)
    group = plot_width / max(len(categories), 1)
    # A few categories must not make a few very wide bars: 36 units at most (3/4 of a bar's
    # width on a phone is still more than a finger).
    bar = min(group * 0.8 / max(len(series), 1), 36)
    label_size = 13 if len(categories) <= 12 else 11

    def y(value: float) -> float:
        return top + plot_height * (1 - value / ceiling)

    parts = [_open(key, title, description, height)]
    parts += _grid(left, WIDTH - right, ceiling, step, y)
    parts += legend_parts
    for index, (label, second) in enumerate(categories):
        centre = left + (index + 0.5) * group
        x0 = centre - bar * len(series) / 2
        for number, one in enumerate(series):
            cell = one.cells[index]
            x = x0 + number * bar
            colour = COLOURS[number % len(COLOURS)]
            name = " ".join(part for part in (label, second) if part)
            tip = f"{name}, {one.label}: {cell.text}" if legend else f"{name}: {cell.text}"
            parts.append(_column(cell, x, bar, y(cell.value or 0), top + plot_height, colour, tip))
        parts.append(_text(centre, height - bottom + 15, label, anchor="middle", size=label_size))
        if second:
            parts.append(
                _text(centre, height - bottom + 30, second, anchor="middle", size=label_size)
            )
    parts.append(_line(left, WIDTH - right, top + plot_height, top + plot_height, TEXT, 1))
    if target is not None:
        parts += _target(target, left, WIDTH - right, y(target.value))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text went through escape()


def bars(*, key: str, title: str, description: str, rows: Sequence[tuple[str, Cell]]) -> SafeString:
    """Horizontal bars, one per row, its label above it and its figure after it: long labels
    stay readable at phone width."""
    row_height, value_room, inset = 44, 92, 6
    height = row_height * len(rows) + 6
    largest = max([cell.value or 0 for _label, cell in rows] or [0])
    ceiling, _step = _scale(largest)
    parts = [_open(key, title, description, height)]
    for index, (label, cell) in enumerate(rows):
        top = index * row_height
        parts.append(_text(inset, top + 15, label))
        length = 0.0
        if cell.value:
            length = (WIDTH - value_room - inset) * cell.value / ceiling
            parts.append(
                f'<rect x="1" y="{top + 21}" width="{length:.1f}" height="16" '
                f'fill="{COLOURS[0]}"><title>{escape(label)}: {escape(cell.text)}</title></rect>'
            )
        shown = "<5" if cell.hidden else cell.text
        colour = MUTED if cell.hidden else TEXT
        parts.append(_text(length + inset, top + 34, shown, colour=colour))
    parts.append(f'<line x1="0.5" x2="0.5" y1="0" y2="{height}" stroke="{TEXT}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text went through escape()


# Pieces ---------------------------------------------------------------------------------------


def _open(key: str, title: str, description: str, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="beirat-chart" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{key}-title {key}-desc" font-size="14" fill="{TEXT}">'
        f'<title id="{key}-title">{escape(title)}</title>'
        f'<desc id="{key}-desc">{escape(description)}</desc>'
    )


def _scale(largest: float) -> tuple[float, float]:
    """The axis's top and its step: 1, 2 or 5 times a power of ten, four steps or so."""
    if largest <= 0:
        return 5.0, 1.0
    rough = largest / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    step = max(step, 1.0)
    return step * math.ceil(largest / step), step


def _grid(
    left: float, right: float, ceiling: float, step: float, y: Callable[[float], float]
) -> list[str]:
    lines = []
    steps = round(ceiling / step)
    for number in range(steps + 1):
        value = number * step
        at = y(value)
        if number:
            lines.append(_line(left, right, at, at, GRID, 1))
        lines.append(_text(left - 5, at + 4, formatted(value), anchor="end", colour=MUTED, size=13))
    return lines


def _legend(labels: Sequence[str], left: float) -> tuple[list[str], int]:
    """Swatch and label of each series, in as many lines as the width needs; the parts and
    the number of lines. Text widths are estimated (7.7 units a character at size 14)."""
    parts, x, line = [], left, 0
    for number, label in enumerate(labels):
        width = 14 + 7.7 * len(label) + 14
        if x > left and x + width - 14 > WIDTH:
            x, line = left, line + 1
        baseline = 14 + line * 20
        colour = COLOURS[number % len(COLOURS)]
        parts.append(
            f'<rect x="{x:.1f}" y="{baseline - 10}" width="10" height="10" fill="{colour}"/>'
        )
        parts.append(_text(x + 14, baseline, label))
        x += width
    return parts, line + 1


def _column(
    cell: Cell, x: float, width: float, top: float, base: float, colour: str, tip: str
) -> str:
    if cell.hidden:
        return _text(x + width / 2, base - 4, "<5", anchor="middle", colour=MUTED, size=9)
    if not cell.value:
        return ""
    return (
        f'<rect x="{x + 1:.1f}" y="{top:.1f}" width="{max(width - 2, 1):.1f}" '
        f'height="{base - top:.1f}" fill="{colour}"><title>{escape(tip)}</title></rect>'
    )


def _target(target: Target, left: float, right: float, at: float) -> list[str]:
    return [
        f'<line x1="{left}" x2="{right}" y1="{at:.1f}" y2="{at:.1f}" stroke="{TARGET}" '
        'stroke-width="2" stroke-dasharray="6 4"/>',
        _text(right, at - 5, target.label, anchor="end", colour=TARGET),
    ]


def _line(x1: float, x2: float, y1: float, y2: float, colour: str, width: int) -> str:
    return (
        f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{y1:.1f}" y2="{y2:.1f}" '
        f'stroke="{colour}" stroke-width="{width}"/>'
    )


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", colour: str = "", size: int = 0
) -> str:
    attributes = f'x="{x:.1f}" y="{y:.1f}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if colour:
        attributes += f' fill="{colour}"'
    if size:
        attributes += f' font-size="{size}"'
    return f"<text {attributes}>{escape(text)}</text>"
