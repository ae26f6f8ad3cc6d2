"""Fixers by rule code: each repairs every finding of its rule in one repository."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from prodready.findings import Finding
from prodready.fixes.workspace import Workspace
from prodready.project import Project

Fixer = Callable[[Project, list[Finding], Workspace], None]
FIXERS: dict[str, Fixer] = {}
FAMILIES = (
    "code",
    "dependencies",
    "hygiene",
    "lint",
    "packaging",
    "precommit",
    "testing",
    "typecheck",
)


def fixer(code: str) -> Callable[[Fixer], Fixer]:
    """Register the fixer of one rule."""

    def register(function: Fixer) -> Fixer:
        FIXERS[code] = function
        return function

    return register


def load_fixers() -> dict[str, Fixer]:
    """Every fixer, importing the family modules on first use."""
    for family in FAMILIES:
        importlib.import_module(f"prodready.fixes.{family}")
    return FIXERS
