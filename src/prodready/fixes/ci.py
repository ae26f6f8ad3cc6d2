"""Fixes for CI rules, spliced into the update bot's YAML so every other byte stays."""

from __future__ import annotations

import yaml

from prodready.edits import yamledit as y
from prodready.edits.workspace import Workspace
from prodready.findings import Finding
from prodready.fixes import fixer
from prodready.project import Project
from prodready.rules.ci import COOLDOWN_DAYS
from prodready.rules.dep import dependabot_updates


@fixer("CI011")
def add_dependabot_cooldown(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Adds `cooldown: default-days: 7` to each reported Dependabot update entry that has no
    cooldown, indented as the entry's other keys; an entry with a cooldown is left alone."""
    found = dependabot_updates(p)
    if found is None:
        return
    path = found[0]
    targets = sorted(
        {int(f.data[0]) for f in findings if f.path == path and f.fixable and f.data}, reverse=True
    )
    text = ws.read(path)
    if text is None or not targets:
        return
    for position in targets:  # from the last entry up, so earlier offsets hold
        updates = y.entry(y.compose(text), "updates")
        if updates is None or not isinstance(updates[1], yaml.SequenceNode):
            return
        if position >= len(updates[1].value):
            continue
        update = updates[1].value[position]
        if not isinstance(update, yaml.MappingNode) or update.flow_style or not update.value:
            continue  # a flow mapping (`- {package-ecosystem: pip, …}`) is left as written
        if y.entry(update, "cooldown") is not None:
            continue
        indent = " " * y.indent_of(update)
        at = y.line_end(text, y.content_end(update.value[-1][1]))
        if not text[:at].endswith("\n"):
            text += "\n"
            at += 1
        block = f"{indent}cooldown:\n{indent}  default-days: {COOLDOWN_DAYS}\n"
        text = text[:at] + block + text[at:]
    ws.write(path, text)
