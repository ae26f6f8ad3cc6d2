"""Fixes for GIT rules: the `.gitignore` entries a project needs."""

from __future__ import annotations

from prodready.findings import Finding
from prodready.fixes.registry import fixer
from prodready.fixes.workspace import Workspace
from prodready.project import Project
from prodready.rules.hygiene import missing_entries


@fixer("GIT001")
def gitignore(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Appends the missing entries under a comment (creates `.gitignore` when there is none)."""
    missing = missing_entries(p)
    if not missing:
        return
    text = ws.read(".gitignore") or ""
    lead = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
    block = "# Python build and tool output (added by prodready fix)\n" + "".join(
        f"{e}\n" for e in missing
    )
    ws.write(".gitignore", text + lead + block)
