"""The records the source layer produces and caches: light to import, so a run that finds every
file in the cache never loads the analysers."""

from __future__ import annotations

from typing import NamedTuple


class Import(NamedTuple):
    """One imported module (and, for `from` imports, the names taken from it)."""

    module: str
    names: tuple[str, ...]
    line: int
    level: int
    guarded: bool
    type_only: bool
    in_function: bool
    since: int
    below: bool

    @property
    def top(self) -> str:
        """The top-level package name (`a` of `a.b.c`)."""
        return self.module.split(".")[0]


class Suppression(NamedTuple):
    """One suppression comment: where, for which codes, and why."""

    line: int
    codes: tuple[str, ...]
    reason: str


Context = tuple[tuple[int, int] | None, bool]


class FileFacts(NamedTuple):
    """What the source rules read from one file; every list holds (line, …) tuples, but
    `counts`: [test functions, has `->` annotations, registers pytest markers]."""

    imports: list[Import]
    problem: tuple[str, int] | None
    type_checking_runtime: list[tuple[int, str, str]]
    annotation_syntax: list[tuple[int, str, int, str]]
    syntax: list[tuple[int, str, int]]
    stdlib: list[tuple[int, str, int]]
    user_paths: list[tuple[int, str]]
    generic_raises: list[tuple[int, str]]
    logging_setup: list[int]
    swallowing: list[int]
    pydantic_settings_v1: list[int]
    pydantic_v1: list[tuple[int, str]]
    tests_without_asserts: list[tuple[int, str, tuple[str, ...]]]
    helper_calls: list[tuple[str, bool, tuple[str, ...]]]
    markers: list[tuple[str, int]]
    counts: list[int]
    hardware_skips: list[tuple[int, str]]
    sys_path: list[int]
    secrets: list[tuple[int, str]]
    suppressions: list[Suppression]
