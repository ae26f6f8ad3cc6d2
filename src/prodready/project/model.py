"""`Project`: the one read of a repository that every rule asks for what it needs.

A project is built once from (repository root, settings) and never changed afterwards. It is
composed of small read models that share one `Repository` (so each file is read and parsed at
most once per audit), each loading what it knows lazily:

- `repo`: the files, read safely, and their parsed forms (TOML, YAML, INI);
- `packaging`: metadata, dependencies, packages and tests;
- `precommit`: the pre-commit configuration and its hooks;
- `workflows`: GitHub Actions workflows, jobs and steps;
- `automation`: CI services, task runners and scripts, as text;
- `tools`: which tools are used, and their settings;
- `sources`: facts read from the Python source (and secrets from every text file).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from prodready.project.automation import Automation
from prodready.project.kind import detect_kind
from prodready.project.packaging import Packaging
from prodready.project.precommit import PreCommit
from prodready.project.repository import Repository
from prodready.project.sources import Sources
from prodready.project.tools import Tools
from prodready.project.workflows import Workflows

if TYPE_CHECKING:
    from prodready.config import Settings
    from prodready.findings import Kind


class Project:
    """A repository root and everything prodready reads from it; read-only once built."""

    __slots__ = (
        "__weakref__",  # derived facts are remembered per project (rules/_memo.py)
        "automation",
        "kind",
        "kind_reason",
        "packaging",
        "precommit",
        "repo",
        "root",
        "settings",
        "sources",
        "tools",
        "workflows",
    )
    root: Path
    settings: Settings | None
    repo: Repository
    precommit: PreCommit
    workflows: Workflows
    automation: Automation
    packaging: Packaging
    tools: Tools
    sources: Sources
    kind: Kind
    kind_reason: str

    def __init__(
        self,
        root: Path,
        settings: Settings | None = None,
        *,
        use_cache: bool = True,
        repo: Repository | None = None,
    ) -> None:
        """Build the read models; `repo` reuses a `Repository` already opened on `root`."""
        repo = repo if repo is not None else Repository(root)
        precommit = PreCommit(repo)
        workflows = Workflows(repo)
        automation = Automation(repo, precommit, workflows)
        packaging = Packaging(repo, automation)
        if settings is not None and settings.kind is not None:
            kind, reason = settings.kind, settings.kind_reason
        else:
            kind, reason = detect_kind(repo, packaging, automation)
        fields: dict[str, Any] = {
            "root": repo.root,
            "settings": settings,
            "repo": repo,
            "precommit": precommit,
            "workflows": workflows,
            "automation": automation,
            "packaging": packaging,
            "tools": Tools(repo, packaging, precommit, automation),
            "sources": Sources(repo, packaging, use_cache=use_cache),
            "kind": kind,
            "kind_reason": reason,
        }
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"a Project is read-only once built (tried to set {name!r})")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"a Project is read-only once built (tried to delete {name!r})")
