"""Fixes for DEP rules: development tools out of the runtime dependencies."""

from __future__ import annotations

from prodready.edits import tomledit
from prodready.edits.devdeps import add_dev_requirement, dev_array
from prodready.edits.workspace import Workspace
from prodready.findings import Finding
from prodready.fixes import fixer
from prodready.project import Project
from prodready.project.requirements import canonical


@fixer("DEP006")
def dev_tools_out_of_runtime(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Moves each reported tool from `[project] dependencies` to the development group (the
    requirement string unchanged)."""
    names = {canonical(str(name)) for f in findings for name in f.data}
    doc = ws.toml("pyproject.toml")
    runtime = tomledit.find(doc, "project", "dependencies")
    if not isinstance(runtime, list):
        return
    target = dev_array(p, ws)
    for requirement in [r for r in runtime if _name(str(r)) in names]:
        listed = isinstance(target, list) and any(
            _name(str(r)) == _name(str(requirement)) for r in target
        )
        if listed or add_dev_requirement(p, ws, str(requirement)):
            runtime.remove(requirement)


def _name(requirement: str) -> str:
    import re

    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return canonical(match.group(1)) if match else ""
