"""What a tool run yields: figures, or an explicit reason there are none."""

from __future__ import annotations

import enum
from typing import NamedTuple


class Status(enum.Enum):
    """How a tool run ended."""

    OK = "ok"  # ran, and its figures are real
    NOT_RUN = "not run"  # the tool is not installed in the project's environment
    UNKNOWN = "unknown"  # ran, but could not tell (pip-audit without its service)
    TIMEOUT = "timeout"  # stopped at its time limit
    ERROR = "error"  # failed in a way that gives no figures


class ToolResult(NamedTuple):
    """One tool's figures (metric name -> value) or why there are none."""

    tool: str
    status: Status
    metrics: dict[str, float]
    detail: str = ""
    seconds: float = 0.0
    command: str = ""


class Target(NamedTuple):
    """A metric held against a limit: `low` (at least) or `high` (at most)."""

    metric: str
    label: str
    limit: float
    at_most: bool

    def met(self, value: float) -> bool:
        return value <= self.limit if self.at_most else value >= self.limit
