"""Fixes for GHA rules, spliced into the workflow files so every other byte stays."""

from __future__ import annotations

import yaml

from prodready.edits import yamledit as y
from prodready.edits.workspace import Workspace
from prodready.findings import Finding
from prodready.fixes import fixer
from prodready.project import Project


def _job_node(root: y.Node, job: str) -> y.Node | None:
    jobs = y.entry(root, "jobs")
    found = y.entry(jobs[1], job) if jobs else None
    return found[1] if found and isinstance(found[1], yaml.MappingNode) else None


def _step_node(job: y.Node, position: int) -> y.Node | None:
    steps = y.entry(job, "steps")
    if steps is None or not isinstance(steps[1], yaml.SequenceNode):
        return None
    items = steps[1].value
    return items[position] if 0 <= position < len(items) else None


def _drop_token(text: str, job: str, position: int) -> str | None:
    """Remove `password:` (and a `user: __token__`) from the publish step's `with:`; the whole
    `with:` when nothing else is left in it. None when there is nothing to remove."""
    root = y.compose(text)
    job_node = _job_node(root, job) if root is not None else None
    step = _step_node(job_node, position) if job_node is not None else None
    inputs = y.entry(step, "with") if step is not None else None
    if inputs is None or not isinstance(inputs[1], yaml.MappingNode):
        return None
    mapping = inputs[1]
    keys = [k.value for k, _ in mapping.value if isinstance(k, yaml.ScalarNode)]
    user = y.entry(mapping, "user")
    drop = ["password"] if "password" in keys else []
    if user is not None and str(user[1].value) == "__token__":
        drop.append("user")
    if not drop:
        return None
    if mapping.flow_style or len(drop) == len(keys):
        return y.remove_entry(text, step, "with")
    return y.remove_entry(text, mapping, drop[0])


def _grant_id_token(text: str, job: str) -> str | None:
    """Give the job `id-token: write`: in its own `permissions:`, or in a new one that keeps
    what the workflow's permissions granted (`contents: read` when it sets none)."""
    root = y.compose(text)
    job_node = _job_node(root, job) if root is not None else None
    if job_node is None or job_node.flow_style:
        return None
    found = y.entry(job_node, "permissions")
    indent = " " * y.indent_of(job_node)
    if found is not None:
        permissions = found[1]
        if isinstance(permissions, yaml.MappingNode) and not permissions.flow_style:
            if y.entry(permissions, "id-token") is not None:
                return None  # already asked for (a token was passed beside it)
            at = y.line_end(text, y.content_end(permissions))
            pad = " " * y.indent_of(permissions) if permissions.value else indent + "  "
            return text[:at] + f"{pad}id-token: write\n" + text[at:]
        if isinstance(permissions, yaml.MappingNode) and not permissions.value:
            return y.replace(text, permissions, "{id-token: write}")
        return None  # `read-all` and the like: left to the user
    top = y.entry(root, "permissions")
    granted: list[str] = []
    if top is not None and isinstance(top[1], yaml.MappingNode):
        granted = [
            f"{k.value}: {v.value}"
            for k, v in top[1].value
            if isinstance(k, yaml.ScalarNode)
            and isinstance(v, yaml.ScalarNode)
            and k.value != "id-token"
        ]
    elif top is None:
        granted = ["contents: read"]
    block = f"{indent}permissions:\n" + "".join(
        f"{indent}  {line}\n" for line in [*granted, "id-token: write"]
    )
    first_value = job_node.value[0][1]
    at = y.line_end(text, y.content_end(first_value))
    return text[:at] + block + text[at:]


@fixer("GHA009")
def trusted_publishing(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Unsafe: publish with trusted publishing instead of the token given to
    pypa/gh-action-pypi-publish (the PyPI project needs a trusted publisher for the workflow)."""
    del p
    reported = {
        (str(f.data[0]), str(f.data[1]), int(str(f.data[2])))
        for f in findings
        if len(f.data) == 3  # (path, job, step position)
    }
    # steps last to first in each file: removing lines moves the steps after them, not before
    for path, job, position in sorted(reported, key=lambda r: (r[0], r[1], -r[2])):
        text = ws.read(path)
        if text is None:
            continue
        dropped = _drop_token(text, job, position)
        if dropped is not None:
            text = dropped
            while (again := _drop_token(text, job, position)) is not None:
                text = again
        granted = _grant_id_token(text, job)
        if granted is not None:
            text = granted
        ws.write(path, text)
