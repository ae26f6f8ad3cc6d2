"""What each kind of project depends on and configures: one table the templates read."""

from __future__ import annotations

from typing import Any, NamedTuple

PYTHON = (3, 11)
NEWEST = 13
DEV = ["pytest>=8.0", "pytest-cov>=5.0", "ruff>=0.8", "mypy>=1.13", "pre-commit>=3.5"]
PYDANTIC_TYPING = {
    "mypy_plugins": ["pydantic.mypy"],
    "runtime_bases": ["pydantic.BaseModel"],
    "runtime_decorators": ["pydantic.validate_call"],
}


class KindSpec(NamedTuple):
    """One kind's dependencies and tool settings."""

    label: str
    dependencies: list[str]
    extras: dict[str, list[str]]
    dev: list[str]
    settings: dict[str, Any]


KINDS: dict[str, KindSpec] = {
    "lib": KindSpec("a library", [], {}, DEV, {}),
    "cli": KindSpec(
        "a command-line tool",
        ["pydantic>=2.6", "rich>=13.7", "typer>=0.12"],
        {},
        DEV,
        PYDANTIC_TYPING,
    ),
    "service": KindSpec(
        "a web service",
        ["fastapi>=0.110", "pydantic>=2.6", "pydantic-settings>=2.2", "uvicorn[standard]>=0.29"],
        {},
        [*DEV, "httpx2>=2.0"],  # the ASGI test client of starlette 1.x
        {
            **PYDANTIC_TYPING,
            "runtime_bases": ["pydantic.BaseModel", "pydantic_settings.BaseSettings"],
        },
    ),
    "ml": KindSpec(
        "a machine-learning package",
        [],
        {"torch": ["torch>=2.2"]},
        DEV,
        {},
    ),
}


def context(kind: str, answers: dict[str, Any]) -> dict[str, Any]:
    """Everything the templates of `kind` see: the answers and the kind's table."""
    spec = KINDS[kind]
    settings = {"mypy_plugins": [], "runtime_bases": [], "runtime_decorators": [], **spec.settings}
    minors = list(range(PYTHON[1], NEWEST + 1))
    return {
        **answers,
        **settings,
        "kind": kind,
        "python": f"{PYTHON[0]}.{PYTHON[1]}",
        "minors": minors,
        "python_versions": [f"3.{m}" for m in minors],
        "dependencies": spec.dependencies,
        "extras": spec.extras,
        "dev": spec.dev,
        "scripts": {answers["name"]: f"{answers['package']}.cli:main"} if kind == "cli" else {},
        "mypy_hook_dependencies": [*spec.dependencies, "pytest>=8.0"],
    }
