"""HTML pages in one file that needs no network (inline CSS and SVG, no script): `prodready
report`'s page (latest findings, latest scorecard and a trend chart per metric), and the parts
the `html` output format of `check` shares with it."""

from __future__ import annotations

import datetime
import html
from typing import TYPE_CHECKING

from prodready.display import printable
from prodready.history.metrics import tracked

if TYPE_CHECKING:
    from prodready.history.store import Run
    from prodready.results import RepositoryReport
    from prodready.score.interface import Target

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:64rem;color:#1b1b1b}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}td,th{padding:.3rem .5rem;border-bottom:1px solid #ddd;text-align:left}
.ok{color:#1a7f37}.missed{color:#cf222e}.muted{color:#777}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));gap:1rem}
figure{margin:0;border:1px solid #ddd;border-radius:6px;padding:.5rem}figcaption{font-weight:600}
"""
LINE_COLOUR = "#1f6feb"


def escape(text: str) -> str:
    """Text for the page: control characters written as escapes, then HTML-escaped."""
    return html.escape(printable(text))


def history_page(
    title: str,
    repository: RepositoryReport | None,
    runs: list[Run],
    targets: list[Target],
) -> str:
    """`prodready report`'s page: scorecard, trends and the latest findings."""
    return page(
        title,
        [
            f"<h1>{escape(title)}</h1>",
            f"<p class='muted'>Generated {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} from {len(runs)} stored runs.</p>",
            _scorecard(runs, targets),
            "<h2>Trends</h2><div class='charts'>",
            *(
                _chart(label, points)
                for metric, label in tracked()
                if len(points := _series(runs, metric)) >= 1
            ),
            "</div>",
            findings_table(repository, level=2),
        ],
    )


def page(title: str, body: list[str]) -> str:
    """A whole document around `body`."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        *body,
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _series(runs: list[Run], metric: str) -> list[tuple[float, float]]:
    return [(run.created, run.metrics[metric]) for run in runs if metric in run.metrics]


def _scorecard(runs: list[Run], targets: list[Target]) -> str:
    latest = next((run for run in reversed(runs) if run.command == "score"), None)
    if latest is None:
        return "<h2>Scorecard</h2><p class='muted'>No `prodready score` run stored yet.</p>"
    rows = []
    for target in targets:
        value = latest.metrics.get(target.metric)
        if value is None:
            status, shown = "<span class='muted'>not measured</span>", "-"
        else:
            met = target.met(value)
            status = "<span class='ok'>met</span>" if met else "<span class='missed'>missed</span>"
            shown = f"{value:g}"
        limit = f"{'≤' if target.at_most else '≥'} {target.limit:g}"
        rows.append(
            f"<tr><td>{escape(target.label)}</td><td>{shown}</td><td>{limit}</td><td>{status}</td></tr>"
        )
    when = datetime.datetime.fromtimestamp(latest.created).strftime("%Y-%m-%d %H:%M")
    return (
        f"<h2>Scorecard</h2><p class='muted'>Score of {when}, commit {escape(latest.revision or '-')}.</p>"
        "<table><tr><th>Metric</th><th>Value</th><th>Target</th><th>Status</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _chart(label: str, points: list[tuple[float, float]]) -> str:
    """A line chart as inline SVG (a single run is drawn as a dot)."""
    width, height, pad = 320, 140, 28
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    low, high = min(ys), max(ys)
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (high - low) or 1.0

    def at(x: float, y: float) -> tuple[float, float]:
        px = pad + (x - min(xs)) / span_x * (width - 2 * pad) if len(points) > 1 else width / 2
        py = height - pad - (y - low) / span_y * (height - 2 * pad) if high != low else height / 2
        return round(px, 1), round(py, 1)

    coords = [at(x, y) for x, y in points]
    line = " ".join(f"{x},{y}" for x, y in coords)
    dots = "".join(f"<circle cx='{x}' cy='{y}' r='4' fill='{LINE_COLOUR}'/>" for x, y in coords)
    return (
        f"<figure><figcaption>{escape(label)}: {ys[-1]:g}</figcaption>"
        f"<svg role='img' aria-label='{escape(label)}' width='{width}' height='{height}' viewBox='0 0 {width} {height}'>"
        f"<line x1='{pad}' y1='{height - pad}' x2='{width - pad}' y2='{height - pad}' stroke='#bbb'/>"
        f"<text x='2' y='{pad}' font-size='11' fill='#777'>{high:g}</text><text x='2' y='{height - pad}' font-size='11' fill='#777'>{low:g}</text>"
        f"<polyline points='{line}' fill='none' stroke='{LINE_COLOUR}' stroke-width='3'/>{dots}</svg></figure>"
    )


def findings_table(repository: RepositoryReport | None, level: int) -> str:
    if repository is None:
        return ""
    h = f"h{level}"
    rows = "".join(
        f"<tr><td>{escape(f.code)}</td><td>{escape(f.severity.label)}</td><td>{escape(f.path or '')}{':' + str(f.line) if f.line else ''}</td><td>{escape(f.message)}</td></tr>"
        for f in repository.findings
    )
    if not rows:
        return f"<{h}>Findings</{h}><p class='ok'>prodready check reports nothing.</p>"
    return f"<{h}>Findings ({len(repository.findings)})</{h}><table><tr><th>Rule</th><th>Severity</th><th>Where</th><th>Message</th></tr>{rows}</table>"
