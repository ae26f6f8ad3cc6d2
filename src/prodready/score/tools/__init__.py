"""The tools `score` runs: one module per tool (`pip_audit.py` is `pip-audit`).

A tool module registers its runner with `@tool(...)`: the modules it needs in the project's
environment, how to install them, the headline figures it measures (each with its label and
default target, from which the scorecard and the history are built), its place on the card, and
the kinds of project for which it is required (a card that lacks a required figure gets no
grade: it is "incomplete").
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from prodready.findings import Kind
from prodready.registry import Registry
from prodready.score.interface import Status, ToolResult


class Context(NamedTuple):
    """Where and with what a tool runs."""

    root: Path
    python: str  # the project's interpreter
    timeout: float
    scratch: Path  # a private temporary folder for reports and builds
    package: str | None  # the import name of the project's package
    sources: list[str]  # the folders holding the project's code


class Metric(NamedTuple):
    """A headline figure a tool measures: its name, label, and default target (`None`: tracked
    over time, held against no target); `at_most` when lower is better."""

    name: str
    label: str
    target: float | None
    at_most: bool = False


Run = Callable[[Context], ToolResult]
EVERY_KIND = frozenset(Kind)


class Tool(NamedTuple):
    """One tool: what it needs, how to get it, what it measures, and its runner."""

    name: str
    modules: tuple[str, ...]  # what must be importable in the project's environment
    install: str
    metrics: tuple[Metric, ...]
    rank: int  # its place on the scorecard (lower first)
    run: Run
    runs_project: bool = True  # runs the project's code (tests, build, import), not only reads it
    required: frozenset[Kind] = EVERY_KIND  # the kinds whose card needs its figures for a grade
    audits_environment: bool = False  # its figures describe the environment it runs in

    @property
    def needs_project_environment(self) -> bool:
        """Whether its figures are only right in the project's own environment: it runs the
        project's code, or audits what the environment has installed."""
        return self.runs_project or self.audits_environment


TOOLS: Registry[Tool] = Registry("prodready.score.tools", "tool", one_per_module=True)


def tool(
    name: str,
    modules: tuple[str, ...],
    install: str,
    *,
    metrics: tuple[Metric, ...] = (),
    rank: int = 100,
    runs_project: bool = True,
    required: frozenset[Kind] = EVERY_KIND,
    audits_environment: bool = False,
) -> Callable[[Run], Run]:
    """Register a tool's runner."""

    def register(function: Run) -> Run:
        TOOLS.add(
            name,
            Tool(
                name,
                modules,
                install,
                metrics,
                rank,
                function,
                runs_project,
                required,
                audits_environment,
            ),
        )
        return function

    return register


def load_tools() -> dict[str, Tool]:
    """Every tool, in scorecard order."""
    return dict(sorted(TOOLS.load().items(), key=lambda item: (item[1].rank, item[0])))


def stopped(name: str, seconds: float, command: str) -> ToolResult:
    """The result of a tool stopped at its time limit."""
    return ToolResult(
        name,
        Status.TIMEOUT,
        {},
        f"stopped at the time limit, after {seconds:.0f} s",
        seconds,
        command,
    )
