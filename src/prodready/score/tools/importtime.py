"""Import time of the project's package, from `python -X importtime` (cumulative, in ms)."""

from __future__ import annotations

from prodready.score.execute import run_tool
from prodready.score.interface import Status, ToolResult
from prodready.score.tools import Context, Metric, stopped, tool


@tool(
    "importtime",
    (),
    "",
    metrics=(Metric("import.ms", "import time (ms)", None, at_most=True),),
    rank=80,
    required=frozenset(),  # tracked over time, held against no target
)
def run(ctx: Context) -> ToolResult:
    if not ctx.package:
        return ToolResult("importtime", Status.NOT_RUN, {}, "no importable package found")
    command = [ctx.python, "-X", "importtime", "-c", f"import {ctx.package}"]
    done = run_tool(command, ctx.root, ctx.timeout)
    shown = f"python -X importtime -c 'import {ctx.package}'"
    if done.returncode is None:
        return stopped("importtime", done.seconds, shown)
    if done.returncode != 0:
        return ToolResult(
            "importtime",
            Status.ERROR,
            {},
            done.stderr.strip().splitlines()[-1:][0] if done.stderr.strip() else "import failed",
            done.seconds,
            shown,
        )
    for line in done.stderr.splitlines():
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == ctx.package and parts[1].isdigit():
            return ToolResult(
                "importtime",
                Status.OK,
                {"import.ms": round(int(parts[1]) / 1000, 1)},
                "",
                done.seconds,
                shown,
            )
    return ToolResult(
        "importtime", Status.ERROR, {}, "no import time reported", done.seconds, shown
    )
