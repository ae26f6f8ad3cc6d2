"""Format-preserving TOML edits through tomlkit: values keep their inline comments, moved keys
take the comment lines written just above them."""

from __future__ import annotations

import itertools
import re
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.items import Comment, Null, Table


def table(doc: Any, *keys: str) -> Any:
    """The table at `keys`, created (as `[a.b]` with super-table parents) when missing; a
    `ValueError` when something else already stands at one of the keys (the fixer then leaves
    the file alone and says why)."""
    current = doc
    for depth, key in enumerate(keys):
        if key not in current:
            current[key] = tomlkit.table(is_super_table=depth < len(keys) - 1)
        current = current[key]
        if not isinstance(current, dict):
            where = ".".join(keys[: depth + 1])
            raise ValueError(f"`{where}` is a {type(current).__name__.lower()}, not a table")
    return current


def find(doc: Any, *keys: str) -> Any:
    """The item at `keys`, or None (also when a step on the way is not a table)."""
    current = doc
    for key in keys:
        if not isinstance(current, dict) or key not in current:
            return None
        current = current[key]
    return current


def find_table(doc: Any, *keys: str) -> Any:
    """The table at `keys`, or None when there is none or something else stands there."""
    found = find(doc, *keys)
    return found if isinstance(found, dict) else None


def move(source: Any, target: Any, key: str) -> None:
    """Move `key` from one table to another with the comment lines directly above it."""
    comments = _detach_comments(source, key)
    value = source[key]
    del source[key]
    if not isinstance(value, Table):
        for comment in comments:
            target.add(comment)
    target[key] = value


def _detach_comments(container: Any, key: str) -> list[Comment]:
    """Take the whole-line comments standing just above a key out of its table."""
    inner = container if isinstance(container, Container) else container.value
    comments: list[Comment] = []
    if not isinstance(inner, Container):
        return comments
    raw = inner._body  # tomlkit offers no public way to take a comment out
    index = next((i for i, (k, _) in enumerate(raw) if k is not None and k.key == key), None)
    if index is None:
        return comments
    above = index - 1
    while above >= 0 and raw[above][0] is None and isinstance(raw[above][1], Comment):
        comment = raw[above][1]
        assert isinstance(comment, Comment)  # noqa: S101 - checked by the loop condition
        comments.insert(0, comment)
        raw[above] = (None, Null())
        above -= 1
    return comments


def set_value(container: Any, key: str, value: Any) -> None:
    """Set a value; tomlkit keeps the old item's inline comment."""
    container[key] = value


HEADER = re.compile(r"^\[\[?[^\[\]\n]+\]\]?[ \t]*(?:#.*)?$")


def _cramped(lines: list[str]) -> set[str]:
    """Header lines that directly follow a non-blank line."""
    return {
        line for above, line in itertools.pairwise(lines) if HEADER.match(line) and above.strip()
    }


def tidy_tables(before: str, after: str) -> str:
    """Put a blank line before a table header the edit left cramped against the line above, when
    the file separates its tables that way (tomlkit appends new tables without one)."""
    old = before.splitlines()
    headers = sum(1 for line in old if HEADER.match(line))
    if not headers or len(_cramped(old)) * 2 > headers:
        return after
    keep = _cramped(old)
    lines = after.splitlines(keepends=True)
    out: list[str] = []
    for line in lines:
        if (
            out
            and out[-1].strip()
            and HEADER.match(line.rstrip("\r\n"))
            and line.rstrip("\r\n") not in keep
        ):
            out.append("\r\n" if out[-1].endswith("\r\n") else "\n")
        out.append(line)
    return "".join(out)
