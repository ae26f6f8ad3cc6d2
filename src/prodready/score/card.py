"""The scorecard: each measured figure against its target, and a grade."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, NamedTuple

from prodready.errors import UsageError
from prodready.score.interface import Status, Target, ToolResult
from prodready.score.tools import Metric, load_tools


def default_targets() -> dict[str, Metric]:
    """Every headline figure that has a target, in scorecard order, as the tools declare them
    (coverage's default is then replaced by the project's own `fail_under`)."""
    return {
        m.name: m for tool in load_tools().values() for m in tool.metrics if m.target is not None
    }


class Line(NamedTuple):
    """One row of the card: a target, the measured value (None if not measured) and why."""

    target: Target
    value: float | None
    met: bool | None  # None: not measured
    note: str


class Card(NamedTuple):
    lines: list[Line]
    results: list[ToolResult]

    @property
    def missed(self) -> list[Line]:
        return [line for line in self.lines if line.met is False]

    @property
    def grade(self) -> str:
        measured = [line for line in self.lines if line.met is not None]
        if not measured:
            return "-"
        share = sum(1 for line in measured if line.met) / len(measured)
        return next(
            g
            for g, floor in (("A", 1.0), ("B", 0.8), ("C", 0.6), ("D", 0.4), ("F", 0.0))
            if share >= floor
        )


def targets(root: Path, override: Path | None) -> list[Target]:
    """The default targets, coverage's from the project's own `fail_under`, then the file's."""
    defaults = default_targets()
    limits = {name: float(m.target or 0) for name, m in defaults.items()}
    fail_under = _fail_under(root)
    if fail_under is not None:
        limits["coverage.total"] = fail_under
    if override is not None:
        limits.update(_read_targets(override, defaults))
    return [Target(m.name, m.label, limits[m.name], m.at_most) for m in defaults.values()]


def _fail_under(root: Path) -> float | None:
    """coverage's `fail_under` from the project's pyproject.toml, read as the audit reads it."""
    from prodready.project.tomldoc import TomlDoc
    from prodready.safeio import Unreadable, read_bytes

    try:
        text = read_bytes(root.resolve(), "pyproject.toml").decode("utf-8-sig")
    except (Unreadable, UnicodeDecodeError):
        return None
    value = TomlDoc.parse("pyproject.toml", text).get("tool", "coverage", "report", "fail_under")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _read_targets(path: Path, known: dict[str, Metric]) -> dict[str, float]:
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: {exc}") from None
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise UsageError(f"{path}: unknown target {unknown[0]!r} (known: {', '.join(known)})")
    if not all(isinstance(v, int | float) for v in data.values()):
        raise UsageError(f"{path}: every target is a number")
    return {k: float(v) for k, v in data.items()}


def metrics_of(results: list[ToolResult]) -> dict[str, float]:
    """Every figure of every tool, plus the derived pass rate."""
    merged: dict[str, float] = {}
    for result in results:
        merged.update(result.metrics)
    total = merged.get("tests.total")
    if total is not None:  # no test at all passes nothing: 0 %
        ran = total - merged.get("tests.skipped", 0)
        merged["tests.pass_rate"] = (
            round(100.0 * merged.get("tests.passed", 0) / ran, 2) if ran else 0.0
        )
    return merged


def build_card(results: list[ToolResult], wanted: list[Target]) -> Card:
    metrics = metrics_of(results)
    why = {m: r for r in results if r.status is not Status.OK for m in _metrics_of_tool(r.tool)}
    lines = []
    for target in wanted:
        value = metrics.get(target.metric)
        if value is None:
            result = why.get(target.metric)
            note = (
                f"{result.tool}: {result.status.value}"
                + (f" ({result.detail})" if result.detail else "")
                if result
                else "not measured"
            )
            lines.append(Line(target, None, None, note))
        else:
            lines.append(Line(target, value, target.met(value), ""))
    return Card(lines, results)


def stored_card(metrics: dict[str, float], wanted: list[Target]) -> Card:
    """The card of a stored run, rebuilt from its figures: the history keeps the figures, not
    the tools' results, so a figure that is missing is simply "not measured"."""
    lines = [
        Line(target, None, None, "not measured")
        if (value := metrics.get(target.metric)) is None
        else Line(target, value, target.met(value), "")
        for target in wanted
    ]
    return Card(lines, [])


def _metrics_of_tool(tool: str) -> tuple[str, ...]:
    found = load_tools().get(tool)
    return tuple(m.name for m in found.metrics) if found else ()
