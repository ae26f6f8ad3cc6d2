"""What several rules derive from the same project, derived once per audit: a `Project` never
changes once built, so a result keyed by the project object stays true while it lives."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from prodready.project import Project

T = TypeVar("T")


def per_project(derive: Callable[[Project], T]) -> Callable[[Project], T]:
    """`derive(p)` computed once for each project (forgotten with the project)."""
    known: weakref.WeakKeyDictionary[Project, T] = weakref.WeakKeyDictionary()

    @functools.wraps(derive)
    def once(p: Project) -> T:
        if p not in known:
            known[p] = derive(p)
        return known[p]

    return once
