"""A parsed YAML file that remembers where each key was written, so findings point at lines.

Reading uses PyYAML's C loader: round-trip parsers are ten times slower, and `check` only reads.
"""

from __future__ import annotations

import contextlib
from functools import cached_property
from typing import Any

YamlPath = tuple[str | int, ...]


class YamlDoc:
    """The text, the data (None when the text is not YAML) and the parse error, if any."""

    def __init__(
        self,
        path: str,
        text: str,
        data: Any = None,
        error: str | None = None,
        error_line: int | None = None,
        *,
        node: Any = None,
    ) -> None:
        self.path = path
        self.text = text
        self.data = data
        self.error = error
        self.error_line = error_line
        self._node = node

    @classmethod
    def parse(cls, path: str, text: str) -> YamlDoc:
        """Parse one YAML document; a syntax error is kept as data, with its line, never raised."""
        import yaml

        loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            return cls(path, text, None, _one_line(exc), line)
        except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
            return cls(path, text, None, _one_line(exc), None)
        finally:
            loader.dispose()
        return cls(path, text, data, node=node)

    def line_of(self, *keys: str | int) -> int | None:
        """The line of the key path (or its nearest ancestor); 1-based."""
        for end in range(len(keys), -1, -1):
            position = self._index.get(keys[:end])
            if position is not None:
                return position
        return None

    @cached_property
    def _index(self) -> dict[YamlPath, int]:
        index: dict[YamlPath, int] = {}
        if self._node is not None:
            with contextlib.suppress(RecursionError):
                _walk(self._node, (), index, set())
        return index


def _walk(node: Any, path: YamlPath, index: dict[YamlPath, int], seen: set[int]) -> None:
    """Record the line of every mapping key and sequence item below `node`, once per node."""
    import yaml

    if id(node) in seen:
        return
    seen.add(id(node))
    index.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            index.setdefault((*path, key), key_node.start_mark.line + 1)
            _walk(value_node, (*path, key), index, seen)
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            _walk(item, (*path, position), index, seen)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
