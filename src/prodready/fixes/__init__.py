"""Repairs for the findings that can be repaired: one module per rule family (`pc.py` fixes PC
rules), each fixer registered for one rule code with `@fixer("CODE")`.

A fixer receives the project the audit read, the findings of its rule (each carries in `data`
what the rule found, so the fixer acts on the finding instead of diagnosing again) and a
`Workspace` (`prodready.edits.workspace`), which keeps every byte it was not asked to change,
checks that each edited file still parses, and writes atomically, refusing a file that changed on
disk since it was read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from prodready.registry import Registry

if TYPE_CHECKING:
    from prodready.edits.workspace import Workspace
    from prodready.findings import Finding
    from prodready.project import Project

Fixer = Callable[["Project", "list[Finding]", "Workspace"], None]

FIXERS: Registry[Fixer] = Registry("prodready.fixes", "fixer")


def fixer(code: str) -> Callable[[Fixer], Fixer]:
    """Register the decorated function as the fixer of the rule `code`."""
    return FIXERS.decorator(code)
