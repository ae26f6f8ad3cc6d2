"""The scorecard as text (terminal), JSON (machines) and Markdown (pull requests)."""

from __future__ import annotations

import json
from collections.abc import Callable

from prodready.score.card import Card, Line, metrics_of

MARK = {True: "ok", False: "MISSED", None: "-"}


def _value(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:g}"


def _limit(line: Line) -> str:
    target = line.target
    return f"{'<=' if target.at_most else '>='} {target.limit:g}"


def text(card: Card) -> str:
    rows = [f"{'metric':36} {'value':>10} {'target':>10}  status"]
    for line in card.lines:
        rows.append(
            f"{line.target.label:36} {_value(line.value):>10} {_limit(line):>10}  {MARK[line.met]}{'  ' + line.note if line.note else ''}"
        )
    rows.append("")
    for result in card.results:
        detail = f"  {result.detail}" if result.detail else ""
        rows.append(f"{result.tool:11} {result.status.value:8} {result.seconds:6.1f} s{detail}")
    rows.append("")
    rows.append(
        f"Grade {card.grade}: {sum(1 for x in card.lines if x.met)} of {sum(1 for x in card.lines if x.met is not None)} measured targets met."
    )
    return "\n".join(rows) + "\n"


def markdown(card: Card) -> str:
    rows = ["| metric | value | target | status |", "|---|---:|---:|---|"]
    for line in card.lines:
        status = MARK[line.met] + (f" ({line.note})" if line.note else "")
        rows.append(f"| {line.target.label} | {_value(line.value)} | {_limit(line)} | {status} |")
    rows.append("")
    rows.append(f"**Grade {card.grade}**")
    return "\n".join(rows) + "\n"


def as_json(card: Card) -> str:
    data = {
        "grade": card.grade,
        "targets": [
            {
                "metric": x.target.metric,
                "label": x.target.label,
                "value": x.value,
                "limit": x.target.limit,
                "at_most": x.target.at_most,
                "met": x.met,
                "note": x.note,
            }
            for x in card.lines
        ],
        "tools": [
            {
                "tool": r.tool,
                "status": r.status.value,
                "seconds": round(r.seconds, 2),
                "detail": r.detail,
                "command": r.command,
                "metrics": r.metrics,
            }
            for r in card.results
        ],
        "metrics": metrics_of(card.results),
    }
    return json.dumps(data, indent=2) + "\n"


RENDERERS: dict[str, Callable[[Card], str]] = {"text": text, "markdown": markdown, "json": as_json}
