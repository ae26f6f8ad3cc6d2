"""pytest with coverage, in one run: test counts from its JUnit XML, coverage from coverage's
JSON report (total, per module, branches), both under the project's own configuration."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

from prodready.score.execute import run_tool
from prodready.score.interface import Status, ToolResult
from prodready.score.tools import Context, Metric, stopped, tool


@tool(
    "pytest",
    ("pytest", "coverage"),
    "pip install pytest coverage",
    metrics=(
        Metric("tests.pass_rate", "tests passing (%)", 100.0),
        Metric("coverage.total", "coverage (%)", 80.0),
    ),
    rank=10,
)
def run(ctx: Context) -> ToolResult:
    junit, data, report = (
        ctx.scratch / "junit.xml",
        ctx.scratch / ".coverage",
        ctx.scratch / "coverage.json",
    )
    command = [
        ctx.python,
        "-m",
        "coverage",
        "run",
        f"--data-file={data}",
        "-m",
        "pytest",
        "-q",
        f"--junitxml={junit}",
        "-p",
        "no:cacheprovider",
    ]
    done = run_tool(command, ctx.root, ctx.timeout)
    shown = " ".join(command[1:])
    if done.returncode is None:
        return stopped("pytest", done.seconds, shown)
    if not junit.exists():
        return ToolResult(
            "pytest", Status.ERROR, {}, _last_line(done.stdout + done.stderr), done.seconds, shown
        )
    metrics = _tests(junit)
    metrics["tests.seconds"] = done.seconds
    run_tool(
        [ctx.python, "-m", "coverage", "json", f"--data-file={data}", "-o", str(report)],
        ctx.root,
        ctx.timeout,
    )
    if report.exists():
        metrics.update(_coverage(report))
    return ToolResult("pytest", Status.OK, metrics, _last_line(done.stdout), done.seconds, shown)


def _tests(junit: Path) -> dict[str, float]:
    root = ElementTree.parse(junit).getroot()  # noqa: S314
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        for key in totals:
            totals[key] += int(suite.get(key, 0))
    passed = totals["tests"] - totals["failures"] - totals["errors"] - totals["skipped"]
    return {
        "tests.total": totals["tests"],
        "tests.passed": passed,
        "tests.failed": totals["failures"],
        "tests.errors": totals["errors"],
        "tests.skipped": totals["skipped"],
    }


def _coverage(report: Path) -> dict[str, float]:
    data = json.loads(report.read_text(encoding="utf-8"))
    totals = data.get("totals", {})
    metrics = {"coverage.total": round(float(totals.get("percent_covered", 0.0)), 2)}
    if totals.get("num_branches"):
        covered = totals.get("covered_branches", 0)
        metrics["coverage.branches"] = round(100.0 * covered / totals["num_branches"], 2)
    for path, entry in data.get("files", {}).items():
        metrics[f"coverage.module.{path}"] = round(float(entry["summary"]["percent_covered"]), 2)
    return metrics


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip("= ") if lines else ""
