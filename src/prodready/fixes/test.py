"""Fixes for TEST rules: the plug-ins addopts needs, registered markers, --strict-markers."""

from __future__ import annotations

from prodready.edits.devdeps import add_dev_requirement
from prodready.edits.settings import current, set_setting
from prodready.edits.workspace import Workspace
from prodready.findings import Finding
from prodready.fixes import fixer
from prodready.project import Project
from prodready.project.toolconfig import ToolConfig


@fixer("TEST003")
def addopts_plugins(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Declares each plug-in that addopts needs as a development dependency."""
    for plugin in sorted({str(f.data[0]) for f in findings if f.data}):
        add_dev_requirement(p, ws, plugin)


@fixer("TEST004")
def markers(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Registers the markers the tests use and turns on --strict-markers."""
    config = p.tools.pytest
    if config is None:
        return
    names = sorted({str(f.data[1]) for f in findings if f.data[:1] == ("register",)})
    if names:
        _register(ws, config, names)
    if any(f.data == ("strict",) for f in findings):
        _strict(ws, config)


def _register(ws: Workspace, config: ToolConfig, names: list[str]) -> None:
    existing = current(ws, config, "markers")
    if config.doc is not None:
        if isinstance(existing, list):
            existing.extend(names)
        else:
            set_setting(ws, config, "markers", names, "")
        return
    lines = [line for line in str(existing or "").splitlines() if line.strip()]
    set_setting(
        ws, config, "markers", None, "\n".join(["", *lines, *names]).replace("\n", "\n    ")
    )


def _strict(ws: Workspace, config: ToolConfig) -> None:
    existing = current(ws, config, "addopts")
    if isinstance(existing, list):
        existing.append("--strict-markers")
    elif existing:
        value = f"{existing} --strict-markers"
        set_setting(ws, config, "addopts", value, value)
    else:
        set_setting(ws, config, "addopts", "--strict-markers", "--strict-markers")
