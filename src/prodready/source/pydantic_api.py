"""pydantic v1 API in code that runs against pydantic v2 (CODE002, CODE011), read from the text."""

from __future__ import annotations

import re

from prodready.source.records import Import, Spot
from prodready.source.text import SourceText

V1_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^[ \t]+class[ \t]+Config[ \t]*(?:\(\s*\))?[ \t]*:", re.M),
        "`class Config:` (use `model_config = ConfigDict(...)`)",
    ),
    (re.compile(r"@(?:pydantic\.)?validator\("), "`@validator` (use `@field_validator`)"),
    (re.compile(r"@(?:pydantic\.)?root_validator\b"), "`@root_validator` (use `@model_validator`)"),
    (
        re.compile(r"\bField\([^)]*\benv[ \t]*="),
        "`Field(env=...)` (use `validation_alias` in pydantic-settings)",
    ),
    (re.compile(r"\.parse_obj\("), "`.parse_obj()` (use `.model_validate()`)"),
    (re.compile(r"\.parse_raw\("), "`.parse_raw()` (use `.model_validate_json()`)"),
    (
        re.compile(r"\.from_orm\("),
        "`.from_orm()` (use `.model_validate(obj, from_attributes=True)`)",
    ),
    (re.compile(r"\.update_forward_refs\("), "`.update_forward_refs()` (use `.model_rebuild()`)"),
    (re.compile(r"\.schema_json\("), "`.schema_json()` (use `.model_json_schema()`)"),
)


def uses_pydantic_v1_namespace(imports: list[Import]) -> bool:
    """True when the module deliberately imports the v1 compatibility layer."""
    return any(
        i.module.startswith("pydantic.v1") or ("v1" in i.names and i.module == "pydantic")
        for i in imports
    )


def v1_settings_imports(imports: list[Import]) -> list[int]:
    """`from pydantic import BaseSettings`: an ImportError under pydantic v2."""
    return [
        i.line
        for i in imports
        if i.module == "pydantic" and "BaseSettings" in i.names and not i.guarded
    ]


def v1_api(source: SourceText, imports: list[Import]) -> list[Spot]:
    """Uses of the pydantic v1 API that v2 deprecates, in modules that import pydantic."""
    if not any(i.top == "pydantic" for i in imports) or uses_pydantic_v1_namespace(imports):
        return []
    found: list[Spot] = []
    for pattern, message in V1_PATTERNS:
        for match in pattern.finditer(source.text):
            if source.in_code(match.start() + len(match.group(0)) - len(match.group(0).lstrip())):
                line = source.line_of(match.start())
                if not _for_pydantic_1(source, line):
                    found.append(Spot(line, message))
    return found


# A test of the installed pydantic's major version (`IS_PYDANTIC_V2`, `PYDANTIC_V1`, `VERSION`).
VERSION_GATE = re.compile(r"pydantic_?v[12]|\bv[12]\b|is_v[12]|version", re.I)


def _for_pydantic_1(source: SourceText, line: int) -> bool:
    """True inside a branch a version test chooses (`if IS_PYDANTIC_V2: … else: <v1 code>`):
    code kept for pydantic 1 in a project that supports both."""
    for header in source.enclosing(line):
        text = source.line(header).strip()
        if text.startswith("else"):
            text = next(
                (
                    t.strip()
                    for _, t in source.siblings_above(header)
                    if t.lstrip().startswith(("if ", "elif "))
                ),
                "",
            )
        if text.startswith(("if ", "elif ")) and VERSION_GATE.search(text):
            return True
    return False
