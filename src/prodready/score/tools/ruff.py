"""ruff: lint findings, counted per rule, under the project's own settings."""

from __future__ import annotations

import json
from collections import Counter

from prodready.score.execute import run_tool
from prodready.score.interface import Status, ToolResult
from prodready.score.tools import Context, Metric, stopped, tool


@tool(
    "ruff",
    ("ruff",),
    "pip install ruff",
    metrics=(Metric("lint.findings", "lint findings", 0, at_most=True),),
    rank=20,
    runs_project=False,
)
def run(ctx: Context) -> ToolResult:
    command = [
        ctx.python,
        "-I",  # isolated: the project folder is not on sys.path
        "-m",
        "ruff",
        "check",
        "--output-format",
        "json",
        "--exit-zero",
        "--no-cache",
        ".",
    ]
    done = run_tool(command, ctx.root, ctx.timeout)
    shown = "ruff check ."
    if done.returncode is None:
        return stopped("ruff", done.seconds, shown)
    try:
        findings = json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        return ToolResult("ruff", Status.ERROR, {}, done.stderr.strip()[-200:], done.seconds, shown)
    counts = Counter(str(f.get("code") or "syntax") for f in findings)
    metrics: dict[str, float] = {"lint.findings": len(findings)}
    metrics.update({f"lint.rule.{code}": n for code, n in counts.items()})
    return ToolResult(
        "ruff",
        Status.OK,
        metrics,
        ", ".join(f"{c} {n}" for c, n in counts.most_common(5)),
        done.seconds,
        shown,
    )
