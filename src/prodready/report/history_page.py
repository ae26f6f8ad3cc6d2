"""`prodready report`'s page: the grade, the latest scorecard, a trend chart per tracked figure
and the latest findings, in one file that needs no network."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prodready.history.metrics import tracked
from prodready.history.store import latest_score
from prodready.report.charts import Point, Series, chart, number, short, when
from prodready.report.html import escape, findings_table, page

if TYPE_CHECKING:
    from prodready.history.store import Run
    from prodready.results import RepositoryReport
    from prodready.score.card import Card, Line
    from prodready.score.interface import Target


def history_page(
    title: str,
    repository: RepositoryReport | None,
    runs: list[Run],
    targets: list[Target],
    card: Card | None,
) -> str:
    """`prodready report`'s page: grade, scorecard, trends and the latest findings. It depends
    only on its arguments (no clock), so the same history and findings give the same bytes."""
    latest = latest_score(runs)
    return page(
        title,
        [
            f"<h1>{escape(title)}</h1>",
            f"<p class='muted'>{escape(_span(runs))}</p>",
            _grade(card, latest),
            _scorecard(card),
            _trends(runs, targets),
            findings_table(repository, level=2),
        ],
    )


def _span(runs: list[Run]) -> str:
    """Which stored runs the page is drawn from."""
    if not runs:
        return "No stored runs yet."
    first, last = when(runs[0].created, time=False), when(runs[-1].created, time=False)
    dates = first if first == last else f"{first} to {last}"
    return f"From {len(runs)} stored {'run' if len(runs) == 1 else 'runs'}, {dates} (UTC)."


def _grade(card: Card | None, latest: Run | None) -> str:
    """The grade in large, with what it was computed over and the run it comes from."""
    if card is None or latest is None:
        return (
            "<section class='grade grade-none' id='grade'><div class='letter'>-</div>"
            "<div><strong>No grade yet</strong><br><span class='muted'>Run "
            "<code>prodready score</code> to measure the project.</span></div></section>"
        )
    measured = [line for line in card.lines if line.met is not None]
    met = sum(1 for line in measured if line.met)
    unmeasured = len(card.lines) - len(measured)
    counts = f"{met} of {len(measured)} measured targets met" + (
        f", {unmeasured} not measured" if unmeasured else ""
    )
    grade = escape(card.grade)
    graded = card.grade in ("A", "B", "C", "D", "F")
    letter = grade if graded else "?"
    if card.incomplete and card.kind is not None:
        missing = ", ".join(line.target.label for line in card.incomplete)
        counts += f"; required for a {card.kind.value} but not measured: {missing}"
    return (
        f"<section class='grade grade-{grade if graded else 'none'}' id='grade'>"
        f"<div class='letter'>{letter}</div>"
        f"<div><strong>Grade {grade}</strong>: {escape(counts)}.<br><span class='muted'>"
        f"From the score of {when(latest.created)}, commit {escape(short(latest.revision))}."
        "</span></div></section>"
    )


def _scorecard(card: Card | None) -> str:
    """The measured figures against their targets; the figures not measured on one line, so a
    partial run (`score --only ruff`) does not fill the card with empty rows."""
    if card is None:
        return ""
    measured = [line for line in card.lines if line.met is not None]
    rows = "".join(_row(line) for line in measured)
    table = (
        f"<table><tr><th>Metric</th><th class='num'>Value</th><th class='num'>Target</th><th>Status</th></tr>{rows}</table>"
        if measured
        else "<p class='muted'>No target was measured in this run.</p>"
    )
    missing = [escape(line.target.label) for line in card.lines if line.met is None]
    rest = (
        f"<p class='muted not-measured'>Not measured in this run ({len(missing)}): "
        f"{', '.join(missing)}.</p>"
        if missing
        else ""
    )
    return f"<h2>Scorecard</h2>{table}{rest}"


def _row(line: Line) -> str:
    """One measured target: value, limit and whether it was met."""
    target = line.target
    status = "<span class='ok'>met</span>" if line.met else "<span class='missed'>missed</span>"
    return (
        f"<tr><td>{escape(target.label)}</td><td class='num'>{number(line.value or 0)}</td>"
        f"<td class='num'>{'≤' if target.at_most else '≥'} {number(target.limit)}</td>"
        f"<td>{status}</td></tr>"
    )


def _trends(runs: list[Run], targets: list[Target]) -> str:
    """A chart per tracked figure that has at least one stored value."""
    limits = {target.metric: target for target in targets}
    charts = [
        chart(Series(metric, label, points, limits.get(metric)))
        for metric, label in tracked()
        if (points := _points(runs, metric))
    ]
    if not charts:
        return ""
    return "<h2>Trends</h2><div class='charts'>" + "".join(charts) + "</div>"


def _points(runs: list[Run], metric: str) -> list[Point]:
    """The stored values of one figure, oldest first."""
    return [Point(r.created, r.revision, r.metrics[metric]) for r in runs if metric in r.metrics]
