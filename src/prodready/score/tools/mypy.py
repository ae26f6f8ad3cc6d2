"""mypy: the number of type errors, under the project's own configuration."""

from __future__ import annotations

from prodready.score.execute import run_tool
from prodready.score.interface import Status, ToolResult
from prodready.score.tools import Context, Metric, stopped, tool

NO_TARGET = "Missing target module, package, files, or command"


@tool(
    "mypy",
    ("mypy",),
    "pip install mypy",
    metrics=(Metric("types.errors", "type errors", 0, at_most=True),),
    rank=30,
)
def run(ctx: Context) -> ToolResult:
    base = [
        ctx.python,
        "-I",  # isolated: the project folder is not on sys.path (its plug-ins still load)
        "-m",
        "mypy",
        "--no-incremental",
        "--no-error-summary",
        "--show-error-codes",
    ]
    done = run_tool(base, ctx.root, ctx.timeout)
    command = base
    if done.returncode is not None and NO_TARGET in done.stderr + done.stdout:
        command = [*base, *ctx.sources]  # no `files` setting: check the project's code
        done = run_tool(command, ctx.root, ctx.timeout)
    shown = " ".join(command[1:])
    if done.returncode is None:
        return stopped("mypy", done.seconds, shown)
    errors = sum(1 for line in done.stdout.splitlines() if ": error:" in line)
    if done.returncode not in (0, 1) or (done.returncode == 1 and not errors):
        return ToolResult(
            "mypy",
            Status.ERROR,
            {},
            (done.stderr or done.stdout).strip()[-300:],
            done.seconds,
            shown,
        )
    return ToolResult("mypy", Status.OK, {"types.errors": errors}, "", done.seconds, shown)
