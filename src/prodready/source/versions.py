"""What a module needs of the Python version: newer syntax and newer standard-library modules
and names (CODE003), each with the minor version that introduced it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from prodready.digits import number
from prodready.source.imports import context_at, version_flags
from prodready.source.records import Import, Newer
from prodready.source.text import SourceText

# Standard-library modules and names by the 3.x minor version that added them.
NEW_MODULES: dict[str, int] = {
    "zoneinfo": 9,
    "graphlib": 9,
    "tomllib": 11,
    "annotationlib": 14,
    "compression": 14,
    "string.templatelib": 14,
    "importlib.resources.abc": 11,
}
NEW_NAMES: dict[tuple[str, str], int] = {
    **dict.fromkeys([("typing", n) for n in ("Annotated", "get_type_hints_include_extras")], 9),
    **dict.fromkeys(
        [
            ("typing", n)
            for n in (
                "ParamSpec",
                "Concatenate",
                "TypeAlias",
                "TypeGuard",
                "is_typeddict",
                "ParamSpecArgs",
                "ParamSpecKwargs",
            )
        ],
        10,
    ),
    **dict.fromkeys(
        [
            ("typing", n)
            for n in (
                "Self",
                "LiteralString",
                "Never",
                "Required",
                "NotRequired",
                "TypeVarTuple",
                "Unpack",
                "assert_never",
                "assert_type",
                "reveal_type",
                "dataclass_transform",
                "get_overloads",
                "clear_overloads",
            )
        ],
        11,
    ),
    **dict.fromkeys(
        [
            ("typing", n)
            for n in ("override", "TypeAliasType", "get_protocol_members", "is_protocol")
        ],
        12,
    ),
    **dict.fromkeys(
        [("typing", n) for n in ("ReadOnly", "TypeIs", "NoDefault", "get_protocol_members")], 13
    ),
    ("functools", "cache"): 9,
    ("math", "lcm"): 9,
    ("random", "randbytes"): 9,
    ("itertools", "pairwise"): 10,
    ("contextlib", "aclosing"): 10,
    ("dataclasses", "KW_ONLY"): 10,
    ("inspect", "get_annotations"): 10,
    ("statistics", "correlation"): 10,
    ("importlib.metadata", "packages_distributions"): 10,
    ("bisect", "insort_left_key"): 10,
    ("datetime", "UTC"): 11,
    ("enum", "StrEnum"): 11,
    ("enum", "verify"): 11,
    ("enum", "member"): 11,
    ("contextlib", "chdir"): 11,
    ("asyncio", "TaskGroup"): 11,
    ("asyncio", "timeout"): 11,
    ("asyncio", "Runner"): 11,
    ("hashlib", "file_digest"): 11,
    ("operator", "call"): 11,
    ("itertools", "batched"): 12,
    ("collections.abc", "Buffer"): 12,
    ("pathlib", "UnsupportedOperation"): 13,
    ("warnings", "deprecated"): 13,
    ("copy", "replace"): 13,
}
# module -> ("module.name" as written in code, minor): the attribute uses to look for.
NAMES_BY_MODULE: dict[str, list[tuple[str, int]]] = {}
for (_module, _name), _minor in NEW_NAMES.items():
    NAMES_BY_MODULE.setdefault(_module, []).append((f"{_module}.{_name}", _minor))


def stdlib_features(imports: list[Import], source: SourceText, oldest: int = 8) -> list[Newer]:
    """Imports of modules and names newer than 3.`oldest`, outside version guards and `try`
    blocks."""
    found: list[Newer] = []
    for item in imports:
        if item.guarded or item.type_only or item.below or item.level:
            continue
        minor = NEW_MODULES.get(item.module)
        if minor and item.since < minor:
            found.append(Newer(item.line, f"module {item.module}", minor, item.in_function))
        for name in item.names:
            minor = NEW_NAMES.get((item.module, name))
            if minor and item.since < minor:
                found.append(Newer(item.line, f"{item.module}.{name}", minor, item.in_function))
    modules = {i.module for i in imports if not i.names} & NAMES_BY_MODULE.keys()
    flags: dict[str, int] | None = None
    for module in sorted(modules):
        newer = [(w, m) for w, m in NAMES_BY_MODULE[module] if m > oldest]
        if not newer:
            continue
        # led by the literal, so the engine skips ahead in C (a leading `\b` makes it crawl)
        used = set(re.findall(rf"{re.escape(module)}\.(\w+)", source.text))
        names = [(w, m) for w, m in newer if w[len(module) + 1 :] in used]
        if names:
            flags = version_flags(source) if flags is None else flags
            postponed = any(i.module == "__future__" and "annotations" in i.names for i in imports)
            found.extend(_attribute_uses(source, names, flags, postponed))
    return [f for f in found if f.minor > oldest]


DEF_START = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]", re.M)
VARIABLE_ANNOTATION = re.compile(r"[ \t]*([A-Za-z_][\w.]*)[ \t]*:(?!=)")
SUITE_KEYWORDS = frozenset({"else", "try", "finally", "except", "case", "match", "lambda"})
HEADER_LINES = 30  # how far above a use its `def` may open (a long parameter list)


def _in_annotation(source: SourceText, offset: int) -> bool:
    """True for a use in an annotation: of a parameter or the return of a `def` (`runner:
    asyncio.Runner`, `-> asyncio.Runner`) or of a variable (`x: asyncio.Runner = ...`)."""
    text = source.text
    line_start = text.rfind("\n", 0, offset) + 1
    annotated = VARIABLE_ANNOTATION.match(text, line_start)
    if (
        annotated is not None
        and annotated.group(1) not in SUITE_KEYWORDS  # `else: …` opens a one-line suite
        and "=" not in text[annotated.end() : offset]
    ):
        return True
    line = source.line_of(offset)
    for above in range(line, max(line - HEADER_LINES, 0), -1):
        if above < line and source.line(above).rstrip().endswith(":"):
            return False  # a block opened above: the use is in its body
        start = source.line_starts[above - 1]
        if DEF_START.match(text, start):
            return _annotation_in_header(text[start:offset])
    return False


def _annotation_in_header(header: str) -> bool:
    """True when the end of a `def` header's text (up to the use) is inside an annotation: of
    the parameter being written (a `:` and no `=` since the last `,` of the parameter list), or
    of the return (after `->` once the list is closed)."""
    depth, colon, default = 0, False, False
    for index, char in enumerate(header):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:  # the parameter list is closed: the rest is the return's
                return "->" in header[index:]
        elif depth == 1:
            if char == ",":
                colon = default = False
            elif char == ":":
                colon = True
            elif char == "=":
                default = True
    return colon and not default


# `PY_312 and …`, `sys.version_info >= (3, 12) and …`: what follows is read only from 3.N on
AND_GUARD = re.compile(
    r"(?:\b(\w+)|sys\.version_info(?:\[:2\])?\s*>=?\s*\(\s*3\s*,\s*(\d+)\s*\))\s+and\b"
)


def _short_circuit(source: SourceText, offset: int, flags: dict[str, int]) -> int:
    """The minor version an `and` before the offset, on its line, guarantees (0 when none): the
    right of `FLAG and` is not evaluated on older Pythons."""
    start = source.text.rfind("\n", 0, offset) + 1
    since = 0
    for match in AND_GUARD.finditer(source.text, start, offset):
        name, minor = match.groups()
        since = max(since, number(minor) if minor else flags.get(name or "", 0))
    return since


def _attribute_uses(
    source: SourceText, names: list[tuple[str, int]], flags: dict[str, int], postponed: bool
) -> Iterator[Newer]:
    """The first unguarded use in code of each `module.name` that is newer than its guard, at
    import time if there is one, else in a function; with `postponed` (`from __future__ import
    annotations`), not in annotations, which are then never evaluated."""
    for written, minor in names:
        if written not in source.text:
            continue
        first: Newer | None = None
        for match in re.finditer(rf"\b{re.escape(written)}\b", source.text):
            line = source.line_of(match.start())
            guarded, type_only, in_function, since, below = context_at(source, line, flags)
            if (
                source.in_code(match.start())
                and not (guarded or type_only or below)
                and since < minor
                and _short_circuit(source, match.start(), flags) < minor
                and not (postponed and _in_annotation(source, match.start()))
            ):
                first = first or Newer(line, written, minor, in_function)
                if not in_function:
                    first = Newer(line, written, minor)
                    break
        if first is not None:
            yield first
