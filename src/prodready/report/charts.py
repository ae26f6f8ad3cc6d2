"""Trend charts as inline SVG, for a page that needs no script and no network.

One chart per tracked figure: a point per stored run, spaced evenly in run order along an x axis
labelled with each run's date (UTC, so the same history gives the same page anywhere) and short
commit; a y axis with round ticks and the figure's unit; the target as a dashed line; and the
exact value, date and commit of every point as its SVG `<title>`, which browsers show on hover.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import TYPE_CHECKING, NamedTuple

from prodready.report.html import escape

if TYPE_CHECKING:
    from collections.abc import Callable

    from prodready.score.interface import Target

    Scale = Callable[[float], float]

LINE_COLOUR = "#1f6feb"
TARGET_COLOUR = "#bc4c00"
WIDTH, HEIGHT = 480, 230
LEFT, RIGHT, TOP, BOTTOM = 56, 40, 14, 52  # room for the tick labels and the axis titles
LABEL_WIDTH = 72  # the room a date label takes on the x axis
UNITS = {"%": "percent", "ms": "milliseconds", "s": "seconds"}


class Point(NamedTuple):
    """One stored run's value of a figure, with when and at which commit it was measured."""

    created: float
    revision: str
    value: float


class Runs(NamedTuple):
    """What the points of a chart are: the x axis title, the word before a point's revision on
    hover, the revision as written under the axis and on hover, and what one point is called in
    the caption (a run, a scan)."""

    axis: str
    word: str
    tag: Callable[[str], str]
    point: str = "run"


class Series(NamedTuple):
    """One figure over the stored runs, with its target when it has one."""

    metric: str
    label: str
    points: list[Point]
    target: Target | None


def number(value: float) -> str:
    """A value as people write it: no exponent, at most two decimals, no trailing zeros."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def unit_of(series: Series) -> tuple[str, str]:
    """The unit shown after values ("%", "ms", or none) and the y axis title: the unit the
    tool's label declares in parentheses, yes/no for a pass-fail figure, else a count."""
    found = re.search(r"\(([^)]+)\)$", series.label)
    if found:
        return found.group(1), UNITS.get(found.group(1), found.group(1))
    if series.metric.endswith(".ok"):
        return "", "1 = yes, 0 = no"
    return "", "count"


def with_unit(value: float, unit: str) -> str:
    """A value followed by its unit, if it has one."""
    return f"{number(value)} {unit}" if unit else number(value)


def when(created: float, *, time: bool = True) -> str:
    """A run's date (and time), in UTC."""
    moment = datetime.datetime.fromtimestamp(created, datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC" if time else "%Y-%m-%d")


def short(revision: str) -> str:
    """A commit as a reader recognises it: seven hex digits, `+` when the files had changes."""
    return revision[:7] + ("+" if revision.endswith("+") else "") if revision else "no commit"


COMMIT_RUNS = Runs("run (date UTC, commit)", "commit", short)


def ticks(low: float, high: float, *, whole: bool = False) -> list[float]:
    """Round values spanning [low, high] in steps of 1, 2, 2.5 or 5 times a power of ten (at
    least 1 for a count, `whole`), about five of them; the first and last bound the axis."""
    raw = (high - low) / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if whole:
        step = math.ceil(step)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def marks_of(series: Series) -> list[float]:
    """The y axis ticks: spanning the values and the target; a pass-fail figure has 0 and 1; a
    flat series is drawn from zero (so a steady 100 reads as 100, not as a range)."""
    values = [p.value for p in series.points]
    bounds = [*values, *([series.target.limit] if series.target else [])]
    low, high = min(bounds), max(bounds)
    if series.metric.endswith(".ok") and low >= 0 and high <= 1:
        return [0.0, 1.0]
    whole = not unit_of(series)[0] and all(v == int(v) for v in bounds)
    if low == high:
        low, high = min(low, 0.0), max(high, 0.0) or 1.0
    return ticks(low, high, whole=whole)


def caption(series: Series, unit: str, point: str = "run") -> str:
    """The chart's heading: the latest value, and how the series moved over the points."""
    values = [p.value for p in series.points]
    latest = with_unit(values[-1], unit)
    if len(values) == 1:
        return f"{series.label}: {latest} (one {point})"
    if min(values) == max(values):
        return f"{series.label}: {latest}, steady over {len(values)} {point}s"
    change = values[-1] - values[0]
    return f"{series.label}: {latest} ({'+' if change > 0 else ''}{number(change)} over {len(values)} {point}s)"


def chart(series: Series, runs: Runs | None = None) -> str:
    """The figure: caption and SVG (axes, target line, line through the points). `runs` names
    what a point is (a run at a commit by default; the fleet's scans name their own)."""
    runs = runs or COMMIT_RUNS
    unit, axis_title = unit_of(series)
    marks = marks_of(series)

    def y(value: float) -> float:
        share = (value - marks[0]) / (marks[-1] - marks[0])
        return round(HEIGHT - BOTTOM - share * (HEIGHT - TOP - BOTTOM), 1)

    xs = _xs(len(series.points))
    parts = [
        _y_axis(marks, y, axis_title),
        _x_axis(series.points, xs, runs),
        _target_line(series.target, unit, y) if series.target else "",
        _line(series, unit, xs, y, runs),
    ]
    return (
        f"<figure><figcaption>{escape(caption(series, unit, runs.point))}</figcaption>"
        f"<svg role='img' aria-label='{escape(series.label)}' viewBox='0 0 {WIDTH} {HEIGHT}' "
        f"width='100%' font-size='11' fill='#555'>{''.join(parts)}</svg></figure>"
    )


def _xs(count: int) -> list[float]:
    """The x of each run: evenly spaced in run order (a single run sits in the middle)."""
    if count == 1:
        return [round(LEFT + (WIDTH - LEFT - RIGHT) / 2, 1)]
    step = (WIDTH - LEFT - RIGHT) / (count - 1)
    return [round(LEFT + i * step, 1) for i in range(count)]


def labelled(count: int) -> list[int]:
    """Which runs get a date label: every k-th counting back from the newest, k chosen so the
    labels never overlap (the others are still dated in their titles)."""
    if count == 1:
        return [0]
    gap = (WIDTH - LEFT - RIGHT) / (count - 1)
    every = math.ceil(LABEL_WIDTH / gap)
    return list(range(count - 1, -1, -every))[::-1]


def _x_axis(points: list[Point], xs: list[float], runs: Runs) -> str:
    """The axis line, and under the labelled runs their date and short commit."""
    base = HEIGHT - BOTTOM
    labels = "".join(
        f"<text class='x-label' x='{xs[i]}' y='{base + 16}' text-anchor='middle'>"
        f"<tspan class='x-date'>{when(points[i].created, time=False)}</tspan>"
        f"<tspan class='x-commit' x='{xs[i]}' dy='13' font-family='ui-monospace,monospace'>"
        f"{escape(runs.tag(points[i].revision))}</tspan></text>"
        for i in labelled(len(points))
    )
    return (
        f"<line x1='{LEFT}' y1='{base}' x2='{WIDTH - RIGHT + 10}' y2='{base}' stroke='#999'/>"
        f"{labels}<text class='x-title' x='{WIDTH - 4}' y='{HEIGHT - 4}' text-anchor='end'>"
        f"{escape(runs.axis)}</text>"
    )


def _y_axis(marks: list[float], y: Scale, title: str) -> str:
    """Tick values with faint grid lines, and the axis title written upwards."""
    rows = "".join(
        f"<text class='y-label' x='{LEFT - 6}' y='{y(m) + 4}' text-anchor='end'>{number(m)}</text>"
        f"<line x1='{LEFT}' y1='{y(m)}' x2='{WIDTH - RIGHT + 10}' y2='{y(m)}' stroke='#eee'/>"
        for m in marks
    )
    middle = TOP + (HEIGHT - TOP - BOTTOM) / 2
    return (
        f"{rows}<text class='y-title' transform='translate(12 {middle}) rotate(-90)' "
        f"text-anchor='middle'>{escape(title)}</text>"
    )


def _target_line(target: Target, unit: str, y: Scale) -> str:
    """The target as a dashed line across the chart, explained in a legend under it (a label on
    the line itself would cover the points near it)."""
    at = y(target.limit)
    words = escape(f"target {'≤' if target.at_most else '≥'} {with_unit(target.limit, unit)}")
    dashes = f"stroke='{TARGET_COLOUR}' stroke-width='1.5' stroke-dasharray='6 4'"
    return (
        f"<g class='target'><title>{words}</title>"
        f"<line x1='{LEFT}' y1='{at}' x2='{WIDTH - RIGHT + 10}' y2='{at}' {dashes}/></g>"
        f"<g class='target-legend'><line x1='4' y1='{HEIGHT - 8}' x2='26' y2='{HEIGHT - 8}' {dashes}/>"
        f"<text x='30' y='{HEIGHT - 4}' fill='{TARGET_COLOUR}'>{words}</text></g>"
    )


def _line(series: Series, unit: str, xs: list[float], y: Scale, runs: Runs) -> str:
    """The line through the runs, and a dot per run whose title gives its value, date and commit
    (a wider transparent dot makes it easy to hover)."""
    coords = [(x, y(p.value)) for x, p in zip(xs, series.points, strict=True)]
    line = (
        f"<polyline points='{' '.join(f'{x},{v}' for x, v in coords)}' fill='none' "
        f"stroke='{LINE_COLOUR}' stroke-width='3'/>"
        if len(coords) > 1
        else ""
    )
    dots = "".join(
        f"<g class='point'><title>{escape(_point_title(series.label, p, unit, runs))}</title>"
        f"<circle cx='{x}' cy='{v}' r='4' fill='{LINE_COLOUR}'/>"
        f"<circle cx='{x}' cy='{v}' r='10' fill='transparent'/></g>"
        for (x, v), p in zip(coords, series.points, strict=True)
    )
    return line + dots


def _point_title(label: str, point: Point, unit: str, runs: Runs) -> str:
    """What hovering a point says."""
    return f"{label}: {with_unit(point.value, unit)}, {when(point.created)}, {runs.word} {runs.tag(point.revision)}"
