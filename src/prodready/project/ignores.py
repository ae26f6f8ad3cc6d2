"""Answers "would git ignore this path?" the way git would, with or without git."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


class GitignoreMatcher:
    """The patterns of one `.gitignore` file; `pathspec` is imported only when asked."""

    def __init__(self, text: str) -> None:
        self.lines = [
            line for line in text.splitlines() if line.strip() and not line.startswith("#")
        ]

    @cached_property
    def _spec(self) -> GitIgnoreSpec:
        from pathspec import GitIgnoreSpec

        return GitIgnoreSpec.from_lines(self.lines)

    def match(self, path: str) -> bool | None:
        """True if ignored, False if re-included by a `!` pattern, None if no pattern speaks."""
        if not self.lines:
            return None
        result = self._spec.check_file(path)
        return None if result.include is None else bool(result.include)
