"""One fix run over one repository: audit, repair what the selection allows, report."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

from prodready.display import printable
from prodready.edits.workspace import Change, Refusal, Workspace
from prodready.findings import Applicability, Finding
from prodready.fixes import FIXERS
from prodready.project import Project


class Plan(NamedTuple):
    """What the fixers would change in one repository, the findings they were given, and the
    fixers that could not run (their edits are dropped, the others' kept)."""

    root: Path
    changes: list[Change]
    workspace: Workspace
    failures: list[str]
    attempted: tuple[Finding, ...]


def fixer_errors() -> tuple[type[Exception], ...]:
    """What a fixer meets in files it did not expect: unparsable TOML, YAML or Python, other
    encodings, unreadable files. The fixer's edits are dropped and the run goes on."""
    import libcst
    import yaml
    from tomlkit.exceptions import TOMLKitError

    return (
        ValueError,
        LookupError,
        TypeError,
        OSError,
        TOMLKitError,
        yaml.YAMLError,
        RecursionError,
        libcst.ParserSyntaxError,
    )


def allowed(finding: Finding, unsafe: bool) -> bool:
    """True when the run may apply this finding's fix."""
    return finding.fix is Applicability.SAFE or (unsafe and finding.fix is Applicability.UNSAFE)


def plan(project: Project, findings: tuple[Finding, ...], unsafe: bool) -> Plan:
    """Run the fixer of every finding the run may fix, on the project the audit read, against
    an in-memory workspace; nothing is written yet."""
    fixers = FIXERS.load()
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.code in fixers and allowed(finding, unsafe):
            by_code[finding.code].append(finding)
    workspace = Workspace(project.root)
    failures: list[str] = []
    errors = fixer_errors() if by_code else ()
    for code in sorted(by_code):
        saved = workspace.checkpoint()
        try:
            fixers[code](project, by_code[code], workspace)
        except errors as exc:
            workspace.restore(saved)
            failures.append(
                f"{code}: not fixed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            )
    attempted = tuple(f for code in sorted(by_code) for f in by_code[code])
    return Plan(project.root, workspace.changes(), workspace, failures, attempted)


def apply(fix_plan: Plan) -> tuple[list[Change], list[Refusal]]:
    """Write the planned changes (atomically, refusing unparsable or changed files)."""
    return fix_plan.workspace.commit(fix_plan.changes)


def unified_diff(change: Change) -> str:
    """The change as a unified diff, as `git diff` would show it."""
    import difflib

    before = (change.before or "").splitlines(keepends=True)
    after = change.after.splitlines(keepends=True)
    name = printable(change.path)  # a file name may hold control characters
    old = f"a/{name}" if change.before is not None else "/dev/null"
    lines = list(difflib.unified_diff(before, after, old, f"b/{name}"))
    if not lines:  # a new empty file: headers only, as git shows it
        lines = [f"--- {old}\n", f"+++ b/{name}\n"]
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
