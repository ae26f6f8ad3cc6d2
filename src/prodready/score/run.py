"""Finding the project's environment, and running the selected tools in parallel in it."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from prodready.errors import UsageError
from prodready.score.execute import run_tool
from prodready.score.interface import Status, ToolResult
from prodready.score.tools import Context, Tool, load_tools

PROBE = "import importlib.util as u, json, platform, sys; print(json.dumps({'version': platform.python_version(), 'prefix': sys.prefix, 'modules': {m: u.find_spec(m) is not None for m in sys.argv[1:]}}))"


class Interpreter(NamedTuple):
    """The Python the tools run with, and where it was found (said before anything runs)."""

    path: str
    origin: str  # "--python", "the active virtual environment", "the project's .venv", ...


class Probe(NamedTuple):
    """What the interpreter says of itself: its version, whether it is prodready's own
    environment, and which of the tools' modules it can import."""

    version: str
    own: bool
    available: dict[str, bool]


def python_in(environment: Path) -> Path:
    """The interpreter of a virtual environment folder."""
    return environment / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def find_interpreter(explicit: str | None, root: Path) -> Interpreter | None:
    """The interpreter of the project's environment: --python, the active virtual environment,
    the project's `.venv`, or prodready's own environment when it lives inside the project.
    None when there is none: the caller must not fall back on prodready's own environment for
    tools that run the project's code, whose imports would fail there or, worse, pass."""
    if explicit:
        return Interpreter(explicit, "--python")
    active = os.environ.get("VIRTUAL_ENV")
    places = [(Path(active), "the active virtual environment")] if active else []
    for folder, origin in [*places, (root / ".venv", "the project's .venv")]:
        if python_in(folder).exists():
            return Interpreter(str(python_in(folder).absolute()), origin)
    own = Path(sys.prefix).resolve()
    if sys.prefix != sys.base_prefix and own.is_relative_to(root.resolve()):
        return Interpreter(sys.executable, "prodready's environment, inside the project")
    return None


def probe(python: str, root: Path, modules: set[str]) -> Probe:
    """Ask the interpreter for its version and prefix and which modules it can import; one
    line of error (exit 2) when it cannot be run."""
    done = run_tool([python, "-I", "-c", PROBE, *sorted(modules)], root, 60)
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()[-1:] or ["it did not answer"]
        raise UsageError(f"cannot run the project's interpreter {python}: {reason[0]}")
    answer = json.loads(done.stdout)
    own = Path(answer["prefix"]).resolve() == Path(sys.prefix).resolve()
    return Probe(str(answer["version"]), own, dict(answer["modules"]))


def run_all(
    root: Path,
    python: str,
    names: list[str],
    timeout: float,
    *,
    progress: bool,
    available: dict[str, bool],
) -> list[ToolResult]:
    """Every selected tool at once, with the interpreter `probe` asked (`available`: which
    modules it can import); a missing one is "not run" with its install command."""
    tools = load_tools()
    unknown = [n for n in names if n not in tools]
    if unknown:
        raise UsageError(f"unknown tool {unknown[0]!r} (known: {', '.join(tools)})")
    selected = [tools[n] for n in names]
    with tempfile.TemporaryDirectory(prefix="prodready-score-") as scratch:
        package, sources = _layout(root)
        jobs: dict[str, Future[ToolResult]] = {}
        results: dict[str, ToolResult] = {}
        done_count = [0]
        lock = threading.Lock()

        def one(tool: Tool) -> ToolResult:
            folder = Path(scratch) / tool.name
            folder.mkdir()
            result = tool.run(Context(root, python, timeout, folder, package, sources))
            with lock:
                done_count[0] += 1
                if progress:
                    sys.stderr.write(f"\r[{done_count[0]}/{len(jobs)}] {tool.name} done{' ' * 20}")
                    sys.stderr.flush()
            return result

        with ThreadPoolExecutor(max_workers=max(len(selected), 1)) as pool:
            for tool in selected:
                missing = [m for m in tool.modules if not available.get(m)]
                if missing:
                    results[tool.name] = ToolResult(
                        tool.name, Status.NOT_RUN, {}, f"not installed: {tool.install}"
                    )
                else:
                    jobs[tool.name] = pool.submit(one, tool)
            for name, job in jobs.items():
                results[name] = job.result()
        if progress and jobs:
            sys.stderr.write("\r" + " " * 40 + "\r")
    return [results[t.name] for t in selected]


def _layout(root: Path) -> tuple[str | None, list[str]]:
    """The import name of the project's package and the folders holding its code."""
    src = root / "src"
    base = src if src.is_dir() else root
    packages = sorted(
        p.name for p in base.iterdir() if (p / "__init__.py").is_file() and p.name != "tests"
    )
    sources = ["src"] if src.is_dir() else packages or ["."]
    return (packages[0] if packages else None), sources
