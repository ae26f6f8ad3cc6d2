"""Unsafe fixes for CODE rules, made on the syntax tree with libcst so that every comment and
every line the fix does not touch stays as written."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prodready.edits import tomledit
from prodready.edits.workspace import Workspace
from prodready.findings import Finding
from prodready.fixes import fixer
from prodready.project import Project

if TYPE_CHECKING:
    import libcst

# libcst takes seconds a megabyte (and deep nesting costs it more): larger modules are left.
MAX_EDITED_SOURCE = 1_000_000


@fixer("CODE001")
def runtime_imports(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Moves each import a framework needs at run time out of `if TYPE_CHECKING:`, to just
    above that block."""
    wanted: dict[str, set[str]] = {}
    for finding in findings:
        if finding.path and finding.data:
            wanted.setdefault(finding.path, set()).add(str(finding.data[0]))
    for path, names in sorted(wanted.items()):
        text = ws.read(path)
        if text is not None:
            ws.write(path, _hoist(text, names))


def _parse(text: str) -> libcst.Module:
    """The module as libcst's tree, unless it is too large to edit in reasonable time."""
    import libcst as cst

    if len(text) > MAX_EDITED_SOURCE:
        raise ValueError(f"larger than {MAX_EDITED_SOURCE // 1000} kB: too large to edit safely")
    return cst.parse_module(text)


def _hoist(text: str, names: set[str]) -> str:
    import libcst as cst

    module = _parse(text)
    body: list[Any] = []
    for statement in module.body:
        if isinstance(statement, cst.If) and _is_type_checking(statement.test):
            moved, kept = _split(statement.body.body, names)
            body.extend(moved)
            if moved:
                block = kept or [cst.SimpleStatementLine([cst.Pass()])]
                body.append(statement.with_changes(body=statement.body.with_changes(body=block)))
                continue
        body.append(statement)
    return module.with_changes(body=body).code


def _is_type_checking(test: Any) -> bool:
    import libcst as cst

    if isinstance(test, cst.Attribute):
        return test.attr.value == "TYPE_CHECKING"
    return isinstance(test, cst.Name) and test.value == "TYPE_CHECKING"


def _split(statements: Any, names: set[str]) -> tuple[list[Any], list[Any]]:
    """(import statements binding `names`, the block's statements without those names)."""
    import libcst as cst

    moved: list[Any] = []
    kept: list[Any] = []
    for statement in statements:
        inner = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if not isinstance(inner, cst.Import | cst.ImportFrom) or isinstance(
            inner.names, cst.ImportStar
        ):
            kept.append(statement)
            continue
        hit = [a for a in inner.names if _bound(a) in names]
        rest = [a for a in inner.names if _bound(a) not in names]
        if not hit:
            kept.append(statement)
            continue
        split_off = _with_names(statement, inner, hit).with_changes(leading_lines=())
        moved.append(_without_comment(split_off) if rest else split_off)
        if rest:
            kept.append(_with_names(statement, inner, rest))
    return moved, kept


def _bound(alias: Any) -> str:
    """The name an import alias binds."""
    import libcst as cst

    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return str(alias.asname.name.value)
    code = cst.Module([]).code_for_node(alias.name)
    return code.split(".")[0]


def _with_names(statement: Any, inner: Any, aliases: list[Any]) -> Any:
    import libcst as cst

    last = aliases[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    changed = inner.with_changes(names=[*aliases[:-1], last])
    if isinstance(inner, cst.ImportFrom) and inner.lpar is not None and len(aliases) == 1:
        changed = changed.with_changes(lpar=None, rpar=None)
    return statement.with_changes(body=[changed])


def _without_comment(statement: Any) -> Any:
    """A statement split off another line: the line's comment stays with the original."""
    import libcst as cst

    return statement.with_changes(trailing_whitespace=cst.TrailingWhitespace())


@fixer("CODE002")
def pydantic_settings(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Imports BaseSettings from pydantic-settings and declares that package if missing."""
    for path in sorted({f.path for f in findings if f.path}):
        text = ws.read(path)
        if text is not None:
            ws.write(path, _settings_import(text))
    declared = {d.name for d in p.packaging.runtime_deps}
    if "pydantic-settings" not in declared and p.packaging.has_project_table:
        dependencies = tomledit.find(ws.toml("pyproject.toml"), "project", "dependencies")
        if isinstance(dependencies, list):
            dependencies.append("pydantic-settings>=2")


def _settings_import(text: str) -> str:
    import libcst as cst

    module = _parse(text)
    body: list[Any] = []
    for statement in module.body:
        inner = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if (
            isinstance(inner, cst.ImportFrom)
            and not isinstance(inner.names, cst.ImportStar)
            and inner.module is not None
            and cst.Module([]).code_for_node(inner.module) == "pydantic"
            and not inner.relative
        ):
            hit = [a for a in inner.names if cst.Module([]).code_for_node(a.name) == "BaseSettings"]
            rest = [a for a in inner.names if a not in hit]
            if hit:
                moved = _with_names(statement, inner, hit)
                moved = moved.with_changes(
                    body=[moved.body[0].with_changes(module=cst.Name("pydantic_settings"))]
                )
                if rest:
                    body.append(_with_names(statement, inner, rest))
                    moved = _without_comment(moved.with_changes(leading_lines=()))
                body.append(moved)
                continue
        body.append(statement)
    return module.with_changes(body=body).code
