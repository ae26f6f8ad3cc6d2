"""Fixes for GHA rules: expressions moved out of scripts into `env:`, checkouts that stop
persisting their credentials."""

from __future__ import annotations

from collections import defaultdict

import yaml

from prodready.edits import yamledit as y
from prodready.edits.workspace import Workspace
from prodready.findings import Finding
from prodready.fixes import fixer
from prodready.project import Project

Keys = tuple[str | int, ...]
# Variables the runner sets itself, with the same text as the context they stand for.
RUNNER_VARIABLES = frozenset(
    {"GITHUB_HEAD_REF", "GITHUB_BASE_REF", "GITHUB_REF", "GITHUB_REF_NAME"}
)


def _node_at(root: y.Node, keys: Keys) -> y.Node | None:
    node = root
    for key in keys:
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            found = y.entry(node, key)
            node = found[1] if found else None
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            node = node.value[key] if 0 <= key < len(node.value) else None
        else:
            return None
    return node


def _after(text: str, node: y.Node) -> int:
    """The start of the line after a value (a block scalar's end is already a line start)."""
    end = y.content_end(node)
    if end > 0 and text[end - 1] == "\n":
        return end
    return y.line_end(text, end)


def _add_entry(text: str, mapping: y.Node, key: str, lines: list[str]) -> str | None:
    """Add `key:` with the given lines below it to a block mapping (a step), after its last
    entry; None when the mapping is not a block mapping."""
    if not isinstance(mapping, yaml.MappingNode) or mapping.flow_style or not mapping.value:
        return None
    indent = " " * y.indent_of(mapping)
    at = _after(text, mapping.value[-1][1])
    block = f"{indent}{key}:\n" + "".join(f"{indent}  {line}\n" for line in lines)
    if at > 0 and text[at - 1] != "\n":
        block = "\n" + block
    return text[:at] + block + text[at:]


def _add_line(text: str, mapping: y.Node, line: str) -> str | None:
    """Add a `key: value` line at the end of a block mapping (a step's `env:` or `with:`)."""
    if not isinstance(mapping, yaml.MappingNode) or mapping.flow_style or not mapping.value:
        return None
    at = _after(text, mapping.value[-1][1])
    added = " " * y.indent_of(mapping) + line + "\n"
    if at > 0 and text[at - 1] != "\n":
        added = "\n" + added
    return text[:at] + added + text[at:]


@fixer("GHA001")
def expression_to_env(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Replaces each expression in its script with the variable, and sets the variable in the
    step's `env:` (the runner's own `GITHUB_*` variables and `env.X` need no entry)."""
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.path and len(finding.data) > 4:
            by_file[finding.path].append(finding)
    for path, found in by_file.items():
        text = ws.read(path)
        for finding in found:
            if text is None:
                break
            name, written, raw = (str(v) for v in finding.data[:3])
            keys: Keys = tuple(finding.data[3:])
            text = _move_to_env(text, keys, name, written, raw) or text
        if text is not None:
            ws.write(path, text)


def _move_to_env(text: str, keys: Keys, name: str, written: str, raw: str) -> str | None:
    root = y.compose(text)
    script = _node_at(root, keys)
    if not isinstance(script, yaml.ScalarNode):
        return None
    start, end = script.start_mark.index, y.content_end(script)
    if raw not in text[start:end]:
        return None
    text = text[:start] + text[start:end].replace(raw, written) + text[end:]
    if name in RUNNER_VARIABLES or raw.replace(" ", "").lower().startswith("${{env."):
        return text
    step = _node_at(y.compose(text), keys[:-1])
    env = y.entry(step, "env")
    if env is None:
        return _add_entry(text, step, "env", [f"{name}: {raw}"])
    if y.entry(env[1], name) is not None:
        return text
    return _add_line(text, env[1], f"{name}: {raw}")


@fixer("GHA003")
def persist_credentials(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Adds `persist-credentials: false` to the checkout's `with:` (creating `with:`)."""
    by_file: dict[str, list[Keys]] = defaultdict(list)
    for finding in findings:
        if finding.path and finding.data:
            by_file[finding.path].append(tuple(finding.data))
    for path, steps in by_file.items():
        text = ws.read(path)
        for keys in steps:
            if text is None:
                break
            step = _node_at(y.compose(text), keys)
            options = y.entry(step, "with")
            if options is None:
                edited = _add_entry(text, step, "with", ["persist-credentials: false"])
            else:
                edited = _add_line(text, options[1], "persist-credentials: false")
            text = edited or text
        if text is not None:
            ws.write(path, text)


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
