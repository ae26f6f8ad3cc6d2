"""A parsed TOML file that remembers where each key was written, so findings point at lines."""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Iterator
from functools import cached_property
from typing import Any

KeyPath = tuple[str, ...]
QUOTED = re.compile(r""""([^"\\\n]*)"|'([^'\n]*)'""")
_LINE_OF_ERROR = re.compile(r"\(at line (\d+), column (\d+)\)")


class TomlDoc:
    """The text, the data (empty when the text is not TOML) and the parse error, if any."""

    def __init__(
        self,
        path: str,
        text: str,
        data: dict[str, Any] | None = None,
        error: str | None = None,
        error_line: int | None = None,
    ) -> None:
        self.path = path
        self.text = text
        self.data: dict[str, Any] = data if data is not None else {}
        self.error = error
        self.error_line = error_line

    @classmethod
    def parse(cls, path: str, text: str) -> TomlDoc:
        """Parse `text`; a syntax error is kept as data, with its line, never raised."""
        try:
            return cls(path, text, tomllib.loads(text))
        except tomllib.TOMLDecodeError as exc:
            match = _LINE_OF_ERROR.search(str(exc))
            return cls(path, text, {}, str(exc), int(match.group(1)) if match else None)
        except RecursionError:
            return cls(path, text, {}, "values nested too deeply to read", None)
        except ValueError as exc:  # an integer past Python's 4,300-digit conversion limit
            return cls(path, text, {}, f"a value cannot be read: {exc}", None)

    def get(self, *keys: str, default: Any = None) -> Any:
        """The value at the dotted key path, or `default` when any step is missing."""
        node: Any = self.data
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node

    def table(self, *keys: str) -> dict[str, Any]:
        """The table at the key path, or an empty dict when it is missing or not a table."""
        value = self.get(*keys)
        return value if isinstance(value, dict) else {}

    def line_of(self, *keys: str) -> int | None:
        """The line where the key path (or its nearest written ancestor) is defined."""
        for end in range(len(keys), 0, -1):
            line = self._index.get(keys[:end])
            if line is not None:
                return line
        return None

    def line_of_value(self, keys: KeyPath, needle: str) -> int | None:
        """The first line at or after the key's line that holds the string `needle` quoted."""
        start = self.line_of(*keys)
        if start is None:
            return None
        numbers = self._strings.get(needle, [])
        at = bisect.bisect_left(numbers, start)
        return numbers[at] if at < len(numbers) else start

    @cached_property
    def _strings(self) -> dict[str, list[int]]:
        """Every one-line quoted string of the text, with the lines it is written on (indexed
        once, so finding the lines of many values costs one pass over the file)."""
        found: dict[str, list[int]] = {}
        for number, line in enumerate(self.text.splitlines(), start=1):
            if '"' not in line and "'" not in line:
                continue
            for match in QUOTED.finditer(line):
                value = match.group(1) if match.group(1) is not None else match.group(2)
                numbers = found.setdefault(value, [])
                if not numbers or numbers[-1] != number:
                    numbers.append(number)
        return found

    @cached_property
    def _index(self) -> dict[KeyPath, int]:
        return dict(_index_keys(self.text))


def split_key(text: str) -> KeyPath:
    """Split a TOML key (`a."b.c".d`) into its parts."""
    parts: list[str] = []
    current = ""
    quote = ""
    for char in text:
        if quote:
            if char == quote:
                quote = ""
            else:
                current += char
        elif char in "\"'":
            quote = char
        elif char == ".":
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return tuple(parts)


def _code_part(line: str) -> tuple[str, int, str]:
    """The line without its comment, its net bracket depth, and an unclosed triple quote, if any."""
    depth = 0
    quote = ""
    index = 0
    while index < len(line):
        char = line[index]
        if quote:
            if line.startswith(quote, index):
                index += len(quote)
                quote = ""
                continue
            if char == "\\" and quote in ('"', '"""'):
                index += 2
                continue
        elif line.startswith(('"""', "'''"), index):
            quote = line[index : index + 3]
            index += 3
            continue
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:index], depth, ""
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        index += 1
    return line, depth, quote if len(quote) == 3 else ""


def _index_keys(text: str) -> Iterator[tuple[KeyPath, int]]:
    """Yield (key path, line) for every table header and every key written at table level."""
    table: KeyPath = ()
    depth = 0
    open_quote = ""
    seen: set[KeyPath] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        if open_quote:
            if open_quote in raw:
                open_quote = ""
            continue
        code, change, open_quote = _code_part(raw)
        if depth > 0:
            depth = max(depth + change, 0)
            continue
        stripped = code.strip()
        if not stripped:
            continue
        if stripped.startswith("["):
            inner = stripped.strip("[] \t")
            table = split_key(inner)
            if table not in seen:
                seen.add(table)
                yield table, number
            continue
        key_text, equals, value = stripped.partition("=")
        if not equals:
            continue
        key = table + split_key(key_text)
        for end in range(len(table) + 1, len(key) + 1):
            if key[:end] not in seen:
                seen.add(key[:end])
                yield key[:end], number
        depth = max(_code_part(value)[1], 0)


def dotted_get(table: dict[str, Any], dotted: str) -> Any:
    """The value at a dotted key path (`build.targets.wheel`) of nested tables, or None."""
    node: Any = table
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def as_table(value: Any) -> dict[str, Any]:
    """`value` when it is a table, else an empty one: for reading optional nested settings."""
    return value if isinstance(value, dict) else {}
