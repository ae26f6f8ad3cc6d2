"""The imports of a module and the guards around them, read from the text."""

from __future__ import annotations

import re
from typing import NamedTuple

from prodready.source.text import SourceText

_AS = r"(?:[ \t]+as[ \t]+\w+)?"
IMPORT_LINE = re.compile(
    rf"(?:import[ \t]+([\w.]+{_AS}(?:[ \t]*,[ \t]*[\w.]+{_AS})*)|from[ \t]+(\.*[\w.]*)[ \t]+import\b(.*))"
)
IMPORT_ERRORS = re.compile(
    r"^\s*except\s*(\(?[^:]*\b(ImportError|ModuleNotFoundError|Exception|BaseException)\b[^:]*)?:"
)
TYPE_CHECKING_IF = re.compile(r"^\s*if\s+(typing\.)?TYPE_CHECKING\s*:")
VERSION_IF = re.compile(r"^\s*(?:el)?if\s+sys\.version_info(?:\[:2\])?\s*>=?\s*\(\s*3\s*,\s*(\d+)")
VERSION_BELOW = re.compile(r"^\s*(?:el)?if\s+sys\.version_info(?:\[:2\])?\s*<\s*\(\s*3\s*,\s*(\d+)")


class Import(NamedTuple):
    """One imported module (and, for `from` imports, the names taken from it)."""

    module: str
    names: tuple[str, ...]
    line: int
    level: int
    guarded: bool
    type_only: bool
    in_function: bool
    since: int
    below: bool

    @property
    def top(self) -> str:
        """The top-level package name (`a` of `a.b.c`)."""
        return self.module.split(".")[0]


def scan_imports(source: SourceText) -> list[Import]:
    """Every import statement outside strings, with the blocks that guard it.

    `guarded`: inside a `try` whose handler catches ImportError (or broader); `type_only`: under
    `if TYPE_CHECKING:`; `in_function`: inside a `def`; `since`: the minor version an enclosing
    `if sys.version_info >= (3, N)` guarantees; `below`: under a `< (3, N)` test or its `else`.
    """
    found: list[Import] = []
    text = source.text
    for match in IMPORT_LINE.finditer(text):
        start = match.start()
        if not source.at_line_start(start) or source.in_long_string(start):
            continue
        line = source.line_of(start)
        context = _context(source, line)
        if match.group(1):
            for module in (m.split()[0] for m in match.group(1).split(",")):
                found.append(Import(module, (), line, 0, *context))
        else:
            dotted = match.group(2)
            level = len(dotted) - len(dotted.lstrip("."))
            names = _names(match.group(3), source, line)
            found.append(Import(dotted.lstrip("."), names, line, level, *context))
    return found


def _names(rest: str, source: SourceText, line: int) -> tuple[str, ...]:
    """The names a `from … import` takes, following parentheses over several lines."""
    text = rest.split("#", maxsplit=1)[0]
    number = line
    if "(" in text:
        while ")" not in text and number < len(source.line_starts):
            number += 1
            text += " " + source.line(number).split("#")[0]
    cleaned = text.replace("(", " ").replace(")", " ").replace("\\", " ")
    names = []
    for part in cleaned.split(","):
        words = part.split()
        if words:
            names.append(words[0])
    return tuple(names)


def _context(source: SourceText, line: int) -> tuple[bool, bool, bool, int, bool]:
    guarded = type_only = in_function = below = False
    since = 0
    for header in source.enclosing(line):
        code = source.line(header)
        stripped = code.strip()
        if stripped.startswith(("def ", "async def ")):
            in_function = True
        elif (stripped.startswith("try") and _handler_catches_import_error(source, header)) or (
            stripped.startswith("except") and IMPORT_ERRORS.match(code)
        ):
            guarded = True
        elif TYPE_CHECKING_IF.match(code):
            type_only = True
        elif (version := VERSION_IF.match(code)) is not None:
            since = max(since, int(version.group(1)))
        elif VERSION_BELOW.match(code) or (
            stripped.startswith("else") and _else_of_version_check(source, header)
        ):
            below = True
        elif stripped.startswith("else") and _else_of_import_try(source, header):
            guarded = True
    return guarded, type_only, in_function, since, below


def _handler_catches_import_error(source: SourceText, header: int) -> bool:
    """True when a handler of the `try` at `header` catches ImportError (or broader)."""
    base = source.indent(header)
    number = source.block_end(header) + 1
    total = len(source.line_starts)
    while number <= total:
        if source.is_blank(number):
            number += 1
            continue
        if source.indent(number) != base or not source.line(number).lstrip().startswith("except"):
            return False
        if IMPORT_ERRORS.match(source.line(number)):
            return True
        number = source.block_end(number) + 1
    return False


def _else_of_version_check(source: SourceText, header: int) -> bool:
    """True when the `else:` at `header` belongs to an `if sys.version_info >= …` test."""
    base = source.indent(header)
    for above in range(header - 1, 0, -1):
        if source.is_blank(above):
            continue
        if source.indent(above) == base:
            return VERSION_IF.match(source.line(above)) is not None
        if source.indent(above) < base:
            return False
    return False


def _else_of_import_try(source: SourceText, header: int) -> bool:
    """True when the `else:` at `header` closes a `try` whose handler catches ImportError."""
    base = source.indent(header)
    for above in range(header - 1, 0, -1):
        if source.is_blank(above) or source.indent(above) > base:
            continue
        if source.indent(above) < base:
            return False
        line = source.line(above)
        if IMPORT_ERRORS.match(line):
            return True
        if not line.lstrip().startswith("except"):
            return False
    return False


def optional_modules(imports: list[Import]) -> set[str]:
    """Modules a file imports under a guard somewhere: it treats them as optional throughout."""
    return {i.top for i in imports if i.guarded or i.type_only or i.below}
