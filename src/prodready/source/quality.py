"""Code-quality facts read from the text: user paths, vague errors, logging set-up at import,
and exception handlers that swallow (CODE004, CODE005, CODE006, CODE008)."""

from __future__ import annotations

import re

from prodready.source.records import Catch, GenericRaise, Spot
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


# A compound CamelCase word (`AuthenticateByName`) is an endpoint of a web API, not an account.
ENDPOINT_NAME = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+")
# The default of a setting read by name (`env.str("MEDIA_ROOT", "/home/wger/media")`,
# `os.getenv("DATA", ...)`): the path already comes from configuration.
SETTING_DEFAULT = re.compile(r"""\(\s*["'][A-Z][A-Z0-9_]*["']\s*,\s*(?:default\s*=\s*)?[rbuf]?$""")


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
        name = match.group(2)
        if (
            name in PLACEHOLDER_USERS
            or name.lower() in PLACEHOLDER_USERS  # `/Users/Public`, `C:\Users\Default`
            or ENDPOINT_NAME.fullmatch(name)  # `/Users/AuthenticateByName`: a web API's path
            or SETTING_DEFAULT.search(source.text, max(0, match.start() - 120), match.start() - 1)
            or (
                before != "" and (before.isalnum() or before in "}).-_")
            )  # an address, a longer path
            or source.in_long_string(match.start())
            or not source.in_string(match.start())
        ):
            continue
        found.append(Spot(source.line_of(match.start()), match.group(0)))
    return found


def generic_raises(source: SourceText) -> list[GenericRaise]:
    """`raise Exception(...)` and built-in errors raised with no message or a vague one, each
    with the private functions through which it leaves its module (see `GenericRaise`)."""
    found = []
    escapes: dict[tuple[str | None, str], tuple[str, ...] | None] = {}  # by (function, kind)
    uses: dict[str, list[int]] = {}
    for match in GENERIC_RAISE.finditer(source.text):
        before = source.text[match.start() - 1 : match.start()]
        if before.isalnum() or before == "_" or not source.in_code(match.start()):
            continue
        kind, args = match.group(1), (match.group(2) or "").strip()
        line = source.line_of(match.start())
        if _caught_nearby(source, line, kind):
            continue  # raised to jump to a handler: control flow, not an error report
        function = _function_of(source, line)
        if (function, kind) not in escapes:
            escapes[function, kind] = _escapes_through(source, function, kind, uses)
        through = escapes[function, kind]
        if through is None:
            continue  # a caller of this module catches it: a signal to that caller
        private = tuple(n for n in through if n.startswith("_") and not n.startswith("__"))
        if kind in ("Exception", "BaseException"):
            if args and _in_main_block(source, line):
                continue  # a script's own exit with its message: no caller to catch it apart
            text = f"raise {kind}({'...' if args else ''})"
            found.append(GenericRaise(line, text, kind, private))
            continue
        if not args and kind in ("OSError", "IOError") and _in_io_method(source, line):
            continue  # `fileno()` of a stream without one: the io protocol's own signal
        literal = re.fullmatch(r"[rbuRBU]?(['\"])(.*)\1", args)
        if not args or (literal and VAGUE_MESSAGE.match(literal.group(2))):
            shown = f"{kind}({args})" if args else f"{kind}()"
            found.append(GenericRaise(line, f"raise {shown}", kind, private))
    return found


def _in_main_block(source: SourceText, line: int) -> bool:
    """True under a module-level `if __name__ == "__main__":`."""
    return any(MAIN_BLOCK.match(source.line(h).strip()) for h in source.enclosing(line))


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


# How far `_escapes_through` follows callers in the module: the function raising, its callers,
# and theirs (a helper signalling through the method that calls it, to the loop that catches)
CALLER_DEPTH = 2
# A function called from more places than this is no one caller's signal: its callers are
# not followed further (its direct callers are still read)
MAX_USES = 12
CATCH_ALL = ("Exception", "BaseException")


def _escapes_through(
    source: SourceText, name: str | None, kind: str, uses: dict[str, list[int]]
) -> tuple[str, ...] | None:
    """The functions of the module through which an exception raised in the function `name`
    leaves it: the function raising, then (up to `CALLER_DEPTH`) the functions that call or
    hand on those; None when a `try` or `with suppress(...)` of the module catches `kind` by
    name around such a call (a private helper signalling its caller, which reports or tries
    the next way). For a plain `Exception` the result is (): other modules' handlers of
    `Exception` catch everything and prove no signal. `uses` remembers where names are used."""
    if name is None:
        return ()
    if kind in CATCH_ALL and "try" not in source.text and "suppress(" not in source.text:
        return ()
    named = re.compile(rf"\b{kind}\b")
    ranges = (
        [(a, b) for a, b, _, caught in _guarded(source) if named.search(caught)]
        if _catches_somewhere(source, (kind,))
        else []
    )
    reached, frontier = [name], [name]
    # (a handler of `Exception` further up catches every error: only a direct caller's counts)
    deepest = 0 if kind in CATCH_ALL else CALLER_DEPTH
    for depth in range(deepest + 1):
        callers: list[str] = []
        for called in frontier:
            if called not in uses:
                uses[called] = _uses(source, called)
            for number in uses[called]:
                if any(first <= number <= last for first, last in ranges):
                    return None  # (a closure handed on inside the `try` is inside it too)
                if depth == deepest or len(uses[called]) > MAX_USES:
                    continue
                caller = _function_of(source, number)
                if caller is not None and caller not in reached and caller not in callers:
                    callers.append(caller)
        if not callers:
            break
        frontier = callers
        reached.extend(callers)
    return tuple(reached) if kind not in CATCH_ALL else ()


def _function_of(source: SourceText, line: int) -> str | None:
    """The name of the innermost function around `line` (None at module level)."""
    for header in source.enclosing(line):
        match = DEF_NAME.match(source.line(header))
        if match:
            return match.group(1)
    return None


def _uses(source: SourceText, name: str) -> list[int]:
    """The lines where code calls `name` or hands it on (`sync_to_thread(self._call_next)`),
    not its definitions, assignments, comments or strings."""
    text, found, start = source.text, [], source.text.find(name)
    size = len(name)
    while start >= 0:
        end = start + size
        before, after = text[start - 1 : start], text[end : end + 1]
        if (
            not (before.isalnum() or before == "_")
            and not (after.isalnum() or after == "_")
            and not ASSIGNED_AFTER.match(text, end)
            and text[text.rfind("\n", 0, start) + 1 : start].strip()
            not in ("def", "async def", "class")
            and source.in_code(start)
        ):
            found.append(source.line_of(start))
        start = text.find(name, end)
    return found


ASSIGNED_AFTER = re.compile(r"[ \t]*=[^=]")


def _guarded(source: SourceText) -> list[tuple[int, int, str, str]]:
    """(first line, last line, body, what is caught) of every `try` (its `except` lines) and
    `with suppress(...)` (its arguments) of the module, read once; a `try` body includes what
    follows `try:` on its own line (`try: fg = _color(numbers)`)."""
    if source.tries is None:
        source.tries = []
        for match in TRY.finditer(source.text):
            header = source.line_of(match.start())
            if source.one_line_suite(header):
                first, last, body = header, header, source.line(header).split(":", 1)[1]
            else:
                first, last, body = header + 1, source.block_end(header), source.body(header)
            source.tries.append((first, last, body, "\n".join(source.handlers(header))))
        if "suppress(" in source.text:
            for match in SUPPRESS.finditer(source.text):
                header = source.line_of(match.start())
                if source.in_code(match.start()):
                    last = source.block_end(header)
                    source.tries.append((header + 1, last, source.body(header), match.group(1)))
    return source.tries


# the exceptions whose handlers CODE005 reads, and DEP007's `ImportError` around a call of a
# helper that imports an optional module (read only in a file with an import in a function)
SPECIFIC = ("RuntimeError", "ValueError", "TypeError", "OSError", "IOError")
IMPORT_ERRORS = ("ImportError", "ModuleNotFoundError")


def _catches_somewhere(source: SourceText, kinds: tuple[str, ...]) -> bool:
    """True when an `except` or `suppress(` line of the module names one of `kinds` (a cheap
    test before the blocks are read); the names on those lines are read once."""
    if source.caught is None:
        text = source.text
        lines = [m.group(1) for m in EXCEPT_LINE.finditer(text)]
        if "suppress(" in text:
            lines.extend(m.group(1) for m in SUPPRESS_LINE.finditer(text))
        source.caught = set(NAME.findall("\n".join(lines)))
    return not source.caught.isdisjoint(kinds)


EXCEPT_LINE = re.compile(r"except\b([^\n:]*)")
SUPPRESS_LINE = re.compile(r"suppress\(([^\n]*)")
NAME = re.compile(r"\w+")


SUPPRESS = re.compile(r"^[ \t]*(?:async[ \t]+)?with[ \t]+[\w.]*suppress\(([^)]*)\)", re.M)
PRIVATE_NAME = re.compile(r"(?<![\w])(_[A-Za-z]\w*)\b")
CAUGHT_NAME = re.compile(r"[A-Za-z_][\w.]*")


def catches(source: SourceText, lazy_imports: bool = False) -> list[Catch]:
    """The private functions called or handed on in the `try` blocks (and `with suppress(...)`)
    of a module, with the exceptions caught around them (`BaseException` for a bare
    `except:`); `lazy_imports`: the module imports inside a function, so its handlers of
    `ImportError` count too."""
    kinds: dict[str, set[str]] = {}
    if not _catches_somewhere(source, SPECIFIC + IMPORT_ERRORS if lazy_imports else SPECIFIC):
        return []  # (other modules' handlers of `Exception` prove no signal: not recorded)
    for _, _, body, handlers in _guarded(source):
        if "_" not in body:
            continue
        caught: set[str] = set()
        for handler in handlers.splitlines():
            names = CAUGHT_NAME.findall(
                handler.split("#")[0].split(" as ")[0].replace("except", "", 1)
            )
            caught.update(n.rsplit(".", 1)[-1] for n in names if n != "as")
            if not names and handler.lstrip().startswith("except"):
                caught.add("BaseException")  # a bare `except:`
        for name in PRIVATE_NAME.findall(body):
            if not name.startswith("__"):
                kinds.setdefault(name, set()).update(caught)
    return [Catch(name, tuple(sorted(found))) for name, found in sorted(kinds.items()) if found]


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
        if (
            stripped.startswith(("with ", "async with "))
            and "suppress(" in stripped
            and named.search(stripped.split("suppress(", 1)[1])
        ):
            return True
    return False
