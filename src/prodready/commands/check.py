"""`prodready check`: audit repositories and report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from prodready.commands import (
    add_fix_options,
    add_history_option,
    add_output_options,
    add_selection_options,
    auditor_for,
    command,
    use_color,
    write_output,
)
from prodready.display import tell
from prodready.findings import Severity

if TYPE_CHECKING:
    from prodready.history.store import History
    from prodready.results import Report


@command("check")
def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare the options of `check`."""
    parser = commands.add_parser("check", help="audit repositories against the rule catalogue")
    add_selection_options(parser)
    add_output_options(parser)
    parser.add_argument(
        "--fail-on",
        choices=[s.label for s in Severity],
        help="lowest severity that fails the run (default: warning)",
    )
    parser.add_argument(
        "--fix", action="store_true", help="apply the safe fixes, as `prodready fix` does"
    )
    add_fix_options(parser)
    parser.add_argument(
        "--save", action="store_true", help="add the run's figures to the history database"
    )
    add_history_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Audit, render, write; exit 0 clean, 1 findings, 2 a rule failed internally."""
    if args.fix or args.diff:
        from prodready.commands import fix

        return fix.run(args)
    from prodready.atomic import check_writable
    from prodready.report import FORMATS, RenderOptions
    from prodready.summary import sentence

    output_format = FORMATS.get(args.format)
    if args.output is not None:
        check_writable(args.output)
    history = _open_history(args.history) if args.save else None  # a bad path fails first
    report = auditor_for(args).check_many(args.paths)
    options = RenderOptions(
        color=args.format == "text" and args.output is None and use_color(sys.stdout),
        statistics=args.statistics,
    )
    write_output(output_format.render(report, options), args.output)
    if not output_format.summarised or args.output is not None:
        sys.stderr.write(sentence(report.findings, len(report.repositories)) + "\n")
    if history is not None:
        _save(report, history)
    if any(repo.errors for repo in report.repositories):
        for repo in report.repositories:
            for message in repo.errors:
                tell(f"prodready: {repo.path}: {message}")
        return 2
    return 0 if report.ok else 1


def _open_history(path: Path | None) -> History:
    from prodready.history.store import History

    return History(path)


def _save(report: Report, history: History) -> None:
    """One history row per repository: its findings counted by severity."""
    for repository in report.repositories:
        findings = repository.findings
        metrics = {
            "findings.total": float(len(findings)),
            **{
                f"findings.{severity.label}": float(
                    sum(1 for f in findings if f.severity is severity)
                )
                for severity in Severity
            },
        }
        history.add(Path(repository.path), "check", metrics)
    history.close()
