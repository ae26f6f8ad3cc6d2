"""Fixes for TYPE rules: the type checker's target Python and the pydantic plug-in."""

from __future__ import annotations

import tomlkit

from prodready.edits.settings import current, set_setting
from prodready.edits.workspace import Workspace
from prodready.findings import Finding
from prodready.fixes import fixer
from prodready.project import Project
from prodready.project.toolconfig import ToolConfig
from prodready.rules.type import mypy_min_target, mypy_release


def _version(ws: Workspace, config: ToolConfig, key: str, minor: tuple[int, int]) -> None:
    text = f"{minor[0]}.{minor[1]}"
    set_setting(ws, config, key, text, text)


@fixer("TYPE002")
def mypy_supported_target(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """python_version becomes the oldest Python both the project and its mypy support."""
    if p.tools.mypy is None:
        return
    oldest = mypy_min_target(mypy_release(p))
    wanted = max(oldest, p.packaging.min_python) if p.packaging.min_python else oldest
    _version(ws, p.tools.mypy, "python_version", wanted)


@fixer("TYPE003")
def checker_target(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """mypy's python_version and pyright's pythonVersion follow requires-python."""
    if p.packaging.min_python is None:
        return
    keys = {str(f.data[0]) for f in findings if f.data}
    if p.tools.mypy is not None and "python_version" in keys:
        oldest = mypy_min_target(mypy_release(p))
        if (
            p.packaging.min_python >= oldest
        ):  # an older target is TYPE002's business, not this rule's
            _version(ws, p.tools.mypy, "python_version", p.packaging.min_python)
    if p.tools.pyright is not None and "pythonVersion" in keys:
        _version(ws, p.tools.pyright, "pythonVersion", p.packaging.min_python)


@fixer("TYPE005")
def pydantic_plugin(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Adds `pydantic.mypy` to mypy's plugins, after any already listed."""
    config = p.tools.mypy
    if config is None:
        return
    plugins = current(ws, config, "plugins")
    if config.doc is None:
        listed = [n.strip() for n in str(plugins or "").replace("\n", ",").split(",") if n.strip()]
        set_setting(ws, config, "plugins", None, ", ".join([*listed, "pydantic.mypy"]))
    elif isinstance(plugins, list):
        plugins.append("pydantic.mypy")
    else:
        names = [n.strip() for n in str(plugins).split(",") if n.strip()] if plugins else []
        array = tomlkit.array()
        array.extend([*names, "pydantic.mypy"])
        set_setting(ws, config, "plugins", array, "")
