"""Fixes for GIT rules: the `.gitignore` entries a project needs."""

from __future__ import annotations

from prodready.edits.workspace import Workspace
from prodready.findings import Finding
from prodready.fixes import fixer
from prodready.project import Project


@fixer("GIT001")
def gitignore(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Appends the entries the rule found missing under a comment (creates `.gitignore` when
    there is none)."""
    missing = [str(entry) for f in findings for entry in f.data]
    if not missing:
        return
    text = ws.read(".gitignore") or ""
    lead = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
    block = "# Python build and tool output (added by prodready fix)\n" + "".join(
        f"{e}\n" for e in missing
    )
    ws.write(".gitignore", text + lead + block)
