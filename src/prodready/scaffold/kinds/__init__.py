"""What each kind of project `new` makes: one module per kind (`service.py`), whose template
files are the folder of the same name in each template version (`templates/<version>/<kind>/`,
beside `common/`).

A kind module registers one `KindSpec` with `register(...)`: its label, dependencies,
extras, development tools and the settings its templates read. `new --kind`'s choices are the
module names.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from prodready.registry import Registry

PYTHON = (3, 11)
NEWEST = 14
DEV = [
    "pytest>=8.0",
    "pytest-cov>=5.0",
    "ruff>=0.8",
    "mypy>=1.13",
    "pre-commit>=3.5",
    "nox>=2024.4",
]
DOCS = ["mkdocs>=1.6", "mkdocstrings[python]>=0.26"]
PYDANTIC_TYPING = {
    "mypy_plugins": ["pydantic.mypy"],
    "runtime_bases": ["pydantic.BaseModel"],
    "runtime_decorators": ["pydantic.validate_call"],
}


class KindSpec(NamedTuple):
    """One kind's dependencies and tool settings."""

    name: str
    label: str
    dependencies: list[str]
    extras: dict[str, list[str]]
    dev: list[str]
    settings: dict[str, Any]
    scripts: bool = False  # a console script runs `<package>.cli:main`
    checked_as: str = "library"  # the kind `prodready check` detects (and its rules apply)
    # A hash-pinned lock of the run-time dependencies (a file of `prodready/data/`, made by a
    # script), which the templates see as `lock`.
    lock: str = ""


# `check`'s words that `new` takes too: one vocabulary for the kinds both share.
ALIASES = {"library": "lib"}


KINDS: Registry[KindSpec] = Registry(
    "prodready.scaffold.kinds", "project kind", one_per_module=True
)


def register(spec: KindSpec) -> KindSpec:
    """Register one kind of project."""
    return KINDS.add(spec.name, spec)


PINNED_ACTIONS = (
    "actions/checkout",
    "actions/setup-python",
    "actions/upload-artifact",
    "actions/download-artifact",
    "actions/attest-build-provenance",
    "astral-sh/setup-uv",
)


def _data(name: str) -> str:
    from importlib import resources

    return (resources.files("prodready") / "data" / name).read_text(encoding="utf-8")


def context(kind: str, answers: dict[str, Any]) -> dict[str, Any]:
    """Everything the templates of `kind` see: the answers, the kind's table and the pins."""
    from prodready.project import pins

    spec = KINDS.get(kind)
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
        "docs": DOCS,
        "scripts": {answers["name"]: f"{answers['package']}.cli:main"} if spec.scripts else {},
        "mypy_hook_dependencies": [*spec.dependencies, "pytest>=8.0"],
        "lock": _data(spec.lock) if spec.lock else "",
        # from data/pins.json (scripts/pins.py): the newest releases, never typed by hand
        "hook_revs": pins.newest_revs(),
        "actions": {name: pins.action(name) for name in PINNED_ACTIONS},
    }
