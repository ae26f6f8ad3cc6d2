"""Where a project keeps its development dependencies, and adding one there."""

from __future__ import annotations

import re

from prodready.edits import tomledit
from prodready.edits.workspace import Workspace
from prodready.project import Project

GROUP_NAMES = ("test", "tests", "testing", "dev")
REQUIREMENT_FILES = (
    "requirements-dev.txt",
    "requirements-test.txt",
    "dev-requirements.txt",
    "test-requirements.txt",
    "requirements/dev.txt",
    "requirements/test.txt",
)


def dev_array(p: Project, ws: Workspace) -> object | None:
    """The TOML array of the project's test or development dependencies: a `[dependency-groups]`
    group, else an extra, else a new `dev` group (None without a `[project]` table)."""
    if not p.packaging.has_project_table:
        return None
    doc = ws.toml("pyproject.toml")
    for keys in (
        *(("dependency-groups", name) for name in GROUP_NAMES),
        *(("project", "optional-dependencies", name) for name in GROUP_NAMES),
    ):
        found = tomledit.find(doc, *keys)
        if isinstance(found, list):
            return found
    if any(p.repo.exists(path) for path in REQUIREMENT_FILES):
        return None
    groups = tomledit.table(doc, "dependency-groups")
    groups["dev"] = []
    created: object = groups["dev"]
    return created


def _poetry_table(p: Project, ws: Workspace) -> object | None:
    """Poetry's development dependency table (`[tool.poetry.group.<dev|test>.dependencies]`, or
    the older `[tool.poetry.dev-dependencies]`), for projects that keep them there."""
    if p.repo.pyproject is None or not isinstance(p.repo.pyproject.get("tool", "poetry"), dict):
        return None
    doc = ws.toml("pyproject.toml")
    for keys in (
        *(("tool", "poetry", "group", name, "dependencies") for name in GROUP_NAMES),
        ("tool", "poetry", "dev-dependencies"),
    ):
        found = tomledit.find(doc, *keys)
        if isinstance(found, dict):
            return found
    return None


def add_dev_requirement(p: Project, ws: Workspace, requirement: str) -> bool:
    """Add a requirement where the project lists its development tools; False if nowhere."""
    poetry = _poetry_table(p, ws)
    if isinstance(poetry, dict):
        name = re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0]
        poetry.setdefault(name, requirement[len(name) :].strip() or "*")
        return True
    array = dev_array(p, ws)
    if isinstance(array, list):
        array.append(requirement)
        return True
    for path in REQUIREMENT_FILES:
        text = ws.read(path) if p.repo.exists(path) else None
        if text is not None:
            ws.write(
                path, text + ("" if text.endswith("\n") or not text else "\n") + requirement + "\n"
            )
            return True
    return False
