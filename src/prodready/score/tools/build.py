"""build: an sdist and a wheel in an isolated environment, then twine's metadata and README
render check of both."""

from __future__ import annotations

from prodready.findings import Kind
from prodready.score.execute import run_tool
from prodready.score.interface import Status, ToolResult
from prodready.score.tools import Context, Metric, stopped, tool


@tool(
    "build",
    ("build", "twine"),
    "pip install build twine",
    metrics=(Metric("build.ok", "sdist and wheel build and render", 1),),
    rank=60,
    required=frozenset({Kind.LIBRARY}),  # a library is published: its build must render
)
def run(ctx: Context) -> ToolResult:
    out = ctx.scratch / "dist"
    command = [ctx.python, "-m", "build", "--outdir", str(out), "."]
    done = run_tool(command, ctx.root, ctx.timeout)
    shown = "python -m build && twine check dist/*"
    if done.returncode is None:
        return stopped("build", done.seconds, shown)
    built = sorted(str(p) for p in out.glob("*")) if out.exists() else []
    if done.returncode != 0 or not built:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
        return ToolResult(
            "build", Status.OK, {"build.ok": 0}, f"build failed: {tail[0]}", done.seconds, shown
        )
    check = run_tool([ctx.python, "-m", "twine", "check", *built], ctx.root, ctx.timeout)
    rendered = check.returncode == 0
    detail = (
        ""
        if rendered
        else check.stdout.strip().splitlines()[-1:][0]
        if check.stdout.strip()
        else "twine check failed"
    )
    return ToolResult(
        "build",
        Status.OK,
        {"build.ok": 1 if rendered else 0},
        detail,
        done.seconds + check.seconds,
        shown,
    )
