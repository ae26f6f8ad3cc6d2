"""The scorecard as text (terminal), JSON (machines) and Markdown (pull requests); each says
what was not measured, and why a card that lacks a required figure has no grade."""

from __future__ import annotations

import json
from collections.abc import Callable

from prodready.score.card import Card, Line, metrics_of

MARK = {True: "ok", False: "MISSED", None: "-"}
ARTICLE = {"library": "a library", "application": "an application", "service": "a service"}


def _mark(line: Line) -> str:
    """The status cell: a required figure that is missing says so."""
    return "MISSING" if line.met is None and line.required else MARK[line.met]


def summary(card: Card) -> list[str]:
    """The grade and what it rests on: how many measured targets were met, which required
    figures are missing (the reason there is no grade) and which others were not measured."""
    met = sum(1 for line in card.lines if line.met)
    rows = [f"Grade {card.grade}: {met} of {len(card.measured)} measured targets met."]
    if card.incomplete:
        kind = ARTICLE.get(card.kind.value, card.kind.value) if card.kind else "this project"
        rows.append(
            f"Required for {kind} but not measured (no grade without them): "
            + ", ".join(line.target.label for line in card.incomplete)
            + "."
        )
    others = [line for line in card.unmeasured if not line.required]
    if others:
        rows.append("Not measured: " + ", ".join(line.target.label for line in others) + ".")
    return rows


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
            f"{line.target.label:36} {_value(line.value):>10} {_limit(line):>10}  {_mark(line)}{'  ' + line.note if line.note else ''}"
        )
    rows.append("")
    for result in card.results:
        detail = f"  {result.detail}" if result.detail else ""
        rows.append(f"{result.tool:11} {result.status.value:8} {result.seconds:6.1f} s{detail}")
    rows.append("")
    rows.extend(summary(card))
    return "\n".join(rows) + "\n"


def markdown(card: Card) -> str:
    rows = ["| metric | value | target | status |", "|---|---:|---:|---|"]
    for line in card.lines:
        status = _mark(line) + (f" ({line.note})" if line.note else "")
        rows.append(f"| {line.target.label} | {_value(line.value)} | {_limit(line)} | {status} |")
    rows.append("")
    first, *rest = summary(card)
    rows.append(f"**{first}**")
    rows.extend(f"\n{row}" for row in rest)
    return "\n".join(rows) + "\n"


def as_json(card: Card) -> str:
    data = {
        "grade": card.grade,
        "kind": card.kind.value if card.kind else None,
        "incomplete": [x.target.metric for x in card.incomplete],
        "unmeasured": [x.target.metric for x in card.unmeasured],
        "targets": [
            {
                "metric": x.target.metric,
                "label": x.target.label,
                "value": x.value,
                "limit": x.target.limit,
                "at_most": x.target.at_most,
                "met": x.met,
                "note": x.note,
                "required": x.required,
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
