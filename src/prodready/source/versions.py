"""What a module needs of the Python version: newer syntax and newer standard-library modules
and names (CODE003), each with the minor version that introduced it."""

from __future__ import annotations

import re
from collections.abc import Iterator

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
# (substring that must occur, pattern starting with a literal, feature, minor version); a hit
# must stand at the start of its line (after indentation) where the feature is a statement.
SYNTAX_HINTS: tuple[tuple[str, re.Pattern[str], str, int, bool], ...] = (
    ("match", re.compile(r"match[ \t]+[^=\n]+:[ \t]*(?:#.*)?$", re.M), "match statement", 10, True),
    ("except", re.compile(r"except[ \t]*\*"), "except* (exception groups)", 11, False),
    (
        "type",
        re.compile(r"type[ \t]+\w+[ \t]*(?:\[[^\]]*\])?[ \t]*=(?!=)"),
        "type alias statement (PEP 695)",
        12,
        True,
    ),
    ("def", re.compile(r"def[ \t]+\w+[ \t]*\["), "type parameters (PEP 695)", 12, True),
    ("class", re.compile(r"class[ \t]+\w+[ \t]*\["), "type parameters (PEP 695)", 12, True),
)
F_STRING_WITH_QUOTE = (
    re.compile(r'f"[^"\n{]*\{[^}"\n]*["\\]'),
    re.compile(r"f'[^'\n{]*\{[^}'\n]*['\\]"),
)


def stdlib_features(imports: list[Import], source: SourceText) -> list[Newer]:
    """Imports of modules and names newer than 3.8, outside version guards and `try` blocks."""
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
    flags = version_flags(source) if modules else {}
    for module in sorted(modules):
        found.extend(_attribute_uses(source, NAMES_BY_MODULE[module], flags))
    return found


def _attribute_uses(
    source: SourceText, names: list[tuple[str, int]], flags: dict[str, int]
) -> Iterator[Newer]:
    """The first unguarded use in code of each `module.name` that is newer than its guard, at
    import time if there is one, else in a function."""
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
            ):
                first = first or Newer(line, written, minor, in_function)
                if not in_function:
                    first = Newer(line, written, minor)
                    break
        if first is not None:
            yield first


def syntax_features(source: SourceText, min_python: tuple[int, int] | None) -> list[Newer]:
    """Syntax newer than the project's oldest Python, kept only when it is code, not text."""
    oldest = min_python[1] if min_python else 8
    found: list[Newer] = []
    for needle, pattern, name, minor, statement in SYNTAX_HINTS:
        if minor <= oldest or needle not in source.text:
            continue
        for match in pattern.finditer(source.text):
            start = match.start()
            line_start = source.text.rfind("\n", 0, start) + 1
            if statement and source.text[line_start:start].strip():
                continue
            if source.in_code(start):
                found.append(Newer(source.line_of(start), name, minor))
                break
    if oldest < 12 and "{" in source.text:
        found.extend(_nested_f_strings(source))
    return found


def _nested_f_strings(source: SourceText) -> list[Newer]:
    """f-strings that reuse their own quote, or hold a backslash, inside braces (PEP 701, 3.12)."""
    text = source.text
    for pattern in F_STRING_WITH_QUOTE:
        for match in pattern.finditer(text):
            start = match.start()
            if (
                text[start - 1 : start].isalnum() and text[start - 1] not in "rRbB"
            ) or not source.in_code(start):
                continue
            if _reuses_quote(text, start + 2, text[start + 1]):
                return [
                    Newer(
                        source.line_of(start),
                        "f-string reusing its quote inside braces (PEP 701)",
                        12,
                    )
                ]
    return []


def _reuses_quote(text: str, index: int, quote: str) -> bool:
    """Walk one f-string from just after its opening quote; True on a quote or backslash in braces."""
    depth = 0
    while index < len(text) and text[index] != "\n":
        char = text[index]
        if char == "{" and not depth and text[index + 1 : index + 2] == "{":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}" and depth:
            depth -= 1
        elif depth and char in (quote, "\\"):
            return True
        elif not depth and char == quote:
            return False
        elif not depth and char == "\\":
            index += 1
        index += 1
    return False
