"""Answers "would git ignore this path?" the way git would, with or without git.

`pathspec` turns each pattern into a regular expression in which `*` is `[^/]*`; a pattern with
many stars (`*a*a*a*a*a*b`) then backtracks exponentially on a path it does not match. Such
patterns are rewritten here so each star but the last takes the earliest place where the text
after it fits, and commits to it (an atomic group): the standard linear wildcard match, which
accepts exactly the same paths because the pieces between stars have a fixed length.
"""

from __future__ import annotations

import itertools
import re
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

STAR = "[^/]*"
MAX_PATTERNS = 10_000  # each path is held against every pattern: a bound on the work
MANY_STARS = 3
# A piece between two stars that stays in one path segment and has a fixed length.
FIXED = re.compile(r"(?:\\.|\[\^/\]|\[[^\]/]+\]|[^\\\[\]()*+?{}|/.^$])*")


class GitignoreMatcher:
    """The patterns of one `.gitignore` file; `pathspec` is imported only when asked."""

    def __init__(self, text: str) -> None:
        lines = (line for line in text.splitlines() if line.strip() and not line.startswith("#"))
        self.lines = list(itertools.islice(lines, MAX_PATTERNS))

    @cached_property
    def _spec(self) -> GitIgnoreSpec:
        from pathspec import GitIgnoreSpec

        try:
            spec = GitIgnoreSpec.from_lines(self.lines)
        except (ValueError, TypeError, re.error):  # a line pathspec cannot read: git skips it
            spec = GitIgnoreSpec.from_lines([line for line in self.lines if _readable(line)])
        for pattern in spec.patterns:
            regex = getattr(pattern, "regex", None)
            if regex is not None and regex.pattern.count(STAR) >= MANY_STARS:
                pattern.regex = re.compile(linear(regex.pattern))
        return spec

    def match(self, path: str) -> bool | None:
        """True if ignored, False if re-included by a `!` pattern, None if no pattern speaks."""
        if not self.lines:
            return None
        result = self._spec.check_file(path)
        return None if result.include is None else bool(result.include)


def _readable(line: str) -> bool:
    from pathspec import GitIgnoreSpec

    try:
        GitIgnoreSpec.from_lines([line])
    except (ValueError, TypeError, re.error):
        return False
    return True


def linear(regex: str) -> str:
    """`regex` with every star but the last of a run made atomic and lazy (see the module)."""
    pieces = regex.split(STAR)
    out = [pieces[0]]
    for index, piece in enumerate(pieces[1:], start=1):
        last = index == len(pieces) - 1
        if not last and FIXED.fullmatch(piece):
            out.append(f"(?>{STAR[:-1]}*?{piece})")
        else:
            out.append(STAR + piece)
    return "".join(out)
