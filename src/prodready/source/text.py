"""Line-level reading of Python source: fast enough for every file of a large tree.

Most source rules need only a handful of facts (which modules are imported and under which
guards, which blocks a line sits in, whether a position is code or string), and regular
expressions over the whole text find the candidates in C. These helpers answer the questions
about each candidate, so most files are never parsed into syntax trees.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from collections.abc import Iterator
from functools import cached_property

HEADER_END = re.compile(r":[ \t]*(?:#[^\n]*)?(?:\n|$)")
BLOCK_KEYWORDS = (
    "def ",
    "async ",
    "class ",
    "if ",
    "elif ",
    "else",
    "try",
    "except",
    "finally",
    "with ",
    "for ",
    "while ",
    "match ",
    "case ",
    "@",
)


class SourceText:
    """One decoded Python file, with lazily built line and string indexes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._cursor = (0, 1)
        self.memo: dict[int, tuple[str, int]] = {}
        # (first line, last line, body, what is caught) of each `try` and `with suppress`, once
        self.tries: list[tuple[int, int, str, str]] | None = None
        self.caught: set[str] | None = None  # the names on `except` and `suppress(` lines
        self.early_exit: bool | None = None  # an `if not <availability check>:` line somewhere
        self.flags: dict[str, int] | None = None  # names that hold a version test, once
        self.definitions: dict[int, tuple[bool, tuple[str, ...], str]] = {}
        self.classes: dict[int, str | None] = {}  # a test class's header -> its owner name
        self._header_scan: Iterator[re.Match[str]] | None = HEADER_END.finditer(text)
        self._header_numbers: list[int] = []
        self._header_indents: list[int] = []
        self._header_line, self._header_offset, self._header_reached = 1, 0, 0

    @cached_property
    def line_starts(self) -> list[int]:
        """Offsets at which each line begins (index 0 is line 1)."""
        lengths = itertools.accumulate(map(len, self.lines[:-1]))
        return [0, *map(operator.add, lengths, range(1, len(self.lines)))]

    def at_line_start(self, offset: int) -> bool:
        """True when only indentation stands before the offset on its line."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        return not self.text[line_start:offset].strip()

    def line_of(self, offset: int) -> int:
        """The 1-based line number of an offset (counted on from the last answer when it can)."""
        last_offset, last_line = self._cursor
        if offset >= last_offset:
            line = last_line + self.text.count("\n", last_offset, offset)
            self._cursor = (offset, line)
            return line
        return bisect.bisect_right(self.line_starts, offset)

    @cached_property
    def lines(self) -> list[str]:
        """The lines of the text, without newlines."""
        return self.text.split("\n")

    def line(self, number: int) -> str:
        """The text of a 1-based line, without its newline."""
        lines = self.lines
        return lines[number - 1] if 0 < number <= len(lines) else ""

    @cached_property
    def string_lines(self) -> frozenset[int]:
        """Lines that begin inside a triple-quoted string."""
        inside: set[int] = set()
        line, position = 1, 0
        for start, end in self.string_spans:
            first = line + self.text.count("\n", position, start)
            last = first + self.text.count("\n", start, end)
            inside.update(range(first + 1, last + 1))
            line, position = last, end
        return frozenset(inside)

    @cached_property
    def string_spans(self) -> list[tuple[int, int]]:
        """Where the triple-quoted strings are (docstrings and embedded code live there)."""
        spans: list[tuple[int, int]] = []
        text, position, closed = self.text, 0, 0  # `closed`: where the last string ended
        double, single = text.find('"""'), text.find("'''")
        while double >= 0 or single >= 0:
            start = double if single < 0 or 0 <= double < single else single
            quote = text[start : start + 3]
            if _before_code(text, closed, start):
                position = start + 3
            else:
                end = text.find(quote, start + 3)
                position = closed = len(text) if end < 0 else end + 3
                spans.append((start, position))
            if 0 <= double < position:
                double = text.find('"""', position)
            if 0 <= single < position:
                single = text.find("'''", position)
        return spans

    def _in_comment(self, offset: int) -> bool:
        line_start = self.text.rfind("\n", 0, offset) + 1
        return _commented(self.text[line_start:offset])

    def in_long_string(self, offset: int) -> bool:
        """True when the offset lies inside a triple-quoted string."""
        spans = self.string_spans
        index = bisect.bisect_right(spans, (offset, len(self.text) + 1)) - 1
        return index >= 0 and spans[index][0] <= offset < spans[index][1]

    def in_code(self, offset: int) -> bool:
        """True unless the offset is inside a string or a comment (judged on its own line)."""
        if self.in_long_string(offset):
            return False
        line_start = self.text.rfind("\n", 0, offset) + 1
        before = self.text[line_start:offset]
        quotes = before.count('"') % 2 == 0 and before.count("'") % 2 == 0
        return quotes and "#" not in _strip_strings(before)

    def in_string(self, offset: int) -> bool:
        """True when the offset is inside a string literal on its line (not in a comment)."""
        if self.in_long_string(offset):
            return True
        line_start = self.text.rfind("\n", 0, offset) + 1
        before = self.text[line_start:offset]
        if "#" in _strip_strings(before):
            return False
        return before.count('"') % 2 == 1 or before.count("'") % 2 == 1

    @cached_property
    def indents(self) -> list[int]:
        """Indentation per line (index 0 is line 1); -1 for blank, comment and in-string lines."""
        result = [
            len(line) - len(stripped) if (stripped := line.lstrip()) and stripped[0] != "#" else -1
            for line in self.lines
        ]
        for number in self.string_lines:
            result[number - 1] = -1
        return result

    def indent(self, number: int) -> int:
        """The indentation width of a 1-based line (a tab counts as one column)."""
        line = self.line(number)
        return len(line) - len(line.lstrip())

    def is_blank(self, number: int) -> bool:
        """True for an empty line or one holding only a comment."""
        stripped = self.line(number).lstrip()
        return not stripped or stripped[0] == "#"

    def block_end(self, header: int, base: int | None = None) -> int:
        r"""The last line of the indented block that starts after the header line `header`.

        Found by searching for the next line of code at the header's indentation or less (in C),
        skipping matches that fall inside triple-quoted strings or continue a line ending in `\`.
        """
        base = self.indent(header) if base is None else base
        dedent = _dedent(base)
        lines = self.lines
        position = (
            sum(len(line) + 1 for line in lines[:header])
            if header < 64
            else self._offset_of(header + 1)
        )
        while True:
            match = dedent.search(self.text, position)
            if match is None:
                end = len(lines)
                break
            continued = self.text[match.start() - 1 : match.start()] == "\\"  # `x = \` + value
            if not continued and not self.in_long_string(match.start() + 1):
                end = self.line_of(match.start() + 1) - 1
                break
            position = match.start() + 1
        while end > header and self.is_blank(end):
            end -= 1
        return end

    def _offset_of(self, number: int) -> int:
        """The offset where 1-based line `number` starts."""
        starts = self.line_starts
        return starts[number - 1] if number <= len(starts) else len(self.text)

    def body(self, header: int, base: int | None = None) -> str:
        """The text of the block under a header line (a `def`, `except`, …); `base` is the
        statement's indentation when its header spans lines (the last line may sit deeper)."""
        return "\n".join(self.lines[header : self.block_end(header, base)])

    def handlers(self, header: int) -> Iterator[str]:
        """The `except …:` lines of the `try` whose header is at `header` (its body may stand on
        the header's line: `try: x = f()`)."""
        base = self.indent(header)
        number = header + 1 if self.one_line_suite(header) else self.block_end(header) + 1
        while number <= len(self.lines):
            if self.is_blank(number):
                number += 1
                continue
            line = self.line(number)
            if self.indent(number) != base or not line.lstrip().startswith("except"):
                return
            yield line
            number = self.block_end(number) + 1

    def one_line_suite(self, header: int) -> bool:
        """True when a `try:`, `else:` or `finally:` header holds its body on its own line."""
        rest = self.line(header).split(":", 1)[1].strip() if ":" in self.line(header) else ""
        return bool(rest) and not rest.startswith("#")

    def siblings_above(self, header: int) -> Iterator[tuple[int, str]]:
        """(number, text) of the lines above `header` at its indentation, nearest first, up to
        the enclosing block."""
        base = self.indent(header)
        for above in range(header - 1, 0, -1):
            if self.is_blank(above) or self.indent(above) > base:
                continue
            if self.indent(above) < base:
                return
            yield above, self.line(above)

    def statement_start(self, header: int) -> int:
        """The first line of the statement that a header line ends (`def f(\n  a,\n) -> None:`)."""
        stripped = self.line(header).lstrip()
        if stripped.startswith(BLOCK_KEYWORDS):
            return header
        base = self.indent(header)
        for above in range(header - 1, max(header - 60, 0), -1):
            line = self.line(above)
            if len(line) - len(line.lstrip()) == base and line.lstrip().startswith(BLOCK_KEYWORDS):
                return above
        return header

    def headers_upto(self, number: int) -> tuple[list[int], list[int]]:
        """(line numbers, indentations) of the lines that open a block (end with `:`), in order,
        at least up to line `number`.

        Found by a search in C, and only as far as asked: imports sit near the top of most
        modules, so most files never have their lower half indexed. Only these lines can enclose
        another, so walking them is far cheaper than walking every line above."""
        numbers, indents = self._header_numbers, self._header_indents
        if self._header_scan is None or self._header_reached > number:
            return numbers, indents
        text = self.text
        for match in self._header_scan:
            end = match.start()
            start = text.rfind("\n", 0, end) + 1
            line = text[start:end]
            stripped = line.lstrip()
            if not stripped or stripped[0] == "#" or ("#" in line and self._in_comment(end)):
                continue
            self._header_line += text.count("\n", self._header_offset, start)
            self._header_offset = start
            numbers.append(self._header_line)
            indents.append(len(line) - len(stripped))
            if self._header_line > number:
                self._header_reached = self._header_line
                return numbers, indents
        self._header_scan = None
        return numbers, indents

    def enclosing(self, number: int) -> list[int]:
        """The header lines of the blocks that contain line `number`, innermost first."""
        found: list[int] = []
        level = self.indent(number)
        if level == 0:
            return found
        numbers, indents = self.headers_upto(number)
        in_strings = self.string_lines
        for index in range(bisect.bisect_left(numbers, number) - 1, -1, -1):
            if indents[index] < level and numbers[index] not in in_strings:
                found.append(self.statement_start(numbers[index]))
                level = indents[index]
                if level == 0:
                    break
        return found


@functools.lru_cache(maxsize=64)
def _dedent(base: int) -> re.Pattern[str]:
    """A newline followed by code indented `base` columns or less."""
    return re.compile(rf"\n(?=[ \t]{{0,{base}}}[^\s#])")


def _strip_strings(text: str) -> str:
    """The text with simple string literals removed, to find a real `#`."""
    return re.sub(r"\"[^\"]*\"|'[^']*'", "", text)


def _before_code(text: str, position: int, offset: int) -> bool:
    """True when the triple quote at `offset` opens no string: it stands in a comment, or inside
    a one-line string opened earlier on its line (the `'''` of `"import os\\n'''\\n"`).
    The line is read from its start, or from `position` where the last triple-quoted string
    ended; a docstring's quote, alone on its line after the indentation, is decided at once."""
    line_start = text.rfind("\n", 0, offset) + 1
    before = text[line_start:offset]
    if not before or before.isspace():
        return False
    return _commented(before) or _in_short_string(text, max(line_start, position), offset)


def _commented(before: str) -> bool:
    """True when the text before a place on its line opens a comment (a `#` outside quotes)."""
    return "#" in before and before.count('"') % 2 == 0 and before.count("'") % 2 == 0


def _in_short_string(text: str, start: int, offset: int) -> bool:
    """True when `offset` lies inside a one-line string opened between `start` (the line's
    start, or where the last triple-quoted string ended) and it."""
    before = text[start:offset]
    if '"' not in before and "'" not in before:
        return False
    quote = ""
    escaped = False
    for char in before:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = bool(quote)
        elif quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#":
            return False
    return bool(quote)
