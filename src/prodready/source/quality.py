"""Code-quality facts read from the text: user paths, vague errors, logging set-up at import,
and exception handlers that swallow (CODE004, CODE005, CODE006, CODE008)."""

from __future__ import annotations

import re

from prodready.source.records import Spot
from prodready.source.text import SourceText

USER_PATH = re.compile(r"(/home/|/Users/|[A-Za-z]:\\{1,2}Users\\{1,2})([A-Za-z][\w.-]*)")
PLACEHOLDER_USERS = frozenset(
    {
        "user",
        "username",
        "you",
        "yourname",
        "your_name",
        "me",
        "name",
        "example",
        "someone",
        "foo",
        "bar",
        "runner",
        "jovyan",
        "public",
        "shared",
        "default",
        "all",
        "guest",
        "USER",
        "USERNAME",
        "test",
        "tester",
        "john",
        "jane",
        "alice",
        "bob",
        # accounts of platforms, the same path on every such machine: CI runners, notebook and
        # dev-container images, cloud virtual machines, remote sandboxes
        "ubuntu",
        "ec2-user",
        "vagrant",
        "vscode",
        "codespace",
        "gitpod",
        "coder",
        "daytona",
        "circleci",
        "docs",  # Read the Docs builds in /home/docs/checkouts/readthedocs.org/…
        "travis",
        "node",
        "app",
        "appuser",
        "pi",
    }
)
GENERIC_RAISE = re.compile(
    r"raise[ \t]+(Exception|BaseException|RuntimeError|ValueError|TypeError|OSError|IOError)\b(?:\((.*)\))?[ \t]*(?:from\b.*)?$",
    re.M,
)
VAGUE_MESSAGE = re.compile(
    r"^\s*(error|errors|failed|failure|fail|oops|something went wrong|unknown error|an error occurred|"
    r"error occurred|invalid|invalid input|invalid value|not found|bad|wrong|unexpected|unexpected error|"
    r"not implemented|todo|fixme|problem|exception)[.!]?\s*$",
    re.I,
)
# Each led by a literal (the engine then skips ahead in C) rather than by `^`, which it would try
# at every offset; a match must open its line (column 0: module level).
LOGGING_SETUP = (
    re.compile(
        r"logging\.(?:basicConfig\(|(?:getLogger\(\s*\)|root)\.(?:addHandler|setLevel)\(|"
        r"config\.(?:dictConfig|fileConfig)\()"
    ),
    re.compile(r"root(?:_logger)?\.addHandler\("),
)
BROAD_EXCEPT = re.compile(
    r"except(?:[ \t]*\(?[ \t]*(?:Exception|BaseException)[ \t]*\)?(?:[ \t]+as[ \t]+\w+)?)?[ \t]*:[ \t]*(?:#.*)?$",
    re.M,
)
# The handler's own line says ruff's equivalent checks are off here on purpose.
# bandit's `# nosec` (B110, B112) says the same.
SUPPRESSED = re.compile(
    r"#\s*noqa(?!:)|#\s*noqa:[^#]*\b(?:BLE001|S110|S112|E722)\b|#\s*nosec\b"
    r"|#\s*ruff:\s*(?:ignore|disable)\[[^\]]*\b(?:BLE001|S110|S112|E722|blind-except|"
    r"try-except-pass|try-except-continue|bare-except)\b"
    r"|#\s*pylint:\s*disable=[^#]*\b(?:broad-except|broad-exception-caught|bare-except|"
    r"W0703|W0718|W0702)\b"
)
MAIN_BLOCK = re.compile(r"""if\s+__name__\s*==\s*["']__main__["']""")
# A handler that says nothing: a log line or a warning, even without the traceback, tells
# someone that something failed (a policy of the project, not a lost error).
SWALLOW = re.compile(r"^(pass|continue|\.\.\.|return|return None|break)$")
# What ends a `try` whose handler only passes: an `else:` that leaves on success (the loop of
# alternatives `for f in formats: try … except: continue else: return`) or a `raise` right after
# the statement (the failure is reported there, as SQLAlchemy's "non-hashable values" error).
LEAVES = re.compile(r"^(?:break|return\b.*|continue)$")


def user_paths(source: SourceText) -> list[Spot]:
    """Absolute paths into one person's home folder, written in string literals."""
    found: list[Spot] = []
    if (
        "/home/" not in source.text
        and "/Users/" not in source.text
        and "Users\\" not in source.text
    ):
        return found
    for match in USER_PATH.finditer(source.text):
        before = source.text[match.start() - 1 : match.start()]
        if (
            match.group(2) in PLACEHOLDER_USERS
            or (
                before != "" and (before.isalnum() or before in "}).-_")
            )  # an address, a longer path
            or source.in_long_string(match.start())
            or not source.in_string(match.start())
        ):
            continue
        found.append(Spot(source.line_of(match.start()), match.group(0)))
    return found


def generic_raises(source: SourceText) -> list[Spot]:
    """`raise Exception(...)` and built-in errors raised with no message or a vague one."""
    found = []
    for match in GENERIC_RAISE.finditer(source.text):
        before = source.text[match.start() - 1 : match.start()]
        if before.isalnum() or before == "_" or not source.in_code(match.start()):
            continue
        kind, args = match.group(1), (match.group(2) or "").strip()
        line = source.line_of(match.start())
        if _caught_nearby(source, line, kind) or _caught_by_caller(source, line, kind):
            continue  # raised to jump to a handler: control flow, not an error report
        if kind in ("Exception", "BaseException"):
            found.append(Spot(line, f"raise {kind}({'...' if args else ''})"))
            continue
        if not args and kind in ("OSError", "IOError") and _in_io_method(source, line):
            continue  # `fileno()` of a stream without one: the io protocol's own signal
        literal = re.fullmatch(r"[rbuRBU]?(['\"])(.*)\1", args)
        if not args or (literal and VAGUE_MESSAGE.match(literal.group(2))):
            shown = f"{kind}({args})" if args else f"{kind}()"
            found.append(Spot(source.line_of(match.start()), f"raise {shown}"))
    return found


# The methods of a file-like object, which signal "not supported here" with a bare OSError.
IO_METHODS = frozenset(
    {
        "read",
        "readline",
        "readlines",
        "readinto",
        "write",
        "writelines",
        "fileno",
        "seek",
        "tell",
        "truncate",
        "flush",
        "isatty",
        "detach",
        "peek",
        "read1",
    }
)


def _in_io_method(source: SourceText, line: int) -> bool:
    """True when `line` sits in a method named as the io protocol's (`def readline(self`)."""
    for header in source.enclosing(line):
        match = DEF_NAME.match(source.line(header))
        if match:
            return match.group(1) in IO_METHODS
    return False


def logging_setup(source: SourceText) -> list[int]:
    """Lines that configure logging at module level (run on import)."""
    text = source.text
    starts = sorted(m.start() for pattern in LOGGING_SETUP for m in pattern.finditer(text))
    return [
        source.line_of(start)
        for start in starts
        if (start == 0 or text[start - 1] == "\n") and not source.in_long_string(start)
    ]


def swallowing_handlers(source: SourceText) -> list[int]:
    """Broad `except` clauses whose body only passes, continues, returns or breaks."""
    found = []
    for match in BROAD_EXCEPT.finditer(source.text):
        if not source.at_line_start(match.start()) or not source.in_code(match.start()):
            continue
        header = source.line_of(match.start())
        if SUPPRESSED.search(source.line(header)) or _where_nothing_escapes(source, header):
            continue
        statements = _statements(source.body(header))
        if (
            statements
            and all(SWALLOW.match(line) for line in statements)
            and not _reported_after(source, header)
        ):
            found.append(header)
    return found


def _leaves_loop_on_success(source: SourceText, header: int) -> bool:
    """True for `for x in options: try: …; return x  except Exception: continue`: the `try`
    sits directly in a loop and its own body returns or breaks."""
    opening = next(
        (n for n, line in source.siblings_above(header) if line.lstrip().startswith("try")), None
    )
    if opening is None:
        return False
    enclosing = source.enclosing(opening)
    if not enclosing or not source.line(enclosing[0]).lstrip().startswith(("for ", "async for ")):
        return False  # (a `while` loop retries the same thing: its failures are swallowed)
    return any(LEAVES.match(line) for line in _statements(source.body(opening)))


def _statements(body: str) -> list[str]:
    """The code lines of a block, stripped of indentation and trailing comments."""
    lines = (line.split("  #")[0].strip() for line in body.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _reported_after(source: SourceText, header: int) -> bool:
    """True when the `try` of the handler at `header` tries one of several alternatives (in a
    loop, its body leaves on success) or the rest of the statement reports a failure: its
    `else:` leaves on success or the first statement after it raises."""
    if _leaves_loop_on_success(source, header):
        return True
    base, number, total = source.indent(header), source.block_end(header) + 1, len(source.lines)
    while number <= total:
        if source.is_blank(number) or source.indent(number) > base:
            number += 1
            continue
        line = source.line(number).strip()
        if source.indent(number) < base:
            return False
        if line.startswith("else"):
            else_body = _statements(source.body(number))
            if else_body and all(LEAVES.match(s) for s in else_body):
                return True
        elif not line.startswith(("except", "finally")):
            return line.startswith("raise")
        number = source.block_end(number) + 1
    return False


def _where_nothing_escapes(source: SourceText, line: int) -> bool:
    """True inside `__del__` (an exception cannot leave it) and under
    `if __name__ == "__main__":` (a demo or script, not the library's error handling)."""
    for header in source.enclosing(line):
        stripped = source.line(header).strip()
        if stripped.startswith(("def __del__", "async def __del__")) or MAIN_BLOCK.match(stripped):
            return True
    return False


def _caught_by_caller(source: SourceText, line: int, kind: str) -> bool:
    """True when the function raising at `line` is called inside a `try` of the same module
    whose handler names `kind` (a private helper signalling its caller, which reports)."""
    name = None
    for header in source.enclosing(line):
        match = DEF_NAME.match(source.line(header))
        if match:
            name = match.group(1)
            break
    if name is None or f"{name}(" not in source.text:
        return False
    named = re.compile(rf"\b{kind}\b")
    return any(f"{name}(" in body and named.search(handlers) for body, handlers in _tries(source))


def _tries(source: SourceText) -> list[tuple[str, str]]:
    """(body, handler lines) of every `try` of the module, read once; the body includes what
    follows `try:` on its own line (`try: fg = _color(numbers)`)."""
    if source.tries is None:
        source.tries = []
        for match in TRY.finditer(source.text):
            header = source.line_of(match.start())
            if source.one_line_suite(header):
                body = source.line(header).split(":", 1)[1]
            else:
                body = source.body(header)
            source.tries.append((body, "\n".join(source.handlers(header))))
    return source.tries


DEF_NAME = re.compile(r"\s*(?:async\s+)?def\s+(\w+)")
TRY = re.compile(r"^[ \t]*try[ \t]*:", re.M)


def _caught_nearby(source: SourceText, line: int, kind: str) -> bool:
    """True when a `try` around the line (within its function) has a handler naming `kind`, or
    a `with suppress(…)` around it suppresses it (or `Exception`)."""
    named = re.compile(rf"\b(?:{kind}|Exception|BaseException)\b|^\s*except\s*:")
    for header in source.enclosing(line):
        stripped = source.line(header).lstrip()
        if stripped.startswith(("def ", "async def ", "class ")):
            return False
        if stripped.startswith("try") and any(named.search(h) for h in source.handlers(header)):
            return True  # (a handler of `Exception` or a bare `except:` catches it too)
        if stripped.startswith(("with ", "async with ")) and "suppress(" in stripped:
            suppressed = stripped.split("suppress(", 1)[1]
            if named.search(suppressed) or re.search(r"\b(?:Base)?Exception\b", suppressed):
                return True
    return False
