"""Running the selected tools in parallel in the project's environment."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from prodready.errors import UsageError
from prodready.score.execute import run_tool
from prodready.score.interface import Status, ToolResult
from prodready.score.tools import Context, Tool, load_tools

PROBE = "import importlib.util as u, json, sys; print(json.dumps({m: u.find_spec(m) is not None for m in sys.argv[1:]}))"


def project_python(explicit: str | None, root: Path) -> str:
    """The interpreter of the project's environment: --python, the active virtual environment,
    the project's own `.venv`, else this one."""
    if explicit:
        return explicit
    active = os.environ.get("VIRTUAL_ENV")
    for folder in (Path(active) if active else None, root / ".venv"):
        if folder is not None:
            candidate = folder / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
            if candidate.exists():
                return str(candidate)
    return sys.executable


def run_all(
    root: Path, python: str, names: list[str], timeout: float, progress: bool
) -> list[ToolResult]:
    """Every selected tool at once; a missing one is "not run" with its install command."""
    tools = load_tools()
    unknown = [n for n in names if n not in tools]
    if unknown:
        raise UsageError(f"unknown tool {unknown[0]!r} (known: {', '.join(tools)})")
    selected = [tools[n] for n in names]
    available = _available(python, root, {m for t in selected for m in t.modules})
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


def _available(python: str, root: Path, modules: set[str]) -> dict[str, bool]:
    if not modules:
        return {}
    done = run_tool([python, "-I", "-c", PROBE, *sorted(modules)], root, 60)
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()[-1:] or ["it did not answer"]
        raise UsageError(f"cannot run the project's interpreter {python}: {reason[0]}")
    found: dict[str, bool] = json.loads(done.stdout)
    return found


def _layout(root: Path) -> tuple[str | None, list[str]]:
    """The import name of the project's package and the folders holding its code."""
    src = root / "src"
    base = src if src.is_dir() else root
    packages = sorted(
        p.name for p in base.iterdir() if (p / "__init__.py").is_file() and p.name != "tests"
    )
    sources = ["src"] if src.is_dir() else packages or ["."]
    return (packages[0] if packages else None), sources
