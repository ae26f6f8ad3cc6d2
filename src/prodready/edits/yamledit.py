"""Edits of YAML text by splicing at the offsets of the parsed nodes: every byte outside the
edited span stays as the user wrote it (comments, quoting, indentation, key order)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

Node = Any  # yaml.Node: PyYAML ships no types for its C composer
PLAIN = re.compile(r"[A-Za-z0-9_./=<>+-]+")


def compose(text: str) -> Node | None:
    """The node tree of a YAML document, or None when it does not parse."""
    try:
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None


def entry(mapping: Node, key: str) -> tuple[Node, Node] | None:
    """(key node, value node) of a key in a mapping node."""
    if not isinstance(mapping, yaml.MappingNode):
        return None
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def hooks(text: str) -> Iterator[tuple[int, int, Node]]:
    """(repo index, hook index, hook mapping node) of a pre-commit configuration."""
    root = compose(text)
    repos = entry(root, "repos")
    if repos is None or not isinstance(repos[1], yaml.SequenceNode):
        return
    for repo_index, repo in enumerate(repos[1].value):
        found = entry(repo, "hooks")
        if found is None or not isinstance(found[1], yaml.SequenceNode):
            continue
        for hook_index, hook in enumerate(found[1].value):
            if isinstance(hook, yaml.MappingNode):
                yield repo_index, hook_index, hook


def repo_nodes(text: str) -> list[Node]:
    """The repo mapping nodes of a pre-commit configuration, in order."""
    repos = entry(compose(text), "repos")
    return list(repos[1].value) if repos and isinstance(repos[1], yaml.SequenceNode) else []


def line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def line_end(text: str, offset: int) -> int:
    """The offset just past the newline that ends the line holding `offset`."""
    end = text.find("\n", offset)
    return len(text) if end < 0 else end + 1


def content_end(node: Node) -> int:
    """Where a node's own text ends: PyYAML's end mark of a block collection runs on over the
    comments and blank lines that follow it."""
    if isinstance(node, yaml.MappingNode) and node.flow_style is False and node.value:
        return content_end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.flow_style is False and node.value:
        return content_end(node.value[-1])
    return int(node.end_mark.index)


def item_span(text: str, node: Node) -> tuple[int, int]:
    """(start, end) of the whole lines of a block sequence item, its `- ` marker included."""
    return line_start(text, node.start_mark.index), line_end(text, content_end(node))


def indent_of(node: Node) -> int:
    """The column at which a block mapping's keys stand."""
    return int(node.start_mark.column)


def insert_key(text: str, mapping: Node, line: str) -> str:
    """Add a `key: value` line to a block mapping, after its first entry (the hook's `id`)."""
    first_value = mapping.value[0][1]
    at = line_end(text, content_end(first_value))
    return text[:at] + " " * indent_of(mapping) + line + "\n" + text[at:]


def replace(text: str, node: Node, new: str) -> str:
    """Replace a scalar or flow collection node's text."""
    return text[: node.start_mark.index] + new + text[content_end(node) :]


def remove_entry(text: str, mapping: Node, key: str) -> str:
    """Delete a key (and its value's lines) from a block mapping."""
    found = entry(mapping, key)
    if found is None:
        return text
    start = line_start(text, found[0].start_mark.index)
    return text[:start] + text[line_end(text, content_end(found[1])) :]


def flow_list(values: list[str]) -> str:
    """A flow sequence of plain or quoted scalars, as a user would write it."""
    return "[" + ", ".join(_scalar(v) for v in values) + "]"


def _scalar(value: str) -> str:
    """Plain when YAML reads it back as the same string inside a flow sequence, else quoted."""
    if PLAIN.fullmatch(value) and yaml.safe_load(f"[{value}]") == [value]:
        return value
    return json.dumps(value)
