"""The scorecard: each measured figure against its target, and a grade over what was measured.

A grade is only given when every figure required for the project's kind was measured (the tools
declare the kinds that require them); otherwise the card is "incomplete" and says what is
missing, so a subset of the tools, or tools that are not installed, never earn an A.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from prodready.errors import UsageError
from prodready.score.interface import Status, Target, ToolResult
from prodready.score.tools import Metric, load_tools

if TYPE_CHECKING:
    from prodready.findings import Kind

INCOMPLETE = "incomplete"  # the grade of a card that lacks a required figure


def default_targets() -> dict[str, Metric]:
    """Every headline figure that has a target, in scorecard order, as the tools declare them
    (coverage's default is then replaced by the project's own `fail_under`)."""
    return {
        m.name: m for tool in load_tools().values() for m in tool.metrics if m.target is not None
    }


def required_metrics(kind: Kind) -> frozenset[str]:
    """The figures a card of this kind must hold to be graded: every figure with a target of
    every tool the kind requires."""
    return frozenset(
        m.name
        for tool in load_tools().values()
        if kind in tool.required
        for m in tool.metrics
        if m.target is not None
    )


def project_kind(root: Path, explicit: Kind | None) -> tuple[Kind, str]:
    """The project's kind and why, as `check` decides it: `explicit`, `[tool.prodready] kind`,
    else detected from the files."""
    from prodready.config import load_settings
    from prodready.project.model import Project
    from prodready.project.repository import Repository

    repo = Repository(root)
    settings = load_settings(repo.pyproject).with_overrides(kind=explicit)
    project = Project(root, settings, repo=repo)
    return project.kind, project.kind_reason


class Line(NamedTuple):
    """One row of the card: a target, the measured value (None if not measured), why, and
    whether the card needs it for a grade."""

    target: Target
    value: float | None
    met: bool | None  # None: not measured
    note: str
    required: bool = False


class Card(NamedTuple):
    """The rows, the tool runs behind them, and the kind whose requirements were applied."""

    lines: list[Line]
    results: list[ToolResult]
    kind: Kind | None = None

    @property
    def missed(self) -> list[Line]:
        """The measured rows whose target is missed."""
        return [line for line in self.lines if line.met is False]

    @property
    def measured(self) -> list[Line]:
        """The rows with a value."""
        return [line for line in self.lines if line.met is not None]

    @property
    def unmeasured(self) -> list[Line]:
        """The rows without a value, required or not."""
        return [line for line in self.lines if line.met is None]

    @property
    def incomplete(self) -> list[Line]:
        """The required rows without a value: any one of them withholds the grade."""
        return [line for line in self.unmeasured if line.required]

    @property
    def grade(self) -> str:
        """A to F by the share of measured targets met; "incomplete" when a required figure
        is missing, "-" when nothing was measured or required."""
        if self.incomplete:
            return INCOMPLETE
        measured = self.measured
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


def build_card(results: list[ToolResult], wanted: list[Target], kind: Kind | None = None) -> Card:
    """Each target against the figures of the runs; with a kind, the figures it requires are
    marked, and the card is graded only when they are all measured."""
    metrics = metrics_of(results)
    required = required_metrics(kind) if kind is not None else frozenset()
    lines = []
    for target in wanted:
        value = metrics.get(target.metric)
        needed = target.metric in required
        if value is None:
            lines.append(Line(target, None, None, _why_not(target.metric, results), needed))
        else:
            lines.append(Line(target, value, target.met(value), "", needed))
    return Card(lines, results, kind)


def stored_card(metrics: dict[str, float], wanted: list[Target], kind: Kind | None = None) -> Card:
    """The card of a stored run, rebuilt from its figures: the history keeps the figures, not
    the tools' results, so a figure that is missing is simply "not measured". With the kind,
    a missing required figure makes the card incomplete, as `score` would have said."""
    required = required_metrics(kind) if kind is not None else frozenset()
    lines = [
        Line(target, None, None, "not measured", target.metric in required)
        if (value := metrics.get(target.metric)) is None
        else Line(target, value, target.met(value), "", target.metric in required)
        for target in wanted
    ]
    return Card(lines, [], kind)


def _why_not(metric: str, results: list[ToolResult]) -> str:
    """Why a figure has no value: its tool's status and detail, or that the tool was not run."""
    owner = next((t.name for t in load_tools().values() for m in t.metrics if m.name == metric), "")
    result = next((r for r in results if r.tool == owner), None)
    if result is None:
        return f"{owner}: not selected" if owner else "not measured"
    if result.status is Status.OK:
        return f"{owner}: not reported"
    return f"{owner}: {result.status.value}" + (f" ({result.detail})" if result.detail else "")
