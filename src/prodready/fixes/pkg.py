"""Fixes for PKG rules: the build-system table, the wheel's package list, py.typed markers."""

from __future__ import annotations

import json
import posixpath
import re

import tomlkit

from prodready.edits import tomledit
from prodready.edits.workspace import Workspace
from prodready.findings import Finding
from prodready.fixes import fixer
from prodready.project import Project

# pip's choice for a project without `[build-system]`: made explicit, nothing changes.
LEGACY_BACKEND = "setuptools.build_meta:__legacy__"
# build backend -> the requirement that provides it; a project's own tool table names its backend.
BACKENDS = {
    "setuptools.build_meta": "setuptools>=61",
    LEGACY_BACKEND: "setuptools>=40.8.0",
    "hatchling.build": "hatchling",
    "poetry.core.masonry.api": "poetry-core>=1",
    "flit_core.buildapi": "flit_core>=3.4",
    "pdm.backend": "pdm-backend",
    "maturin": "maturin>=1",
    "scikit_build_core.build": "scikit-build-core",
}
TOOL_BACKENDS = {
    "hatch": "hatchling.build",
    "poetry": "poetry.core.masonry.api",
    "flit": "flit_core.buildapi",
    "pdm": "pdm.backend",
    "maturin": "maturin",
    "scikit-build": "scikit_build_core.build",
}


@fixer("PKG002")
def build_system(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Completes `[build-system]`: without one pip builds with setuptools, so that is what an
    absent table means, unless a backend's own tool table or `requires` names another."""
    doc = ws.toml("pyproject.toml")
    table = tomledit.find_table(doc, "build-system")
    requires = table.get("requires") if table is not None else None
    backend = table.get("build-backend") if table is not None else None
    if backend is None:
        backend = _backend_from(requires, tomledit.find(doc, "tool"))
        if backend == "setuptools.build_meta" and requires is None and p.repo.exists("setup.py"):
            backend = LEGACY_BACKEND  # exactly what pip does today without the table
    if requires is None:
        requires = [BACKENDS.get(str(backend), "setuptools>=61")]
    if table is None:
        _prepend_table(ws, list(requires), str(backend))
        return
    if "requires" not in table:
        table["requires"] = requires
    if "build-backend" not in table:
        table["build-backend"] = backend


def _prepend_table(ws: Workspace, requires: list[str], backend: str) -> None:
    """Write `[build-system]` above the first table, as the packaging guide lays it out."""
    text = ws.read("pyproject.toml") or ""
    block = (
        "[build-system]\n"
        f"requires = [{', '.join(json.dumps(str(r)) for r in requires)}]\n"
        f"build-backend = {json.dumps(backend)}\n\n"
    )
    first = re.search(r"^\[", text, re.M)
    at = first.start() if first else len(text)
    ws.write("pyproject.toml", text[:at] + block + text[at:])


def _backend_from(requires: object, tools: object) -> str:
    names = [str(r).lower() for r in requires] if isinstance(requires, list) else []
    for backend, requirement in BACKENDS.items():
        if any(n.startswith(re.split(r"[<>=!~\[ ;]", requirement)[0].lower()) for n in names):
            return backend
    for tool, backend in TOOL_BACKENDS.items():
        if isinstance(tools, dict) and tool in tools:
            return backend
    return "setuptools.build_meta"


@fixer("PKG008")
def wheel_target(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Points the wheel at the importable packages the repository holds: hatch's `packages`, or
    setuptools' `packages.find` `where` / `package-dir`."""
    if not p.packaging.package_dirs:
        return
    if (p.packaging.build_backend or "").startswith("setuptools"):
        _setuptools_target(p, ws)
        return
    if p.packaging.build_backend != "hatchling.build":
        return
    wanted = sorted(
        folder for folder in p.packaging.package_dirs.values() if not folder.endswith(".py")
    ) or sorted(p.packaging.package_dirs.values())
    doc = ws.toml("pyproject.toml")
    wheel = tomledit.table(doc, "tool", "hatch", "build", "targets", "wheel")
    wheel["packages"] = wanted


def _setuptools_target(p: Project, ws: Workspace) -> None:
    folders = sorted(f for f in p.packaging.package_dirs.values() if not f.endswith(".py"))
    roots = sorted({posixpath.dirname(f) or "." for f in folders})
    doc = ws.toml("pyproject.toml")
    tool = tomledit.find_table(doc, "tool", "setuptools")
    if tool is None or not roots:
        return
    packages = tool.get("packages")
    if isinstance(packages, dict) and isinstance(packages.get("find"), dict):
        packages["find"]["where"] = roots  # discovery looked in the wrong folder
        return
    if isinstance(packages, list):
        names = {posixpath.basename(f) for f in folders}
        mapped = str(dict(tool.get("package-dir") or {}).get("", ""))
        if roots == ["src"] and not mapped and any(n in names for n in packages):
            mapping = tomlkit.inline_table()
            mapping[""] = "src"
            tool["package-dir"] = mapping
            return
        keep = [n for n in packages if str(n).split(".")[0] in names]
        if keep and len(keep) < len(packages):
            tool["packages"] = keep


@fixer("PKG012")
def py_typed(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Creates an empty `py.typed` beside each reported package's `__init__.py`."""
    for finding in findings:
        if finding.path:
            marker = posixpath.join(posixpath.dirname(finding.path), "py.typed")
            if ws.read(marker) is None:
                ws.write(marker, "")
