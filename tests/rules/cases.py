"""Table-driven rule tests: each case is a small repository and what the rule must say of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.conftest import Audit, Files


@dataclass(frozen=True)
class Case:
    """A repository, the rule under test, and how many findings it must give (0: quiet)."""

    name: str
    code: str
    files: Files
    expect: int
    kind: str | None = None
    use_git: bool = False
    says: str | None = None
    line: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


def run_case(audit: Audit, case: Case) -> None:
    """Audit the case's repository and hold the findings to the case's expectations."""
    findings = [
        f
        for f in audit(case.files, case.code, kind=case.kind, use_git=case.use_git)
        if f.code == case.code
    ]
    assert len(findings) == case.expect, [f.message for f in findings]
    if case.says is not None:
        assert any(case.says in f.message for f in findings), [f.message for f in findings]
    if case.line is not None:
        assert findings[0].line == case.line, findings[0]


def ids(cases: list[Case]) -> list[str]:
    """Readable test ids: CODE-name."""
    return [f"{c.code}-{c.name}" for c in cases]
