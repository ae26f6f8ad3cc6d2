"""Fixes for PC rules, spliced into `.pre-commit-config.yaml` so every other byte stays."""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

from prodready.edits import yamledit as y
from prodready.edits.workspace import Workspace
from prodready.findings import Finding
from prodready.fixes import fixer
from prodready.project import Project
from prodready.rules.pc import FORMATTER_IDS, RUFF_CHECK_IDS

Edit = Callable[[str], str | None]  # new text after one edit, or None when nothing is left to do
BANDIT = re.compile(r"^bandit(?=$|[\s=<>!~;@])")


def _repeat(ws: Workspace, p: Project, edit: Edit) -> None:
    """Apply one edit at a time (each moves the offsets of the next) until none is left."""
    if p.precommit.doc is None:
        return
    path = p.precommit.doc.path
    text = ws.read(path)
    for _ in range(200):
        if text is None or (changed := edit(text)) is None:
            break
        text = changed
        ws.write(path, text)


def _reported(findings: list[Finding]) -> set[tuple[int, int]]:
    """The (repo, hook) positions the rule reported: hooks are edited in place, never added or
    removed, so the positions hold through every edit of the run."""
    return {(int(f.data[0]), int(f.data[1])) for f in findings if len(f.data) == 2}


def _value(hook: y.Node, key: str) -> y.Node | None:
    found = y.entry(hook, key)
    return found[1] if found else None


def _strings(node: y.Node | None) -> list[str]:
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [str(item.value) for item in node.value if isinstance(item, yaml.ScalarNode)]


def _set_list(text: str, hook: y.Node, key: str, values: list[str]) -> str:
    """Give `key` this list: the entry dropped when empty, block lists kept as block lists."""
    node = _value(hook, key)
    if not values:
        return y.remove_entry(text, hook, key)
    if node is None:
        return y.insert_key(text, hook, f"{key}: {y.flow_list(values)}")
    if isinstance(node, yaml.SequenceNode) and node.flow_style is False and node.value:
        return _set_block_list(text, node, values)
    return y.replace(text, node, y.flow_list(values))


def _set_block_list(text: str, node: y.Node, values: list[str]) -> str:
    """A block sequence with these values: kept items keep their lines, new ones follow the
    first item's indentation."""
    spans = [y.item_span(text, item) for item in node.value]
    lines = {str(item.value): text[a:b] for item, (a, b) in zip(node.value, spans, strict=True)}
    first = text[spans[0][0] : spans[0][1]]
    indent = first[: len(first) - len(first.lstrip(" "))]
    block = "".join(lines.get(v) or f"{indent}- {y.flow_list([v])[1:-1]}\n" for v in values)
    return text[: spans[0][0]] + block + text[spans[-1][1] :]


@fixer("PC003")
def drop_check_yaml_safe(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Removes `--safe` from the reported check-yaml hooks' arguments (the `args` entry too, if
    that was all)."""
    targets = _reported(findings)

    def edit(text: str) -> str | None:
        for repo, index, hook in y.hooks(text):
            args = _strings(_value(hook, "args"))
            if (repo, index) in targets and "--safe" in args:
                return _set_list(text, hook, "args", [a for a in args if a != "--safe"])
        return None

    _repeat(ws, p, edit)


@fixer("PC004")
def bandit_toml(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Installs `bandit[toml]` with the reported bandit hooks that read pyproject.toml."""
    targets = _reported(findings)

    def edit(text: str) -> str | None:
        for repo, index, hook in y.hooks(text):
            extra = _strings(_value(hook, "additional_dependencies"))
            wanted = (repo, index) in targets
            if not wanted or any(d.replace(" ", "").startswith("bandit[toml") for d in extra):
                continue
            node = _value(hook, "additional_dependencies")
            for item in node.value if isinstance(node, yaml.SequenceNode) else []:
                if isinstance(item, yaml.ScalarNode) and BANDIT.match(str(item.value)):
                    extended = BANDIT.sub("bandit[toml]", str(item.value))
                    return y.replace(text, item, y.flow_list([extended])[1:-1])  # in place
            return _set_list(text, hook, "additional_dependencies", [*extra, "bandit[toml]"])
        return None

    _repeat(ws, p, edit)


@fixer("PC006")
def slow_hooks_on_push(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Moves the hooks the rule reported to the pre-push stage."""
    targets = _reported(findings)

    def edit(text: str) -> str | None:
        for repo, index, hook in y.hooks(text):
            if (repo, index) in targets and _strings(_value(hook, "stages")) != ["pre-push"]:
                return _set_list(text, hook, "stages", ["pre-push"])
        return None

    _repeat(ws, p, edit)


@fixer("PC009")
def ruff_fix_first(p: Project, findings: list[Finding], ws: Workspace) -> None:
    """Moves ruff's `--fix` hook (or its whole repo entry) in front of the first formatter."""

    def edit(text: str) -> str | None:
        formatter: tuple[int, y.Node] | None = None
        for repo, _, hook in y.hooks(text):
            if _id(hook) in FORMATTER_IDS and formatter is None:
                formatter = (repo, hook)
            elif (
                formatter is not None
                and _id(hook) in RUFF_CHECK_IDS
                and {"--fix", "--fix-only"} & set(_strings(_value(hook, "args")))
            ):
                if formatter[0] == repo:
                    return _move_before(text, hook, formatter[1])
                repos = y.repo_nodes(text)
                return _move_before(text, repos[repo], repos[formatter[0]])
        return None

    _repeat(ws, p, edit)


def _move_before(text: str, item: y.Node, anchor: y.Node) -> str:
    """Cut a block-sequence item (with the comment lines just above it) and put it before
    another item of the same list."""
    start, end = y.item_span(text, item)
    start = _with_comments_above(text, start)
    block = text[start:end]
    target = _with_comments_above(text, y.item_span(text, anchor)[0])
    rest = text[:start] + text[end:]
    return rest[:target] + block + rest[target:]


def _with_comments_above(text: str, start: int) -> int:
    while start > 0:
        above = y.line_start(text, start - 1)
        if not text[above:start].strip().startswith("#"):
            break
        start = above
    return start


def _id(hook: y.Node) -> str:
    return str(_scalar(hook, "id"))


def _scalar(hook: y.Node, key: str) -> object:
    node = _value(hook, key)
    return node.value if isinstance(node, yaml.ScalarNode) else ""
