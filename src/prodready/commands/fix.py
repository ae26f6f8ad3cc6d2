"""`prodready fix`: repair what can be repaired, then report what remains."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import TYPE_CHECKING

from prodready.commands import (
    add_fix_options,
    add_output_options,
    add_selection_options,
    auditor_for,
    command,
    use_color,
    write_output,
)
from prodready.display import tell

if TYPE_CHECKING:
    from prodready.auditor import Audit, Auditor
    from prodready.findings import Finding
    from prodready.results import Report, RepositoryReport

MAX_PASSES = 4
Key = tuple[str, str, str]  # (repository, code, file)


@command("fix")
def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare the options of `fix`."""
    parser = commands.add_parser(
        "fix", help="apply the safe fixes (and the unsafe ones on request), then re-check"
    )
    add_selection_options(parser)
    add_fix_options(parser)
    add_output_options(parser)
    parser.set_defaults(run=run, fail_on=None)


def run(args: argparse.Namespace) -> int:
    """Fix every repository; exit 0 when nothing remains, 1 when findings remain (or, with
    `--diff`, when there is something to fix), 2 when a file was refused or a fixer failed."""
    from prodready.report import FORMATS, RenderOptions
    from prodready.results import Report

    auditor = auditor_for(args)
    audits = [auditor.audit(path) for path in args.paths]
    if args.diff:
        return _show_diff(audits, args.unsafe_fixes)
    before = [a.report for a in audits]
    attempted, refused = _fix_until_stable(auditor, audits, args.paths, args.unsafe_fixes)
    current = Report(tuple(auditor.audit(path).report for path in args.paths), auditor.rules)
    options = RenderOptions(
        color=args.format == "text" and args.output is None and use_color(sys.stdout),
        statistics=args.statistics,
    )
    write_output(FORMATS.get(args.format).render(current, options), args.output)
    sys.stderr.write(summary(before, current, attempted) + "\n")
    if refused or any(repo.errors for repo in current.repositories):
        return 2
    return 0 if current.ok else 1


def _fix_until_stable(
    auditor: Auditor, audits: list[Audit], paths: list[str], unsafe: bool
) -> tuple[list[Key], int]:
    """Fix, audit again and fix what the fixes made fire (a coverage plug-in declared, so
    coverage files must be ignored), until nothing changes, as ruff does. Returns the findings
    the fixers were given, as keys, and the number of refusals."""
    from prodready.edits.engine import apply, plan

    attempted: list[Key] = []
    problems: dict[str, None] = {}  # each said once, though a later pass meets it again
    for _ in range(MAX_PASSES):
        changed = 0
        for audit in audits:
            fix_plan = plan(audit.project, audit.report.findings, unsafe)
            written, refusals = apply(fix_plan)
            changed += len(written)
            attempted += [_key(audit.report.path, f) for f in fix_plan.attempted]
            for problem in [
                *fix_plan.failures,
                *(f"{r.path}: not fixed: {r.reason}" for r in refusals),
            ]:
                problems.setdefault(f"prodready: {audit.report.path}: {problem}")
        if not changed:
            break
        audits = [auditor.audit(path) for path in paths]
    for problem in problems:
        tell(problem)
    return attempted, len(problems)


def _show_diff(audits: list[Audit], unsafe: bool) -> int:
    """Print the first pass's changes as a unified diff; write nothing."""
    from prodready.edits.engine import plan, unified_diff

    planned = 0
    for audit in audits:
        fix_plan = plan(audit.project, audit.report.findings, unsafe)
        planned += len(fix_plan.changes)
        for failure in fix_plan.failures:
            tell(f"prodready: {audit.report.path}: {failure}")
        for change in fix_plan.changes:
            sys.stdout.write(unified_diff(change))
    fixable = sum(1 for a in audits for f in a.report.findings if f.fixable)
    sys.stderr.write(
        f"Would change {planned} {'file' if planned == 1 else 'files'} "
        f"({fixable} fixable {'finding' if fixable == 1 else 'findings'}).\n"
    )
    return 1 if planned else 0


def summary(before: list[RepositoryReport], after: Report, attempted: list[Key]) -> str:
    """'Fixed 3 findings (LINT002 x2, PC003), 4 remaining.' A finding counts as fixed only when
    a fixer was given it and the re-audit no longer reports it (same rule, same file); one that
    a fixer was given and that is still reported is named as not fixed."""
    given = Counter(attempted)
    had = Counter(_key(r.path, f) for r in before for f in r.findings)
    has = Counter(_key(r.path, f) for r in after.repositories for f in r.findings)
    fixed: Counter[str] = Counter()
    unfixed: Counter[str] = Counter()
    for key, count in given.items():
        gone = min(count, max(0, had[key] - has[key]))
        fixed[key[1]] += gone
        unfixed[key[1]] += min(count - gone, has[key])
    total = sum(fixed.values())
    line = f"Fixed {total} {'finding' if total == 1 else 'findings'}"
    if total:
        line += f" ({_tally(fixed)})"
    line += f", {len(after.findings)} remaining"
    if sum(unfixed.values()):
        line += f"; not fixed: {_tally(unfixed)}"
    return line + "."


def _key(repository: str, finding: Finding) -> Key:
    return (repository, finding.code, finding.path or "")


def _tally(counts: Counter[str]) -> str:
    return ", ".join(f"{code} x{n}" if n > 1 else code for code, n in sorted(counts.items()) if n)
