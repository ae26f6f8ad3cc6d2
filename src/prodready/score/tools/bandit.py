"""bandit: security issues in the project's code, by severity."""

from __future__ import annotations

import json
from collections import Counter

from prodready.score.execute import run_tool
from prodready.score.interface import Status, ToolResult
from prodready.score.tools import Context, Metric, stopped, tool


@tool(
    "bandit",
    ("bandit",),
    "pip install 'bandit[toml]'",
    metrics=(Metric("security.high", "high-severity security issues", 0, at_most=True),),
    rank=50,
    runs_project=False,
)
def run(ctx: Context) -> ToolResult:
    config = ["-c", "pyproject.toml"] if "[tool.bandit" in _text(ctx) else []
    command = [ctx.python, "-I", "-m", "bandit", "-r", *ctx.sources, "-f", "json", "-q", *config]
    done = run_tool(command, ctx.root, ctx.timeout)
    shown = " ".join(command[1:])
    if done.returncode is None:
        return stopped("bandit", done.seconds, shown)
    try:
        results = json.loads(done.stdout).get("results", [])
    except (json.JSONDecodeError, AttributeError):
        return ToolResult(
            "bandit", Status.ERROR, {}, done.stderr.strip()[-300:], done.seconds, shown
        )
    counts = Counter(str(r.get("issue_severity", "")).lower() for r in results)
    metrics = {
        f"security.{level}": float(counts.get(level, 0)) for level in ("high", "medium", "low")
    }
    return ToolResult("bandit", Status.OK, metrics, "", done.seconds, shown)


def _text(ctx: Context) -> str:
    from prodready.safeio import Unreadable, read_bytes

    try:
        return read_bytes(ctx.root.resolve(), "pyproject.toml").decode("utf-8", "replace")
    except Unreadable:
        return ""
