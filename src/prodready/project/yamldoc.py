"""A parsed YAML file that remembers where each key was written, so findings point at lines.

Reading uses PyYAML's C loader: round-trip parsers are ten times slower, and `check` only reads.
"""

from __future__ import annotations

import contextlib
from functools import cached_property
from typing import Any

YamlPath = tuple[str | int, ...]
MAX_YAML = 2**20


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
        """Parse one YAML document; a syntax error is kept as data, with its line, never raised.

        Configuration this large is not written by hand, and YAML costs seconds a megabyte to
        read: past `MAX_YAML` the file is reported instead of read."""
        if len(text) > MAX_YAML:
            return cls(
                path, text, None, f"larger than {MAX_YAML // 2**20} MiB: too large to read", 1
            )
        import yaml

        loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            if node is not None and "&" in text and (refused := _alias_problem(node)):
                return cls(path, text, None, refused, node.start_mark.line + 1)
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

    def node_at(self, *keys: str | int) -> Any:
        """The node (PyYAML's) of the value at a key path, or None: its marks say where the
        value's own text starts and ends, so positions inside a block scalar can be found."""
        import yaml

        node = self._node
        for key in keys:
            if isinstance(node, yaml.MappingNode):
                node = next(
                    (v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key),
                    None,
                )
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                node = node.value[key] if 0 <= key < len(node.value) else None
            else:
                return None
        return node

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


def _alias_problem(root: Any) -> str | None:
    """Why the aliases of a document make it unsafe to build, or None.

    An alias inside the node it names makes the data contain itself (every consumer that walks
    it would loop); aliases that make the document more than ten times its distinct values plus
    ten thousand are a YAML bomb (a shared node counts once per use)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:  # post-order without recursion: a node's size once its children have theirs
        node, children_done = stack.pop()
        children = _children(node)
        if children_done:
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children)
            continue
        if id(node) in sizes:
            if sizes[id(node)] < 0:  # still open: this node is one of its own ancestors
                return "an alias refers to the node that holds it (the data would contain itself)"
            continue
        sizes[id(node)] = -1
        stack.append((node, True))
        stack.extend((child, False) for child in children)
    if sizes[id(root)] > 10 * len(sizes) + 10_000:
        return "its aliases expand to far more values than the file holds (a YAML bomb)"
    return None


def _children(node: Any) -> list[Any]:
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
