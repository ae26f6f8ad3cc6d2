"""The pre-commit read model: where the configuration is, and its hooks."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from prodready.project.repository import Repository
from prodready.project.yamldoc import YamlDoc


class PreCommit:
    """`.pre-commit-config.yaml`: the parsed document and its well-formed hooks."""

    def __init__(self, repo: Repository) -> None:
        self._repo = repo

    @cached_property
    def path(self) -> str | None:
        """The configuration file, if there is one."""
        return self._repo.first(".pre-commit-config.yaml", ".pre-commit-config.yml")

    @cached_property
    def doc(self) -> YamlDoc | None:
        """The parsed configuration (None when there is none or it cannot be read)."""
        return self._repo.yaml(self.path) if self.path else None

    def hooks(self) -> list[tuple[int, int, dict[str, Any]]]:
        """(repo index, hook index, hook mapping) for every well-formed hook."""
        return self._hooks

    def repo_url(self, index: int) -> str:
        """The `repo:` of the repository entry at `index` (`local`, `meta` or an address)."""
        data = self.doc.data if self.doc else None
        repos = data.get("repos") if isinstance(data, dict) else None
        entry = repos[index] if isinstance(repos, list) and 0 <= index < len(repos) else None
        return str(entry.get("repo", "")) if isinstance(entry, dict) else ""

    @cached_property
    def _hooks(self) -> list[tuple[int, int, dict[str, Any]]]:
        data = self.doc.data if self.doc else None
        repos = data.get("repos") if isinstance(data, dict) else None
        found = []
        for r, repo in enumerate(repos if isinstance(repos, list) else []):
            hooks = repo.get("hooks") if isinstance(repo, dict) else None
            for h, hook in enumerate(hooks if isinstance(hooks, list) else []):
                if isinstance(hook, dict):
                    found.append((r, h, hook))
        return found

    @cached_property
    def hook_ids(self) -> list[str]:
        """The ids of the hooks that run by themselves (not `manual` only), in order."""
        return [
            hook_id
            for _, _, hook in self.hooks()
            if isinstance(hook_id := hook.get("id"), str) and hook.get("stages") != ["manual"]
        ]

    @cached_property
    def entries(self) -> str:
        """Every hook's `entry`, lower-cased, as one text (what local hooks run)."""
        return " ".join(str(hook.get("entry", "")) for _, _, hook in self.hooks()).lower()
