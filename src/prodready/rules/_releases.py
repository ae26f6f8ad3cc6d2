"""The release of a tool a project says it runs, for the rules whose advice depends on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prodready.project.releases import major_minor, release_in

if TYPE_CHECKING:
    from prodready.project import Project

__all__ = ["known_release", "major_minor"]


def known_release(
    p: Project, tool: str, hook_repository: str, *, exact: bool = False
) -> tuple[int, int] | None:
    """`release_in` of the project's files."""
    return release_in(p.repo, p.packaging, p.precommit, tool, hook_repository, exact=exact)
