"""Which release of a tool a project says it runs: its pre-commit hook's `rev`, the release its
lock pins, a bound on the dependency, or a pin in a requirements file (read by the rules whose
advice depends on it, and for ruff's default selection)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from prodready.digits import CEILING, number
from prodready.project.packaging import hatch_envs

if TYPE_CHECKING:
    from prodready.project.packaging import Packaging
    from prodready.project.precommit import PreCommit
    from prodready.project.repository import Repository

_VERSION = re.compile(r"(\d+)\.(\d+)")


def major_minor(value: object) -> tuple[int, int] | None:
    """`(1, 10)` for `1.10`, `v1.10.2`, `1.10rc1`; None when the text starts with no version."""
    match = _VERSION.match(str(value).lstrip("v")) if value is not None else None
    return (number(match.group(1)), number(match.group(2))) if match else None


def release_in(
    repo: Repository,
    packaging: Packaging,
    precommit: PreCommit,
    tool: str,
    hook_repository: str,
    *,
    exact: bool = False,
) -> tuple[int, int] | None:
    """The release of `tool` the project says it runs: the `rev` of its pre-commit hook (a
    repository whose address holds `hook_repository`), a dependency bound (when `exact`, only
    `==` or an upper bound: `<=0.0.259` runs 0.0, `<0.16` a release before 0.16), the one
    release its lock pins, or a pin in a requirements file; None when nothing says."""
    data = precommit.doc.data if precommit.doc else None
    repos = data.get("repos") if isinstance(data, dict) else None
    for entry in repos if isinstance(repos, list) else []:
        if isinstance(entry, dict) and hook_repository in str(entry.get("repo", "")):
            found = major_minor(entry.get("rev", ""))
            if found:
                return found
    groups = (*packaging.optional_deps.values(), *packaging.dependency_groups.values())
    declared = [
        dep for deps in (packaging.runtime_deps, *groups) for dep in deps if dep.name == tool
    ]
    for dep in declared:
        found = _bound(dep.specs, exact)
        if found:
            return found
    locked = packaging.locked.get(tool) if packaging.lock_paths else None
    if locked is not None and len(locked.versions) == 1:  # when nothing above says
        return major_minor(next(iter(locked.versions)))
    pinned = re.compile(rf"^\s*{re.escape(tool)}\s*==\s*(\d+\.\d+)", re.M | re.I)
    texts = [repo.read(path) or "" for path in packaging.requirements_paths]
    texts += _hatch_requirements(repo)  # `ruff==0.0.252` in `[tool.hatch.envs.test]`
    for text in texts:
        match = pinned.search(text)
        if match:
            return major_minor(match.group(1))
    return None


def _bound(specs: tuple[tuple[str, str], ...], exact: bool) -> tuple[int, int] | None:
    """The release a requirement's specifiers say runs: its `==` (or, unless `exact`, its lower
    bound); when `exact`, an upper bound says the release is at most that one."""
    ops = ("==",) if exact else ("==", ">=", "~=")
    for op, version in specs:
        if op in ops:
            return major_minor(version)
    for op, version in specs if exact else ():
        found = major_minor(version)
        if op == "<=" and found:
            return found
        if op == "<" and found:
            major, minor = found
            return (major, minor - 1) if minor else (major - 1, CEILING)
    return None


def _hatch_requirements(repo: Repository) -> list[str]:
    """The requirement strings of the project's Hatch environments."""
    envs = hatch_envs(repo.pyproject.data if repo.pyproject else {})
    found: list[str] = []
    for env in envs.values():
        for key in ("dependencies", "extra-dependencies"):
            values = env.get(key) if isinstance(env, dict) else None
            found += [str(v) for v in values] if isinstance(values, list) else []
    return found
