"""Inline suppressions applied to findings: `# prodready: ignore[CODE] -- reason` on the line of
a finding, or alone on the line above it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prodready.selection import specificity
from prodready.source.records import Suppression
from prodready.source.suppressions import covers, suppressions_in

if TYPE_CHECKING:
    from prodready.findings import Finding
    from prodready.project import Project

Use = tuple[str, int, str]


def suppressions_of(project: Project, path: str) -> list[Suppression]:
    """The suppression comments of a file, from the source facts or read on demand."""
    facts = project.sources.facts_of(path)
    if facts is not None:
        return facts.suppressions
    text = project.repo.read(path) if project.repo.exists(path) else None
    return suppressions_in(text) if text else []


def _suppressions_and_lines(
    project: Project, path: str
) -> tuple[list[Suppression], list[str] | None]:
    """A file's suppressions and, when it has any, its lines (to tell what each one covers)."""
    suppressions = suppressions_of(project, path)
    return suppressions, (project.repo.read(path) or "").splitlines() if suppressions else None


def apply_suppressions(
    project: Project, findings: list[Finding]
) -> tuple[list[Finding], frozenset[Use]]:
    """The findings no comment suppresses, and which (path, line, code) suppressions were used."""
    kept: list[Finding] = []
    used: set[Use] = set()
    by_file: dict[str, tuple[list[Suppression], list[str] | None]] = {}
    for finding in findings:
        if finding.path is None or finding.line is None:
            kept.append(finding)
            continue
        if finding.path not in by_file:
            by_file[finding.path] = _suppressions_and_lines(project, finding.path)
        suppressions, lines = by_file[finding.path]
        match = next(
            (
                (s, code)
                for s in suppressions
                for code in s.codes
                if covers(s, finding.line, lines) and specificity(finding.code, [code]) >= 0
            ),
            None,
        )
        if match is None:
            kept.append(finding)
        else:
            used.add((finding.path, match[0].line, match[1]))
    return kept, frozenset(used)
