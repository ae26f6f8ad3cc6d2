"""A clean install of the project's core (no extras) into a new virtual environment: how long
it takes and how much it puts on disk."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from prodready.findings import Kind
from prodready.score.execute import run_tool
from prodready.score.interface import Status, ToolResult
from prodready.score.tools import Context, Metric, stopped, tool


@tool(
    "install",
    (),
    "",
    metrics=(Metric("install.seconds", "clean install (s)", 30.0, at_most=True),),
    rank=70,
    required=frozenset({Kind.LIBRARY}),  # a library is installed by others
)
def run(ctx: Context) -> ToolResult:
    env = ctx.scratch / "install-venv"
    made = run_tool([ctx.python, "-m", "venv", "--without-pip", str(env)], ctx.root, ctx.timeout)
    python = env / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    if made.returncode != 0 or not python.exists():
        return ToolResult(
            "install", Status.ERROR, {}, "could not make a virtual environment", made.seconds
        )
    empty = _size(env)
    # The project's own pip installs into the new environment (`--python`, pip >= 22.3), so the
    # figures are the project's: no pip of its own in the size, no pip bootstrap in the time.
    command = [
        ctx.python,
        "-m",
        "pip",
        "--python",
        str(python),
        "install",
        "--quiet",
        "--disable-pip-version-check",
        ".",
    ]
    done = run_tool(command, ctx.root, ctx.timeout)
    shown = "pip install . (into a new virtual environment)"
    if done.returncode is None:
        return stopped("install", done.seconds, shown)
    if done.returncode != 0:
        return ToolResult(
            "install", Status.OK, {"install.ok": 0}, done.stderr.strip()[-200:], done.seconds, shown
        )
    metrics = {
        "install.ok": 1.0,
        "install.seconds": round(done.seconds, 2),
        "install.megabytes": round((_size(env) - empty) / 1e6, 2),
    }
    return ToolResult("install", Status.OK, metrics, "", made.seconds + done.seconds, shown)


def _size(folder: Path) -> int:
    total = 0
    for base, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(base, name)).st_size
            except OSError:
                continue
    return total
