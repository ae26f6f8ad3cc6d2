"""Fixes for SEC rules: a read-only token at the top of workflows that need no more (SEC006)."""

from __future__ import annotations

import yaml

from prodready.edits import yamledit as y
from prodready.edits.workspace import Workspace
from prodready.findings import Finding
from prodready.fixes import fixer
from prodready.project import Project

READ_ONLY = "contents: read"


def add_read_only_permissions(text: str) -> str | None:
    """The workflow with `permissions: contents: read` before its `jobs:` (and the comments
    just above it), or None when it has top-level permissions already or no `jobs:`."""
    root = y.compose(text)
    if not isinstance(root, yaml.MappingNode) or root.flow_style or y.entry(root, "permissions"):
        return None
    found = y.entry(root, "jobs")
    if found is None:
        return None
    key, table = found
    indent = 2
    if isinstance(table, yaml.MappingNode) and not table.flow_style and table.value:
        indent = max(1, y.indent_of(table) - y.indent_of(root))
    at = y.line_start(text, key.start_mark.index)
    while at > 0:  # the comments written just above `jobs:` stay with it
        above = y.line_start(text, at - 1)
        if not text[above:at].lstrip().startswith("#"):
            break
        at = above
    margin = " " * y.indent_of(root)
    block = f"{margin}permissions:\n{margin}{' ' * indent}{READ_ONLY}\n"
    if at > 0 and not text[y.line_start(text, at - 1) : at].strip():
        block += "\n"  # keep the blank line that set `jobs:` apart
    return text[:at] + block + text[at:]


@fixer("SEC006")
def read_only_token(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Adds `permissions: contents: read` at the top of each reported workflow whose jobs need
    no more (the rule says which: every job sets its own permissions or only reads)."""
    for path in sorted({f.path for f in findings if f.path and f.data == (READ_ONLY,)}):
        text = ws.read(path)
        fixed = add_read_only_permissions(text) if text is not None else None
        if fixed is not None:
            ws.write(path, fixed)
