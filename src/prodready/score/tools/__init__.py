"""One module per tool score runs; each declares the module it needs, how to install it, and how
to turn the tool's own output into figures."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from prodready.score.interface import Status, ToolResult


class Context(NamedTuple):
    """Where and with what a tool runs."""

    root: Path
    python: str  # the project's interpreter
    timeout: float
    scratch: Path  # a private temporary folder for reports and builds
    package: str | None  # the import name of the project's package
    sources: list[str]  # the folders holding the project's code


class Tool(NamedTuple):
    name: str
    modules: tuple[str, ...]  # what must be importable in the project's environment
    install: str
    run: Callable[[Context], ToolResult]


TOOLS: dict[str, Tool] = {}
FAMILIES = ("pytest", "ruff", "mypy", "pip_audit", "bandit", "build", "install", "importtime")


def tool(
    name: str, modules: tuple[str, ...], install: str
) -> Callable[[Callable[[Context], ToolResult]], Callable[[Context], ToolResult]]:
    """Register a tool's runner."""

    def register(function: Callable[[Context], ToolResult]) -> Callable[[Context], ToolResult]:
        TOOLS[name] = Tool(name, modules, install, function)
        return function

    return register


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


def load_tools() -> dict[str, Tool]:
    for family in FAMILIES:
        importlib.import_module(f"prodready.score.tools.{family}")
    return TOOLS
