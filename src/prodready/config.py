"""`[tool.prodready]` and the command-line options that override it, as validated settings.

pydantic is imported only when the table exists, so audits of other projects start fast.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
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


class OptOut(NamedTuple):
    """A repository's ignore of a rule that the organisation's policy selects: honoured only
    when it gives a reason; without one the rule still runs."""

    code: str
    reason: str
    honoured: bool


class Settings(NamedTuple):
    """Everything that decides which rules run and what counts as failure."""

    kind: Kind | None = None
    kind_reason: str = ""
    select: tuple[str, ...] = ("ALL",)
    ignore: Mapping[str, str] = NOTHING
    fail_on: Severity = Severity.WARNING
    per_path_ignores: Mapping[str, Mapping[str, str]] = NOTHING
    optouts: tuple[OptOut, ...] = ()  # under a policy: the repository's ignores of its rules

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


def load_settings(
    pyproject: TomlDoc | None, policy: Settings | None = None, codes: Collection[str] = ()
) -> Settings:
    """Read and validate `[tool.prodready]`; raise `ConfigError` naming the key that is wrong.

    With an organisation's `policy` (see `load_policy`), the repository's settings extend it:
    see `extend`; `codes` are the rules known, to tell which ignores opt out of the policy."""
    table = pyproject.get("tool", "prodready") if pyproject is not None else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError("pyproject.toml: [tool.prodready] must be a table")
    own = settings_from_table(table) if table is not None else Settings()
    if policy is None:
        return own
    return extend(policy, table or {}, own, codes)


def load_policy(table: Mapping[str, Any], where: str = "policy") -> Settings:
    """An organisation's policy: a table shaped like `[tool.prodready]`, validated the same way."""
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: the policy must be a table")
    settings = settings_from_table(dict(table), where)
    return settings._replace(kind_reason="set in the organisation's policy")


def read_policy(path: Path) -> str:
    """The policy file's `[tool.prodready]`-shaped table, validated as a repository's would be,
    as canonical JSON: the same policy gives the same configuration hash however it is written,
    and a changed one audits every repository again."""
    import json
    import tomllib

    from prodready.errors import UsageError
    from prodready.rules import load_rules
    from prodready.selection import validate_selectors

    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"--policy {path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"--policy {path}: not TOML ({exc})") from None
    tool = table.get("tool")
    if isinstance(tool, dict) and "prodready" in tool:
        table = tool["prodready"]
    elif path.name == "pyproject.toml" or "tool" in table:
        raise UsageError(f"--policy {path}: no [tool.prodready] table")
    where = f"policy {path}"
    try:
        policy = load_policy(table, where)
        for selectors, key in ((policy.select, "select"), (policy.ignore, "ignore")):
            validate_selectors(selectors, load_rules(), f"{where} {key}")
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    return json.dumps(table, sort_keys=True, ensure_ascii=False)


def settings_from_table(
    table: dict[str, Any], where: str = "pyproject.toml [tool.prodready]"
) -> Settings:
    """One validated `[tool.prodready]` table as settings."""
    from prodready.config_model import validate

    model = validate(table, where)
    if len(model.per_path_ignores) > MAX_GLOBS:
        raise ConfigError(f"{where} per-path-ignores: more than {MAX_GLOBS} patterns")
    long = next((g for g in model.per_path_ignores if len(g) > MAX_GLOB_LENGTH), None)
    if long is not None:
        raise ConfigError(
            f"{where} per-path-ignores: a pattern longer than {MAX_GLOB_LENGTH} characters"
        )
    return Settings(
        kind=Kind(model.kind) if model.kind else None,
        kind_reason="set in [tool.prodready]",
        select=tuple(model.select) if model.select is not None else ("ALL",),
        ignore=_reasons(model.ignore),
        fail_on=Severity.parse(model.fail_on),
        per_path_ignores={glob: _reasons(codes) for glob, codes in model.per_path_ignores.items()},
    )


def extend(
    policy: Settings, table: Mapping[str, Any], own: Settings, codes: Collection[str]
) -> Settings:
    """A repository's settings (`own`, read from `table`) extending the organisation's policy.

    The repository's `select` adds to the policy's; its `kind` and `fail-on`, when it gives
    them, replace the policy's; its ignores and per-path ignores add to the policy's. An ignore
    that covers a rule the policy selects is an opt-out: honoured with a reason, and without
    one not honoured (the rule still runs); both are recorded in `optouts`."""
    chosen = [c for c in codes if is_selected_by(c, policy)]
    ignore = dict(policy.ignore)
    optouts: list[OptOut] = []
    for code, reason in own.ignore.items():
        if any(code == "ALL" or c.startswith(code) for c in chosen):
            optouts.append(OptOut(code, reason, bool(reason)))
            if not reason:
                continue
        ignore[code] = reason
    paths = {glob: dict(ignored) for glob, ignored in policy.per_path_ignores.items()}
    for glob, ignored in own.per_path_ignores.items():
        paths.setdefault(glob, {}).update(ignored)
    given = set(table)
    return Settings(
        kind=own.kind if "kind" in given else policy.kind,
        kind_reason=own.kind_reason if "kind" in given else policy.kind_reason,
        select=tuple(dict.fromkeys((*policy.select, *own.select)))
        if "select" in given
        else policy.select,
        ignore=ignore,
        fail_on=own.fail_on if given & {"fail-on", "fail_on"} else policy.fail_on,
        per_path_ignores=paths,
        optouts=tuple(optouts),
    )


def is_selected_by(code: str, settings: Settings) -> bool:
    """True when the settings run the rule `code`."""
    from prodready.selection import is_selected

    return is_selected(code, settings.select, settings.ignore)


def _reasons(value: dict[str, str] | list[str]) -> dict[str, str]:
    """Ignores as code → reason; the list form carries no reasons, which CFG001 reports."""
    if isinstance(value, list):
        return dict.fromkeys(value, "")
    return {code: reason.strip() for code, reason in value.items()}
