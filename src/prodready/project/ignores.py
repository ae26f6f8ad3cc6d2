"""Answers "would git ignore this path?" the way git would, with or without git.

`pathspec` turns each pattern into a regular expression in which `*` is `[^/]*`; a pattern with
many stars (`*a*a*a*a*a*b`) then backtracks exponentially on a path it does not match. Such
patterns are rewritten here so each star but the last takes the earliest place where the text
after it fits, and commits to it (an atomic group): the standard linear wildcard match, which
accepts exactly the same paths because the pieces between stars have a fixed length.

A pattern with several `**` (`a/**/b/**/c`) backtracks the same way over folders; its regular
expression is replaced by `Folders`, which matches the pieces between the `**` one after another,
each at the first folder where it fits: exact for the same reason, and linear in the path.
"""

from __future__ import annotations

import itertools
import re
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

STAR = "[^/]*"
ANY_FOLDERS = "(?:/.+)?/"  # pathspec's `/**/`
LEADING = "(?:.+/)?"  # an unanchored pattern: at any depth
TAILS = {"(?:(?P<ps_d>/)|$)": (True, True), "(?P<ps_d>/)": (False, True), "/": (False, False)}
# Each path is held against every pattern of the `.gitignore` files above it: a bound on the
# work outside git, per file and over the whole walk (past it, later patterns are not applied).
MAX_PATTERNS = 1_000
MAX_WALK_PATTERNS = 5_000
MANY_STARS = 3
# A piece between two stars that stays in one path segment and has a fixed length.
FIXED = re.compile(r"(?:\\.|\[\^/\]|\[[^\]/]+\]|[^\\\[\]()*+?{}|/.^$])*")


class GitignoreMatcher:
    """The patterns of one `.gitignore` file; `pathspec` is imported only when asked."""

    def __init__(self, text: str, limit: int = MAX_PATTERNS) -> None:
        lines = (line for line in text.splitlines() if line.strip() and not line.startswith("#"))
        self.lines = list(itertools.islice(lines, max(0, min(limit, MAX_PATTERNS))))

    @cached_property
    def _spec(self) -> GitIgnoreSpec:
        from pathspec import GitIgnoreSpec

        try:
            spec = GitIgnoreSpec.from_lines(self.lines)
        except (ValueError, TypeError, re.error):  # a line pathspec cannot read: git skips it
            spec = GitIgnoreSpec.from_lines([line for line in self.lines if _readable(line)])
        for pattern in spec.patterns:
            regex = getattr(pattern, "regex", None)
            if regex is not None and regex.pattern.count(ANY_FOLDERS) >= 2:
                pattern.regex = Folders.of(regex.pattern) or regex  # type: ignore[assignment]
            elif regex is not None and regex.pattern.count(STAR) >= MANY_STARS:
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


class Folders:
    """A pathspec expression `^P0(?:/.+)?/P1...Pn<tail>` matched piece by piece, each piece at
    the first folder it fits from where the previous one ended (any number of folders between
    pieces, so the earliest end leaves every later choice open). Offers the `search` pathspec
    calls, answering with the directory mark it reads (`ps_d`)."""

    def __init__(self, pattern: str, pieces: list[re.Pattern[str]], leading: bool, tail: str):
        self.pattern = pattern
        self.pieces = [(piece, piece.pattern.count("/") + 1) for piece in pieces]
        self.leading = leading
        self.whole, self.folder = TAILS[tail]

    @classmethod
    def of(cls, pattern: str) -> Folders | None:
        """The matcher for `pattern`, or None when it is not of that shape."""
        tail = next((end for end in TAILS if pattern.endswith(end)), None)
        if not pattern.startswith("^") or tail is None:
            return None
        body = pattern[1 : len(pattern) - len(tail)]
        leading = body.startswith(LEADING)
        texts = body.removeprefix(LEADING).split(ANY_FOLDERS)
        if any(not text or ".+" in text or "(" in text for text in texts):
            return None
        try:
            pieces = [re.compile(linear(text)) for text in texts]
        except re.error:
            return None
        return cls(pattern, pieces, leading, tail)

    def search(self, path: str) -> _Match | None:
        parts = path.split("/")
        start = self._first(parts)
        if start is None:
            return None
        last, size = self.pieces[-1]
        if self.whole and len(parts) - size >= start and _fits(last, parts, len(parts) - size):
            return _Match(None)
        for begin in range(start, len(parts) - size):
            if _fits(last, parts, begin):
                return _Match("/" if self.folder else None)
        return None

    def _first(self, parts: list[str]) -> int | None:
        """Where the last piece may start: after every other piece, each at its earliest."""
        at = 0
        for index, (piece, size) in enumerate(self.pieces[:-1]):
            starts = range(at, len(parts) - size + 1) if self.leading or index else (0,)
            at = next((begin + size for begin in starts if _fits(piece, parts, begin)), -1)
            if at < 0:
                return None
        return at


def _fits(piece: re.Pattern[str], parts: list[str], begin: int) -> bool:
    size = piece.pattern.count("/") + 1
    return (
        begin + size <= len(parts)
        and piece.fullmatch("/".join(parts[begin : begin + size])) is not None
    )


class _Match:
    """The part of `re.Match` pathspec reads: whether a folder of the path matched."""

    def __init__(self, folder: str | None) -> None:
        self.folder = folder

    def groupdict(self) -> dict[str, str | None]:
        return {"ps_d": self.folder}
