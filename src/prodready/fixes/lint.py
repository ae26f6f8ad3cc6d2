"""Fixes for LINT rules: ruff's settings where ruff reads them, and its target version."""

from __future__ import annotations

from prodready.edits import tomledit
from prodready.edits.workspace import Workspace
from prodready.findings import Finding
from prodready.fixes import fixer
from prodready.project import Project
from prodready.rules.lint import RUFF_LINT_KEYS

# Framework distribution -> (base classes, decorators) ruff's TC rules must treat as evaluated
# at run time. typer and FastAPI register functions through instances (`@app.command()`),
# which ruff's settings cannot name, so they contribute nothing here.
RUNTIME_EVALUATED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "pydantic": (("pydantic.BaseModel",), ("pydantic.validate_call",)),
    "pydantic-settings": (("pydantic_settings.BaseSettings",), ()),
    "sqlalchemy": (("sqlalchemy.orm.DeclarativeBase",), ()),
    "sqlmodel": (("sqlmodel.SQLModel",), ()),
    "msgspec": (("msgspec.Struct",), ()),
}


@fixer("LINT002")
def ruff_lint_table(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Moves each top-level lint setting (with its comments) into the `lint` table; a key the
    `lint` table already holds is left for the user to merge."""
    config = p.tools.ruff
    if config is None or config.doc is None:
        return
    doc = ws.toml(config.path)
    ruff = tomledit.find_table(doc, *config.base)
    if ruff is None:
        return
    keys = [k for k in ruff if k in RUFF_LINT_KEYS]
    lint = tomledit.table(doc, *config.base, "lint")
    for key in keys:
        if key not in lint:
            tomledit.move(ruff, lint, key)


@fixer("LINT003")
def ruff_target(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """target-version follows requires-python."""
    config = p.tools.ruff
    if config is None or config.doc is None or p.packaging.min_python is None:
        return
    table = tomledit.find_table(ws.toml(config.path), *config.base)
    if table is not None:
        tomledit.set_value(table, "target-version", f"py3{p.packaging.min_python[1]}")


@fixer("LINT007")
def runtime_evaluated(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Names the frameworks' base classes and decorators in ruff's flake8-type-checking table."""
    config = p.tools.ruff
    if config is None or config.doc is None:
        return
    names = {d.name for d in p.packaging.runtime_deps}
    bases = [b for name, (bs, _) in RUNTIME_EVALUATED.items() if name in names for b in bs]
    decorators = [d for name, (_, ds) in RUNTIME_EVALUATED.items() if name in names for d in ds]
    if not bases and not decorators:
        return
    table = tomledit.table(ws.toml(config.path), *config.base, "lint", "flake8-type-checking")
    if bases:
        table["runtime-evaluated-base-classes"] = bases
    if decorators:
        table["runtime-evaluated-decorators"] = decorators
