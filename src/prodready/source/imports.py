"""The imports of a module and the guards around them, read from the text."""

from __future__ import annotations

import re

from prodready.digits import number
from prodready.source.records import Import
from prodready.source.text import SourceText

_AS = r"(?:[ \t]+as[ \t]+\w+)?"
IMPORT_LINE = re.compile(rf"import[ \t]+([\w.]+{_AS}(?:[ \t]*,[ \t]*[\w.]+{_AS})*)")
FROM_LINE = re.compile(r"from[ \t]+(\.*[\w.]*)[ \t]+import\b(.*)")
IMPORT_ERRORS = re.compile(
    r"^\s*except\s*(\(?[^:]*\b(ImportError|ModuleNotFoundError|Exception|BaseException)\b[^:]*)?:"
)
# the handler of a name an older Python or library lacks (`except NameError:` around the
# built-in `ExceptionGroup`): what it imports is a fallback for an environment, not a requirement
FALLBACK = re.compile(r"^\s*except\s*\(?[^:]*\b(?:NameError|AttributeError)\b[^:]*:")
SUPPRESS_IMPORT_ERROR = re.compile(
    r"suppress\([^)]*\b(?:ImportError|ModuleNotFoundError|Exception|BaseException)\b"
    # a context manager of the project's own that catches the missing import (pydantic-ai's
    # `with try_import() as available:`, `optional_import()`, `import_optional(...)`, haystack's
    # `with LazyImport("Run 'pip install boto3'") as boto3_import:`, checked where it is used)
    r"|\b(?i:try|optional|maybe|safe|lazy)_?(?i:imports?)\(|\bimports?_?optional\w*\("
)
TYPE_CHECKING_IF = re.compile(r"^\s*if\s+(\w+\.)?TYPE_CHECKING\s*:")
VERSION_FLAG = re.compile(
    r"^(\w+)\s*(?::\s*\w+\s*)?=\s*sys\.version_info(?:\[:2\])?\s*>=\s*\(\s*3\s*,\s*(\d+)", re.M
)
# Written to start with a literal, which the regex engine finds fast; the word boundary and an
# `IS_` prefix before it are checked by `_named_flags`.
NAMED_FLAG = re.compile(r"(?:PY|py)_?3_?(\d{1,2})(?:_?(?:PLUS|plus|OR_LATER|or_later|GE|ge))?\b")
PLAIN_IF = re.compile(r"^\s*if\s+(not\s+)?(\w+)\s*:")
# Conditions that test whether an optional module can be imported (the Hugging Face
# `is_x_available()` helpers, `find_spec`, lightning's `RequirementCache`, `_HAS_X` flags).
AVAILABILITY = re.compile(
    r"\b(?:is_\w+_available|is_\w+_enabled|\w*_available|\w*AVAILABLE\w*|find_spec|module_available|"
    r"package_available|RequirementCache|is_installed|\w*_installed|\w*INSTALLED\w*|"
    r"_?HAS_[A-Z0-9_]+|_?has_[a-z0-9_]+|importorskip)\b"
)
# An `if not <availability check>:` line anywhere (before looking for one above each import).
# A pre-filter only (a match in a comment costs a look, not a wrong answer), so it starts with
# its literal and is not anchored.
EARLY_EXIT = re.compile(
    r"if not [^\n]*(?:available|AVAILABLE|find_spec|HAS_|has_|nstalled|INSTALLED)"
)
# The module an availability check names, each pattern led by its literal: `is_nltk_available()`,
# `find_spec("nltk")`, `_HAS_NLTK`, `module_available("nltk")`, `RequirementCache("nltk")`; and
# `NLTK_AVAILABLE`, whose name stands before the literal (read backwards by `_flag_names`).
CHECKED_MODULE = (
    ("is_", re.compile(r"is_(\w+?)_available\b")),
    ("find_spec", re.compile(r"find_spec\([ \t]*[\"']([\w.]+)")),
    ("HAS_", re.compile(r"HAS_([A-Z0-9_]+)\b")),
    ("_available(", re.compile(r"_available\([ \t]*[\"']([\w.]+)")),
    ("RequirementCache(", re.compile(r"RequirementCache\([ \t]*[\"']([\w.]+)")),
)
MAIN_BLOCK = re.compile(r"""if[ \t]+__name__[ \t]*==[ \t]*["']__main__["']""")
MAIN_GUARD = re.compile(r"""__name__\s*==\s*["']__main__["']""")
# `if "pytest" in sys.modules:` — the block runs only where the module is already imported
LOADED_TEST = re.compile(r"""["'][\w.]+["']\s+in\s+sys\.modules\b""")
OPTIONAL_NAME = re.compile(r"(\w+)\s+is\s+not\s+None\s*:")
OPTIONAL_CALL = r"(?:import_module|importorskip|optional_import|lazy_import|try_import|find_spec)\("
VERSION_IF = re.compile(r"^\s*(?:el)?if\s+sys\.version_info(?:\[:2\])?\s*>=?\s*\(\s*3\s*,\s*(\d+)")
VERSION_BELOW = re.compile(r"^\s*(?:el)?if\s+sys\.version_info(?:\[:2\])?\s*<\s*\(\s*3\s*,\s*(\d+)")


def scan_imports(source: SourceText) -> list[Import]:
    """Every import statement outside strings, with the blocks that guard it.

    `guarded`: inside a `try` whose handler catches ImportError (or broader); `type_only`: under
    `if TYPE_CHECKING:`; `in_function`: inside a `def`; `since`: the minor version an enclosing
    `if sys.version_info >= (3, N)` guarantees; `below`: under a `< (3, N)` test or its `else`.
    """
    found: list[Import] = []
    text = source.text
    matches = sorted(
        [*IMPORT_LINE.finditer(text), *FROM_LINE.finditer(text)], key=lambda m: m.start()
    )
    covered = 0  # the end of the last `from … import` taken: its `import …` part matched too
    for match in matches:
        start = match.start()
        if start < covered or not source.at_line_start(start) or source.in_long_string(start):
            continue
        line = source.line_of(start)
        context = context_at(source, line)
        if match.re is IMPORT_LINE:
            for module in (m.split()[0] for m in match.group(1).split(",")):
                found.append(Import(module, (), line, 0, *context))
        else:
            dotted = match.group(1)
            level = len(dotted) - len(dotted.lstrip("."))
            names = _names(match.group(2), source, line)
            found.append(Import(dotted.lstrip("."), names, line, level, *context))
            covered = match.end()
    return found


def _names(rest: str, source: SourceText, line: int) -> tuple[str, ...]:
    """The names a `from … import` takes, following parentheses over several lines."""
    text = rest.split("#", maxsplit=1)[0]
    number = line
    if "(" in text:
        while ")" not in text and number < len(source.lines):
            number += 1
            text += " " + source.line(number).split("#")[0]
    cleaned = text.replace("(", " ").replace(")", " ").replace("\\", " ")
    names = []
    for part in cleaned.split(","):
        words = part.split()
        if words:
            names.append(words[0])
    return tuple(names)


def version_flags(source: SourceText) -> dict[str, int]:
    """Module constants such as `PY_3_14_PLUS = sys.version_info[:2] >= (3, 14)`, and names
    that say so themselves (`py311`, `PY_3_11_PLUS`, `IS_PY311`, often imported from a compat
    module): name -> minor. Read once per text."""
    if source.flags is None:
        named = _named_flags(source.text)
        if "version_info" in source.text:
            named.update(
                (m.group(1), number(m.group(2))) for m in VERSION_FLAG.finditer(source.text)
            )
        source.flags = named
    return source.flags


def _named_flags(text: str) -> dict[str, int]:
    """The names that carry a minor version (`PY311`, `is_py_3_11_plus`), name -> minor."""
    found: dict[str, int] = {}
    if not any(marker in text for marker in ("py3", "PY3", "py_3", "PY_3")):
        return found
    for match in NAMED_FLAG.finditer(text):
        start = match.start()
        if text[start - 3 : start] in ("IS_", "is_"):
            start -= 3
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            continue
        found[text[start : match.end()]] = number(match.group(1))
    return found


def context_at(
    source: SourceText, line: int, flags: dict[str, int] | None = None
) -> tuple[bool, bool, bool, int, bool]:
    """(guarded, type_only, in_function, since, below) for a line, from the blocks around it.
    The version flags of the text (`flags`) are read only when a block's test may name one."""
    guarded = type_only = in_function = below = conditional = False
    since = 0
    memo = source.memo
    for header in source.enclosing(line):
        kind = memo.get(header)
        if kind is None:
            kind = memo[header] = _classify(source, header, flags)
        name, value = kind
        if name == "def":
            in_function = True
        elif name == "guard":
            guarded = True
        elif name == "type_checking":
            type_only = True
        elif name == "since":
            since = max(since, value)
        elif name == "below":
            below = True
        elif name == "if":
            conditional = True
    guarded = guarded or (conditional and in_function)
    if in_function and not guarded:
        guarded = _returns_when_missing(source, line)
    return guarded, type_only, in_function, since, below


def _returns_when_missing(source: SourceText, line: int) -> bool:
    """True when an earlier statement of the same block leaves unless the module is available:
    `if not is_trackio_available(): return None` before `from trackio import …`."""
    if source.early_exit is None:
        source.early_exit = EARLY_EXIT.search(source.text) is not None
    if not source.early_exit:
        return False
    for _, text in source.siblings_above(line):
        stripped = text.strip()
        if stripped.startswith("if not ") and AVAILABILITY.search(stripped):
            return True
    return False


def _classify(source: SourceText, header: int, flags: dict[str, int] | None) -> tuple[str, int]:
    """What a block header means for the imports inside it."""
    code = source.line(header)
    stripped = code.strip()
    if stripped.startswith(("def ", "async def ")):
        return "def", 0
    if stripped.startswith("try") and _handler_catches_import_error(source, header):
        return "guard", 0
    if stripped.startswith("except") and (IMPORT_ERRORS.match(code) or FALLBACK.match(code)):
        return "guard", 0
    if stripped.startswith("with") and SUPPRESS_IMPORT_ERROR.search(stripped):
        return "guard", 0  # `with contextlib.suppress(ImportError):`, `with try_import():`
    if TYPE_CHECKING_IF.match(code):
        return "type_checking", 0
    version = _version_test(source, header, code, stripped, flags)
    if version is not None:
        return ("since", version) if version > 0 else ("below", 0)
    if stripped.startswith("else") and _else_of_import_try(source, header):
        return "guard", 0
    if stripped.startswith(("if ", "elif ")):
        return ("guard", 0) if _tests_availability(source, stripped) else ("if", 0)
    return "other", 0


def _tests_availability(source: SourceText, stripped: str) -> bool:
    """True for an `if` that runs its block only where a module can be imported or the file is
    run as a script: `if is_torch_available():`, `if find_spec("x")`, `if _HAS_RICH:`,
    `if __name__ == "__main__":`, `if "pytest" in sys.modules:`, or `if x:` after
    `x = import_module("x")`."""
    condition = stripped.split(None, 1)[1] if " " in stripped else ""
    if AVAILABILITY.search(condition) or MAIN_GUARD.match(condition):
        return True
    if "sys.modules" in condition and LOADED_TEST.search(condition):
        return True
    plain = PLAIN_IF.match(stripped) or OPTIONAL_NAME.match(condition)
    if plain is None:
        return False
    name = plain.group(plain.lastindex or 1)
    return (
        re.search(rf"^[ \t]*{re.escape(name)}[ \t]*=[^\n]*{OPTIONAL_CALL}", source.text, re.M)
        is not None
    )


def _version_test(
    source: SourceText, header: int, code: str, stripped: str, flags: dict[str, int] | None
) -> int | None:
    """The minor version a header guarantees (> 0), -1 when it means an older Python, else None."""
    if (match := VERSION_IF.match(code)) is not None:
        return number(match.group(1))
    if (match := VERSION_BELOW.match(code)) is not None:
        return -1
    if not stripped.startswith(("if ", "elif ", "else")):
        return None
    flags = version_flags(source) if flags is None else flags
    if (match := PLAIN_IF.match(code)) is not None and match.group(2) in flags:
        return -1 if match.group(1) else flags[match.group(2)]
    if (since := _flag_in_conjunction(code, flags)) is not None:
        return since
    if stripped.startswith("else"):
        opening = _if_of_else(source, header)
        if opening is not None:
            inner = _version_test(
                source, opening, source.line(opening), source.line(opening).strip(), flags
            )
            if inner is not None:
                return -1 if inner > 0 else _minor_of_below(source.line(opening), flags)
    return None


def _flag_in_conjunction(code: str, flags: dict[str, int]) -> int | None:
    """The minor version an `if A and py311:` guarantees through one of its plain terms."""
    stripped = code.strip()
    if not stripped.startswith(("if ", "elif ")) or " and " not in stripped:
        return None
    terms = stripped.split(None, 1)[1].rstrip(":").split(" and ")
    found = [flags[term.strip()] for term in terms if term.strip() in flags]
    return max(found) if found else None


def _minor_of_below(code: str, flags: dict[str, int]) -> int:
    match = VERSION_BELOW.match(code)
    if match:
        return number(match.group(1))
    plain = PLAIN_IF.match(code)
    return flags.get(plain.group(2), -1) if plain else -1


def _if_of_else(source: SourceText, header: int) -> int | None:
    """The `if` line that an `else:` at `header` belongs to."""
    for line_number, line in source.siblings_above(header):
        stripped = line.strip()
        if stripped.startswith("if "):
            return line_number
        if not stripped.startswith("elif "):
            return None
    return None


def _handler_catches_import_error(source: SourceText, header: int) -> bool:
    """True when a handler of the `try` at `header` catches ImportError (or broader)."""
    return any(IMPORT_ERRORS.match(line) for line in source.handlers(header))


def _else_of_import_try(source: SourceText, header: int) -> bool:
    """True when the `else:` at `header` closes a `try` whose handler catches ImportError."""
    for _, line in source.siblings_above(header):
        if IMPORT_ERRORS.match(line):
            return True
        if not line.lstrip().startswith("except"):
            return False
    return False


def optional_modules(imports: list[Import]) -> set[str]:
    """Modules a file imports under a guard somewhere: it treats them as optional throughout."""
    return {i.top for i in imports if i.guarded or i.type_only or i.below}


def checked_modules(text: str) -> list[str]:
    """The top-level modules whose availability the text tests, lower-cased: a module imported
    inside a function of such a file is optional there, even when the check sits elsewhere (a
    class's `__init__` raising a helpful error for `delete()`'s lazy import)."""
    found: set[str] = set()
    for literal, pattern in CHECKED_MODULE:
        if literal in text:
            found.update(m.group(1).split(".")[0].lower() for m in pattern.finditer(text))
    if "_AVAILABLE" in text:
        found.update(_flag_names(text))
    return sorted(found)


def _flag_names(text: str) -> set[str]:
    """`nltk` for each `NLTK_AVAILABLE` (or `_NLTK_AVAILABLE`) in the text."""
    names = set()
    position = text.find("_AVAILABLE")
    while position != -1:
        start = position
        while start > 0 and (text[start - 1].isupper() or text[start - 1].isdigit()):
            start -= 1
        if start < position:
            names.add(text[start:position].lower())
        position = text.find("_AVAILABLE", position + 10)
    return names


def runs_as_script(text: str) -> bool:
    """True when the module has a module-level `if __name__ == "__main__":` block."""
    position = text.find("__main__")
    while position != -1:
        line_start = text.rfind("\n", 0, position) + 1
        if text.startswith("if", line_start) and MAIN_BLOCK.match(text, line_start):
            return True
        position = text.find("__main__", position + 8)
    return False


# Cython's module-level imports: `cimport blis.cy`, `from preshed.maps cimport PreshMap` (the
# declarations of another compiled package, compiled against and loaded at run time) and plain
# `import x` / `from x import y`
CYTHON_IMPORT = re.compile(
    r"^[ \t]*(?:(c?)import[ \t]+([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*)"
    r"|from[ \t]+([\w.]+)[ \t]+(c?)import\b)",
    re.M,
)


def cython_imports(text: str) -> dict[str, bool]:
    """The absolute modules a Cython source (`.pyx`, `.pxd`) imports, each with whether it
    cimports it, compiling against its declarations (`cimport blis.cy` is `blis.cy`; `from
    preshed.maps cimport PreshMap` is `preshed.maps`)."""
    found: dict[str, bool] = {}
    for match in CYTHON_IMPORT.finditer(text):
        if match.group(3) is not None:
            modules, compiled = [match.group(3)], bool(match.group(4))
        else:
            modules = [part.split()[0] for part in match.group(2).split(",")]
            compiled = bool(match.group(1))
        for module in modules:
            if not module.startswith("."):
                found[module] = found.get(module, False) or compiled
    return found
