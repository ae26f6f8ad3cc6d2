"""Which release of a tool a project says it runs: its pre-commit hook's `rev`, a bound on the
dependency, or a pin in a requirements file (read by the rules whose advice depends on it)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from prodready.digits import number
from prodready.project.packaging import hatch_envs

if TYPE_CHECKING:
    from prodready.project import Project

_VERSION = re.compile(r"(\d+)\.(\d+)")


def major_minor(value: object) -> tuple[int, int] | None:
    """`(1, 10)` for `1.10`, `v1.10.2`, `1.10rc1`; None when the text starts with no version."""
    match = _VERSION.match(str(value).lstrip("v")) if value is not None else None
    return (number(match.group(1)), number(match.group(2))) if match else None


def known_release(
    p: Project, tool: str, hook_repository: str, *, exact: bool = False
) -> tuple[int, int] | None:
    """The release of `tool` the project says it runs: the `rev` of its pre-commit hook (a
    repository whose address holds `hook_repository`), a dependency bound (only `==` when
    `exact`), or a pin in a requirements file; None when nothing says."""
    data = p.precommit.doc.data if p.precommit.doc else None
    repos = data.get("repos") if isinstance(data, dict) else None
    for repo in repos if isinstance(repos, list) else []:
        if isinstance(repo, dict) and hook_repository in str(repo.get("repo", "")):
            found = major_minor(repo.get("rev", ""))
            if found:
                return found
    groups = (*p.packaging.optional_deps.values(), *p.packaging.dependency_groups.values())
    for deps in (p.packaging.runtime_deps, *groups):
        for dep in deps:
            if dep.name == tool:
                ops = ("==",) if exact else ("==", ">=", "~=")
                bounds = [version for op, version in dep.specs if op in ops]
                found = major_minor(bounds[0]) if bounds else None
                if found:
                    return found
    pinned = re.compile(rf"^\s*{re.escape(tool)}\s*==\s*(\d+\.\d+)", re.M | re.I)
    texts = [p.repo.read(path) or "" for path in p.packaging.requirements_paths]
    texts += _hatch_requirements(p)  # `ruff==0.0.252` in `[tool.hatch.envs.test]`
    for text in texts:
        match = pinned.search(text)
        if match:
            return major_minor(match.group(1))
    return None


def _hatch_requirements(p: Project) -> list[str]:
    """The requirement strings of the project's Hatch environments."""
    envs = hatch_envs(p.repo.pyproject.data if p.repo.pyproject else {})
    found: list[str] = []
    for env in envs.values():
        for key in ("dependencies", "extra-dependencies"):
            values = env.get(key) if isinstance(env, dict) else None
            found += [str(v) for v in values] if isinstance(values, list) else []
    return found
