"""`score --isolated`: a throwaway virtual environment holding the project and its development
dependencies, for a project that has no environment of its own (the tools then never run in
prodready's environment, where the project's imports would fail or find the wrong packages)."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from prodready.errors import UsageError
from prodready.score.execute import run_tool
from prodready.score.run import python_in

DEV = "dev"  # the extra and the dependency group `--isolated` installs


@contextmanager
def throwaway_environment(root: Path, timeout: float) -> Iterator[str]:
    """Yield the interpreter of a new virtual environment in a temporary folder, into which
    pip has installed the project (editable, with its `dev` extra if it declares one) and its
    `dev` dependency group; the folder is removed on exit. A step that fails is one line of
    error (exit 2), with the last line the step wrote."""
    with tempfile.TemporaryDirectory(prefix="prodready-isolated-") as folder:
        environment = Path(folder) / "venv"
        made = run_tool([sys.executable, "-m", "venv", str(environment)], root, timeout)
        python = python_in(environment)
        if made.returncode != 0 or not python.exists():
            raise UsageError(f"--isolated: cannot make a virtual environment: {_last(made.stderr)}")
        command = [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *install_arguments(root),
        ]
        done = run_tool(command, root, timeout)
        if done.returncode != 0:
            raise UsageError(f"--isolated: pip cannot install the project: {_last(done.stderr)}")
        yield str(python)


def install_arguments(root: Path) -> list[str]:
    """What pip installs: the project in editable mode, with its `dev` extra when it has one,
    and the requirements of its `dev` dependency group (PEP 735, read here so that any pip
    will do). A group entry that would read as an option is left out."""
    pyproject = _pyproject(root)
    project = pyproject.get("project")
    extras = project.get("optional-dependencies") if isinstance(project, dict) else None
    target = f".[{DEV}]" if isinstance(extras, dict) and DEV in extras else "."
    group = _group(pyproject.get("dependency-groups"), DEV, set())
    return ["-e", target, *(r for r in group if not r.startswith("-"))]


def _group(groups: object, name: str, seen: set[str]) -> list[str]:
    """A dependency group's requirements, those of the groups it includes with them."""
    if not isinstance(groups, dict) or name in seen or not isinstance(groups.get(name), list):
        return []
    seen.add(name)
    found: list[str] = []
    for entry in groups[name]:
        if isinstance(entry, str):
            found.append(entry)
        elif isinstance(entry, dict) and isinstance(entry.get("include-group"), str):
            found.extend(_group(groups, entry["include-group"], seen))
    return found


def _pyproject(root: Path) -> dict[str, Any]:
    """The project's pyproject.toml as data; empty when it is missing or does not parse."""
    from prodready.project.tomldoc import TomlDoc
    from prodready.safeio import Unreadable, read_bytes

    try:
        text = read_bytes(root.resolve(), "pyproject.toml").decode("utf-8-sig")
    except (Unreadable, UnicodeDecodeError):
        return {}
    data = TomlDoc.parse("pyproject.toml", text).data
    return data if isinstance(data, dict) else {}


def _last(text: str) -> str:
    """The last line a failed step wrote."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"
