"""The interface for plug-in rules: a narrow, documented view of the audited project.

A plug-in rule is a function of a `ProjectView` that yields `Violation`s, registered with
`prodready.rule(...)` (this module's `rule`) in a module named by the `prodready.rules`
entry-point group of the plug-in's distribution (see docs/plugins.md). The view holds only what
is promised here; prodready's internal project model can change without breaking plug-ins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from prodready.findings import Kind, Violation
from prodready.rules import rule as register_rule

if TYPE_CHECKING:
    from prodready.project import Project

PluginCheck = Callable[["ProjectView"], Iterable[Violation]]


class ProjectView(NamedTuple):
    """What a plug-in rule may read of the audited repository. Nothing here runs its code.

    - `root`: the repository's folder.
    - `kind`: the project kind the audit applies (library, application, service).
    - `files`: every file of the repository as a POSIX path relative to `root`, sorted (git's
      tracked and untracked-but-not-ignored files in a work tree).
    - `python_files`: the `.py` files among them.
    - `metadata`: the `[project]` table of pyproject.toml (empty when absent).
    - `min_python`: the oldest Python `requires-python` admits, as (3, minor), or None.
    - `read(path)`: a file's text, or None when it is missing, binary, too large, not UTF-8 or a
      link out of the repository.
    - `toml(path)` / `yaml(path)`: the parsed data of a file, or None when it is missing or does
      not parse.
    """

    root: Path
    kind: Kind
    files: tuple[str, ...]
    python_files: tuple[str, ...]
    metadata: dict[str, Any]
    min_python: tuple[int, int] | None
    read: Callable[[str], str | None]
    toml: Callable[[str], dict[str, Any] | None]
    yaml: Callable[[str], Any]

    @classmethod
    def of(cls, project: Project) -> ProjectView:
        """The view of one project."""
        repo = project.repo

        def toml(path: str) -> dict[str, Any] | None:
            doc = repo.toml(path) if repo.exists(path) else None
            return doc.data if doc is not None and doc.error is None else None

        def yaml(path: str) -> Any:
            doc = repo.yaml(path) if repo.exists(path) else None
            return doc.data if doc is not None and doc.error is None else None

        def read(path: str) -> str | None:
            return repo.read(path) if repo.exists(path) else None

        return cls(
            root=project.root,
            kind=project.kind,
            files=repo.files,
            python_files=tuple(project.sources.python_files),
            metadata=dict(project.packaging.meta),
            min_python=project.packaging.min_python,
            read=read,
            toml=toml,
            yaml=yaml,
        )


def rule(
    code: str,
    slug: str,
    *,
    kinds: str = "*",
    severity: str = "W",
    source: str = "",
) -> Callable[[PluginCheck], PluginCheck]:
    """Register a plug-in rule: `code` (letters and three digits, a family of the plug-in's
    own), a slug, the kinds it applies to (`*`, or letters L A S), its default severity (E, W,
    I), and where its lesson comes from. The function's docstring is its documentation, with the
    sections `What it does`, `Why it matters`, `Example`, `Use instead` and `Fix`."""

    def register(check: PluginCheck) -> PluginCheck:
        def adapted(project: Project) -> Iterable[Violation]:
            return check(ProjectView.of(project))

        adapted.__doc__ = check.__doc__
        register_rule(code, slug, kinds=kinds, severity=severity, source=source)(adapted)
        return check

    return register
