"""The oldest Python a `requires-python` specifier admits, without importing `packaging`.

Specifiers of plain release numbers (`>=3.10`, `>=3.8.1,<4`, `~=3.11`, `!=3.9.*`) are evaluated
here; anything else (pre-releases, local versions) goes to `packaging.specifiers`.
"""

from __future__ import annotations

import re

from prodready.digits import number

NEWEST_MINOR = 20
_CLAUSE = re.compile(r"^\s*(~=|===|==|!=|<=|>=|<|>)\s*(\d+(?:\.\d+)*)(\.\*)?\s*$")

Release = tuple[int, ...]


def _pad(release: Release, length: int) -> Release:
    return release + (0,) * (length - len(release))


def _holds(op: str, version: Release, wildcard: bool, candidate: Release) -> bool:
    size = max(len(version), len(candidate))
    here, there = _pad(candidate, size), _pad(version, size)
    if wildcard:
        prefix = candidate[: len(version)] == version
        return prefix if op == "==" else not prefix
    results = {
        "==": here == there,
        "===": here == there,
        "!=": here != there,
        "<=": here <= there,
        ">=": here >= there,
        "<": here < there,
        ">": here > there,
        "~=": here >= there and candidate[: len(version) - 1] == version[:-1],
    }
    return results[op]


def min_python(specifier: str) -> tuple[int, int] | None:
    """The oldest `3.x` minor version any release of which satisfies `specifier`."""
    clauses = [c for c in specifier.split(",") if c.strip()]
    parsed = [_CLAUSE.match(c) for c in clauses]
    if not all(parsed):
        return _min_python_with_packaging(specifier)
    rules = [
        (m.group(1), tuple(number(p) for p in m.group(2).split(".")), bool(m.group(3)))
        for m in parsed
        if m
    ]
    for minor in range(NEWEST_MINOR + 1):
        for micro in range(30):
            candidate = (3, minor, micro)
            if all(_holds(op, version, wild, candidate) for op, version, wild in rules):
                return (3, minor)
    return None


def _min_python_with_packaging(specifier: str) -> tuple[int, int] | None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        spec = SpecifierSet(specifier)
    except InvalidSpecifier:
        return None
    for minor in range(NEWEST_MINOR + 1):
        if any(spec.contains(f"3.{minor}.{micro}", prereleases=True) for micro in range(30)):
            return (3, minor)
    return None


def invalid_specifier_reason(specifier: str) -> str | None:
    """Why `specifier` is not a valid PEP 440 specifier set, or None when it is."""
    clauses = [c for c in specifier.split(",") if c.strip()]
    if clauses and all(_CLAUSE.match(c) for c in clauses):
        return None
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        SpecifierSet(specifier)
    except InvalidSpecifier as exc:
        return str(exc)
    return None


def plain_clauses(specifier: str) -> list[tuple[str, Release, bool]] | None:
    """The clauses of a specifier of plain release numbers as (operator, release, wildcard),
    or None when one is not plain (a pre-release, a local version): ask `packaging` then."""
    clauses = [c for c in specifier.split(",") if c.strip()]
    parsed = [_CLAUSE.match(c) for c in clauses]
    if not all(parsed):
        return None
    return [
        (m.group(1), tuple(number(p) for p in m.group(2).split(".")), bool(m.group(3)))
        for m in parsed
        if m
    ]


def admits(clauses: list[tuple[str, Release, bool]], candidate: Release) -> bool:
    """True when the release `candidate` satisfies every clause."""
    return all(_holds(op, version, wild, candidate) for op, version, wild in clauses)
