"""One registration mechanism for every extension point: rules, fixers, output formats, score
tools, project templates and commands.

An extension point is a package. Each public module of the package (its name does not start
with `_`) is an extension module, and registers its entries by calling the point's decorator or
`add` when imported; the package's `__init__` holds the point's interface. Nothing else lists the
modules or the entries: CLI choices, `--help`, the documentation and the scorecard derive from
the registry. Where each module holds exactly one entry, named after the module (`pip_audit.py`
is `pip-audit`), the names are known without importing anything, so `--help` stays fast.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import os
from collections.abc import Callable, Iterator, Mapping
from typing import Generic, TypeVar

from prodready.errors import UsageError

T = TypeVar("T")


class Registry(Generic[T]):
    """The entries of one extension point, by name, in the order they were registered."""

    def __init__(self, package: str, noun: str, *, one_per_module: bool = False) -> None:
        self.package = package
        self.noun = noun
        self.one_per_module = one_per_module
        self._entries: dict[str, T] = {}
        self._loaded = False

    def add(self, name: str, entry: T) -> T:
        """Register one entry; a name registered twice is a programming error."""
        if name in self._entries:
            raise ValueError(f"{self.noun} {name!r} is registered twice")
        self._entries[name] = entry
        return entry

    def decorator(self, name: str) -> Callable[[T], T]:
        """`@registry.decorator(name)`: register the decorated object under `name`."""

        def register(entry: T) -> T:
            return self.add(name, entry)

        return register

    def modules(self) -> list[str]:
        """The extension modules of the package, sorted, found without importing them."""
        spec = importlib.util.find_spec(self.package)
        folders = list(spec.submodule_search_locations or []) if spec else []
        found: set[str] = set()
        for folder in folders:
            for entry in os.listdir(folder):
                name, dot, suffix = entry.partition(".")
                if dot and suffix == "py" and name.isidentifier() and not name.startswith("_"):
                    found.add(name)
        return sorted(found)

    def names(self) -> tuple[str, ...]:
        """Every entry's name: from the module names when there is one entry per module (no
        import needed), else from loading everything."""
        if self.one_per_module:
            return tuple(module.replace("_", "-") for module in self.modules())
        return tuple(self.load())

    def load(self) -> Mapping[str, T]:
        """Every entry, importing each extension module once."""
        if not self._loaded:
            for module in self.modules():
                importlib.import_module(f"{self.package}.{module}")
            self._loaded = True
        return self._entries

    def get(self, name: str) -> T:
        """One entry by name; an unknown name is a usage error that suggests the closest ones."""
        if self.one_per_module and name not in self._entries and name in self.names():
            importlib.import_module(f"{self.package}.{name.replace('-', '_')}")
        entries = self._entries if name in self._entries else self.load()
        if name not in entries:
            known = self.names()
            near = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else f" (known: {', '.join(known)})"
            raise UsageError(f"unknown {self.noun} {name!r}{hint}")
        return entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.load())

    def __contains__(self, name: object) -> bool:
        return name in self.load()
