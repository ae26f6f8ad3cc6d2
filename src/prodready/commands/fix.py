"""`prodready fix`: repair what can be repaired, then report what remains."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from prodready.commands.check import (
    add_fix_options,
    add_selection_options,
    auditor_for,
    use_color,
)

if TYPE_CHECKING:
    from prodready.auditor import Report
    from prodready.findings import Finding

MAX_PASSES = 4


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare the options of `fix`."""
    parser = commands.add_parser(
        "fix", help="apply the safe fixes (and the unsafe ones on request), then re-check"
    )
    add_selection_options(parser)
    add_fix_options(parser)
    parser.set_defaults(run=run, fail_on=None, format="text", output=None, statistics=False)


def run(args: argparse.Namespace) -> int:
    """Fix every repository; exit 0 when nothing remains, 1 when findings remain (or, with
    `--diff`, when there is something to fix), 2 when a file was refused or a rule failed."""
    from prodready.fixes.engine import apply, plan
    from prodready.project import Project
    from prodready.report import RenderOptions, renderer

    auditor = auditor_for(args)
    before = auditor.check_many(args.paths)
    if args.diff:
        return _show_diff(before, args.unsafe_fixes)
    # One fix can make another rule fire (a coverage plug-in declared, so coverage files must be
    # ignored): audit and fix again until nothing changes, as ruff does.
    refused, current = 0, before
    for _ in range(MAX_PASSES):
        changed = 0
        for repository in current.repositories:
            root = Path(repository.path)
            fix_plan = plan(root, repository.findings, args.unsafe_fixes, Project(root))
            written, refusals = apply(fix_plan)
            changed += len(written)
            for problem in [
                *fix_plan.failures,
                *(f"{r.path}: not fixed: {r.reason}" for r in refusals),
            ]:
                sys.stderr.write(f"prodready: {root}: {problem}\n")
            refused += len(fix_plan.failures) + len(refusals)
        current = auditor.check_many(args.paths)
        if not changed:
            break
    text_on_terminal = args.format == "text" and args.output is None
    options = RenderOptions(
        color=text_on_terminal and use_color(sys.stdout), statistics=args.statistics
    )
    rendered = renderer(args.format)(current, options)
    if args.output is None:
        sys.stdout.write(rendered)
    else:
        from prodready.atomic import write_atomic

        write_atomic(args.output, rendered)
    sys.stderr.write(_fixed_line(before.findings, current.findings) + "\n")
    if refused or any(repo.errors for repo in current.repositories):
        return 2
    return 0 if current.ok else 1


def _show_diff(report: Report, unsafe: bool) -> int:
    """Print the first pass's changes as a unified diff; write nothing."""
    from prodready.fixes.engine import plan, unified_diff
    from prodready.project import Project

    planned = 0
    for repository in report.repositories:
        root = Path(repository.path)
        fix_plan = plan(root, repository.findings, unsafe, Project(root))
        planned += len(fix_plan.changes)
        for failure in fix_plan.failures:
            sys.stderr.write(f"prodready: {root}: {failure}\n")
        for change in fix_plan.changes:
            sys.stdout.write(unified_diff(change))
    fixable = sum(1 for r in report.repositories for f in r.findings if f.fixable)
    sys.stderr.write(
        f"Would change {planned} {'file' if planned == 1 else 'files'} "
        f"({fixable} fixable {'finding' if fixable == 1 else 'findings'}).\n"
    )
    return 1 if planned else 0


def _fixed_line(before: tuple[Finding, ...], after: tuple[Finding, ...]) -> str:
    """'Fixed 3 findings (LINT002 x2, PC003), 4 remaining.'"""

    def key(finding: Finding) -> tuple[str, str | None, str]:
        return (finding.code, finding.path, finding.message)

    remaining = {key(f) for f in after}
    fixed = Counter(key(f)[0] for f in before if key(f) not in remaining)
    total = sum(fixed.values())
    detail = ", ".join(f"{code} x{n}" if n > 1 else code for code, n in sorted(fixed.items()))
    head = f"Fixed {total} {'finding' if total == 1 else 'findings'}"
    return (
        f"{head} ({detail}), {len(after)} remaining."
        if total
        else f"{head}, {len(after)} remaining."
    )
