"""`prodready check`: audit repositories and report."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from prodready.findings import Kind, Severity

if TYPE_CHECKING:
    from prodready.auditor import Auditor, Report

FORMATS = ("text", "json", "sarif", "github")


def _codes(value: str) -> list[str]:
    return [part.strip().upper() for part in value.split(",") if part.strip()]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare the options of `check`."""
    parser = commands.add_parser("check", help="audit repositories against the rule catalogue")
    add_selection_options(parser)
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write the report to FILE"
    )
    parser.add_argument(
        "--fail-on",
        choices=[s.label for s in Severity],
        help="lowest severity that fails the run (default: warning)",
    )
    parser.add_argument(
        "--statistics", action="store_true", help="count findings per rule instead of listing them"
    )
    add_fix_options(parser, shortcut=True)
    parser.add_argument(
        "--save", action="store_true", help="add the run's figures to the history database"
    )
    parser.add_argument(
        "--history", type=Path, metavar="FILE", help="history database (default: per user)"
    )
    parser.set_defaults(run=run)


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by `check` and `fix`: which rules, which kind, the cache."""
    parser.add_argument(
        "paths", nargs="*", default=["."], metavar="PATH", help="repository roots (default: .)"
    )
    parser.add_argument(
        "--select",
        type=_codes,
        action="extend",
        metavar="CODES",
        help="rules, prefixes or families to run (comma-separated; replaces the configured selection)",
    )
    parser.add_argument(
        "--ignore",
        type=_codes,
        action="extend",
        metavar="CODES",
        help="rules, prefixes or families to skip (comma-separated)",
    )
    parser.add_argument(
        "--kind", choices=[k.value for k in Kind], help="project kind, instead of detecting it"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="read every file afresh (no per-file result cache)"
    )


def add_fix_options(parser: argparse.ArgumentParser, *, shortcut: bool = False) -> None:
    """`--unsafe-fixes` and `--diff` (and, on `check`, `--fix`)."""
    if shortcut:
        parser.add_argument(
            "--fix", action="store_true", help="apply the safe fixes, as `prodready fix` does"
        )
    parser.add_argument(
        "--unsafe-fixes", action="store_true", help="also apply fixes that may change behaviour"
    )
    parser.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff and write nothing"
    )


def auditor_for(args: argparse.Namespace) -> Auditor:
    """The auditor the selection options describe (shared by `check` and `fix`)."""
    from prodready.auditor import Auditor

    return Auditor(
        select=args.select,
        ignore=args.ignore,
        kind=args.kind,
        fail_on=args.fail_on,
        use_cache=not args.no_cache,
    )


def use_color(stream: object) -> bool:
    """Colour only on a terminal, never with NO_COLOR, always with FORCE_COLOR."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def run(args: argparse.Namespace) -> int:
    """Audit, render, write; exit 0 clean, 1 findings, 2 a rule failed internally."""
    if args.fix or args.diff:
        from prodready.commands import fix

        return fix.run(args)
    from prodready.report import RenderOptions, renderer
    from prodready.report.summary import sentence

    report = auditor_for(args).check_many(args.paths)
    target = sys.stdout if args.output is None else None
    options = RenderOptions(
        color=args.format == "text" and target is not None and use_color(sys.stdout),
        statistics=args.statistics,
    )
    text = renderer(args.format)(report, options)
    if args.output is not None:
        from prodready.atomic import write_atomic

        write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    if args.format != "text" or args.output is not None:
        sys.stderr.write(sentence(report.findings, len(report.repositories)) + "\n")
    if args.save:
        _save(report, args.history)
    if any(repo.errors for repo in report.repositories):
        for repo in report.repositories:
            for message in repo.errors:
                sys.stderr.write(f"prodready: {repo.path}: {message}\n")
        return 2
    return 0 if report.ok else 1


def _save(report: Report, path: Path | None) -> None:
    """One history row per repository: its findings counted by severity."""
    from prodready.history.store import History

    history = History(path)
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
