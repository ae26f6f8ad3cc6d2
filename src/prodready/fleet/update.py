"""Template updates: the change `prodready fleet update` rolls out with `fleet/branches.py`. In
each repository's temporary clone, a project made by `prodready new` is brought to the current
templates by `prodready update`'s three-way merge (the project's own edits stay; a clash gets
conflict markers). The commit message names the template versions, the files changed and the
files with conflicts; a repository with conflicts gets a draft pull request. A repository not
made by `prodready new` is skipped.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from prodready.fleet.branches import Applied, Skipped

# How `prodready update` decided each file, in the words of the commit message.
HOW = {
    "new": "added",
    "taken": "updated",
    "merged": "merged with this project's edits",
    "conflict": "CONFLICT: both changed the same lines",
    "removed": "removed (the template dropped it)",
}


class UpdateChange(NamedTuple):
    """`prodready update` to template `version` (default: the newest) from `templates` (a folder
    of numbered versions; default: prodready's own)."""

    version: int | None = None
    templates: Path | None = None
    name: str = "update"

    def apply(self, root: Path) -> Applied:
        """Update the working tree at `root`; `Skipped` when `prodready new` did not make it."""
        from prodready.scaffold.answers import RECORD, load
        from prodready.scaffold.render import TEMPLATE_VERSION, newest_version
        from prodready.scaffold.update import apply_update, plan_update

        if not os.path.lexists(root / RECORD):
            raise Skipped(f"not made by `prodready new` (no {RECORD})")
        start = load(root).version
        version = self.version or (
            newest_version(self.templates) if self.templates else TEMPLATE_VERSION
        )
        plan = plan_update(root, version, self.templates)
        notes = tuple(f"{path}: left deleted (the template changed it)" for path in plan.kept)
        if not plan.updates:
            return Applied("", label=f"template version {plan.version}", notes=notes)
        apply_update(plan)
        conflicts = tuple(plan.conflicts)
        label = f"template version {start} to {plan.version}"
        if conflicts:
            label += f"; conflicts in {', '.join(conflicts)}"
        return Applied(
            message=commit_message(start, plan.version, [(u.path, u.how) for u in plan.updates]),
            label=label,
            conflicts=conflicts,
            notes=notes,
            draft=bool(conflicts),
        )


def commit_message(start: int, version: int, files: list[tuple[str, str]]) -> str:
    """The commit message (and pull request): the template versions, each file changed and
    how, and the files with conflicts to resolve."""
    from prodready._version import __version__

    conflicts = [path for path, how in files if how == "conflict"]
    title = f"prodready: update to template version {version} (from {start})"
    if conflicts:
        title += f", {len(conflicts)} {'conflict' if len(conflicts) == 1 else 'conflicts'}"
    lines = [
        title,
        "",
        f"`prodready fleet update` brought this project, made by `prodready new`, from template"
        f" version {start} to {version} with a three-way merge: the project's own edits stay.",
        "",
        "Files changed:",
        "",
        *(f"- {path}: {HOW.get(how, how)}" for path, how in files),
        "",
    ]
    if conflicts:
        lines += [
            "Conflicts to resolve: these files hold both versions between `<<<<<<<`, `=======`"
            " and `>>>>>>>` markers; keep what is right and remove the markers. This pull"
            " request is a draft until they are resolved.",
            "",
            *(f"- {path}" for path in conflicts),
            "",
        ]
    lines.append(f"Made by prodready {__version__}; run it again to update this branch.")
    return "\n".join(lines) + "\n"
