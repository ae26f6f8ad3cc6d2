"""`[tool.prodready]` and the command-line options that override it, as validated settings.

pydantic is imported only when the table exists, so audits of other projects start fast.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from prodready.errors import ConfigError
from prodready.findings import Kind, Severity

if TYPE_CHECKING:
    from prodready.project.tomldoc import TomlDoc


NOTHING: Mapping[str, Any] = MappingProxyType({})
# Bounds on per-path-ignores: each finding is held against every pattern.
MAX_GLOBS = 1000
MAX_GLOB_LENGTH = 500


class Settings(NamedTuple):
    """Everything that decides which rules run and what counts as failure."""

    kind: Kind | None = None
    kind_reason: str = ""
    select: tuple[str, ...] = ("ALL",)
    ignore: Mapping[str, str] = NOTHING
    fail_on: Severity = Severity.WARNING
    per_path_ignores: Mapping[str, Mapping[str, str]] = NOTHING

    def with_overrides(
        self,
        *,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        kind: Kind | None = None,
        fail_on: Severity | None = None,
    ) -> Settings:
        """These settings with command-line options applied: select replaces, ignore extends."""
        changes: dict[str, Any] = {}
        if select:
            changes["select"] = tuple(select)
        if ignore:
            changes["ignore"] = {
                **self.ignore,
                **dict.fromkeys(ignore, "ignored on the command line"),
            }
        if kind is not None:
            changes["kind"], changes["kind_reason"] = kind, "set on the command line"
        if fail_on is not None:
            changes["fail_on"] = fail_on
        return self._replace(**changes)


def load_settings(pyproject: TomlDoc | None) -> Settings:
    """Read and validate `[tool.prodready]`; raise `ConfigError` naming the key that is wrong."""
    table = pyproject.get("tool", "prodready") if pyproject is not None else None
    if table is None:
        return Settings()
    if not isinstance(table, dict):
        raise ConfigError("pyproject.toml: [tool.prodready] must be a table")
    from prodready.config_model import validate

    model = validate(table)
    if len(model.per_path_ignores) > MAX_GLOBS:
        raise ConfigError(
            f"pyproject.toml [tool.prodready.per-path-ignores]: more than {MAX_GLOBS} patterns"
        )
    long = next((g for g in model.per_path_ignores if len(g) > MAX_GLOB_LENGTH), None)
    if long is not None:
        raise ConfigError(
            "pyproject.toml [tool.prodready.per-path-ignores]: a pattern longer than "
            f"{MAX_GLOB_LENGTH} characters"
        )
    return Settings(
        kind=Kind(model.kind) if model.kind else None,
        kind_reason="set in [tool.prodready]",
        select=tuple(model.select) if model.select is not None else ("ALL",),
        ignore=_reasons(model.ignore),
        fail_on=Severity.parse(model.fail_on),
        per_path_ignores={glob: _reasons(codes) for glob, codes in model.per_path_ignores.items()},
    )


def _reasons(value: dict[str, str] | list[str]) -> dict[str, str]:
    """Ignores as code → reason; the list form carries no reasons, which CFG001 reports."""
    if isinstance(value, list):
        return dict.fromkeys(value, "")
    return {code: reason.strip() for code, reason in value.items()}
