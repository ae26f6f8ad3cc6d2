"""Small helpers that turn "this key in this file" into a violation with a line."""

from __future__ import annotations

from typing import Protocol

from prodready.findings import Violation


class Located(Protocol):
    """A parsed document that can say on which line a key was written."""

    path: str

    def line_of(self, *keys: str) -> int | None:
        """The line of the key path, or of its nearest written ancestor."""


def at_key(doc: Located, message: str, *keys: str) -> Violation:
    """A violation pointing at the line where `keys` is written in `doc`."""
    return Violation(message, doc.path, doc.line_of(*keys) or 1, 1)


def at_line(path: str, message: str, line: int | None = None) -> Violation:
    """A violation on a file, at a line when one is known."""
    return Violation(message, path, line, 1 if line else None)


def line_containing(text: str, needle: str, start: int = 1) -> int | None:
    """The first line (1-based, from `start`) that contains `needle`."""
    for number, line in enumerate(text.splitlines()[start - 1 :], start=start):
        if needle in line:
            return number
    return None
