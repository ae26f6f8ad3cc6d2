"""Who evaluates annotations at run time: one table for the syntax-tree model and for the text
check that decides whether a file is worth parsing at all."""

from __future__ import annotations

import re

from prodready.source.text import SourceText

MODEL_BASES = frozenset(
    {
        "BaseModel",
        "BaseSettings",
        "RootModel",
        "SQLModel",
        "Struct",
        "DeclarativeBase",
        "DeclarativeBaseNoMeta",
        "MappedAsDataclass",
        "GenericModel",
        "TypedDict_pydantic",
    }
)
VALIDATING_DECORATORS = frozenset(
    {"validate_call", "validate_arguments", "beartype", "typechecked"}
)
ROUTE_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "trace", "api_route", "websocket"}
)
TYPER_METHODS = frozenset({"command", "callback"})

_CLASS_BASES = re.compile(r"class[ \t]+\w+[ \t]*(?:\[[^\]]*\])?\(([^:]*)\)[ \t]*:")
_MODEL_BASE = re.compile(r"\b(?:{})\b".format("|".join(sorted(MODEL_BASES))))
_VALIDATING = re.compile(r"@[\w.]*\b(?:{})\b".format("|".join(sorted(VALIDATING_DECORATORS))))
PYDANTIC_DATACLASS_IMPORT = re.compile(
    r"pydantic\.dataclasses\b|from[ \t]+pydantic[ \t]+import[^\n]*\bdataclasses\b"
)
_MAPPED = re.compile(r"Mapped\[")
# What stands before `Mapped[` in a class attribute: `    id: Mapped[`, `    id: "orm.Mapped[`.
_MAPPED_ATTRIBUTE = re.compile(r"[ \t]+\w+[ \t]*:[ \t]*[\"']?[\w.]*")
_ROUTE = re.compile(r"@[\w.]+\.(?:{})\(".format("|".join(sorted(ROUTE_METHODS))))


def uses_typer(text: str) -> bool:
    return "typer" in text


def uses_fastapi(text: str) -> bool:
    return "fastapi" in text or "APIRouter" in text


def may_evaluate(source: SourceText) -> bool:
    """False only when no framework in the table can evaluate an annotation of this module: no
    model base or validating decorator, no `Mapped[`, no pydantic dataclass, no typer command and
    no FastAPI route or dependency, outside docstrings (where libraries show their own examples).
    Cheap, and never False where the syntax-tree model would find a consumer."""
    text = source.text

    def in_code(pattern: re.Pattern[str]) -> bool:
        return any(not source.in_long_string(m.start()) for m in pattern.finditer(text))

    if uses_typer(text) and (".command(" in text or ".callback(" in text or ".run(" in text):
        return True
    if uses_fastapi(text) and ("Depends(" in text or "Security(" in text or in_code(_ROUTE)):
        return True
    if in_code(PYDANTIC_DATACLASS_IMPORT) or in_code(_VALIDATING) or _mapped_attribute(source):
        return True
    return any(
        _MODEL_BASE.search(m.group(1)) and not source.in_long_string(m.start())
        for m in _CLASS_BASES.finditer(text)
    )


def _mapped_attribute(source: SourceText) -> bool:
    """True when some line declares a `Mapped[...]` class attribute (SQLAlchemy) in code."""
    text = source.text
    for match in _MAPPED.finditer(text):
        start = match.start()
        line_start = text.rfind("\n", 0, start) + 1
        if _MAPPED_ATTRIBUTE.fullmatch(text, line_start, start) and not source.in_long_string(
            start
        ):
            return True
    return False
