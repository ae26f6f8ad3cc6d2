"""`prodready check`: audit repositories and report."""

from __future__ import annotations

import argparse
import re
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
from prodready.errors import UsageError
from prodready.findings import Severity

if TYPE_CHECKING:
    from prodready.baseline import Entry
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
        "--exit-zero",
        action="store_true",
        help="exit 0 even when findings fail the run (2 still means a rule or input failed)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="report and fail only on findings FILE does not hold; list its fixed ones",
    )
    parser.add_argument(
        "--update-baseline",
        action="store_true",
        help="write today's findings to the --baseline FILE first",
    )
    parser.add_argument(
        "--rules-url",
        metavar="URL",
        help="where each rule's page is, `{code}` filled in (SARIF helpUri and other links)",
    )
    parser.add_argument(
        "--category",
        default="prodready",
        help="the code scanning category of SARIF runs (default: prodready)",
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
    from prodready.report import FORMATS, RULES_URL, RenderOptions
    from prodready.summary import sentence

    if args.update_baseline and args.baseline is None:
        raise UsageError("--update-baseline needs --baseline FILE")
    _check_links(args)
    output_format = FORMATS.get(args.format)
    for target in (args.output, args.baseline if args.update_baseline else None):
        if target is not None:
            check_writable(target)
    history = _open_history(args.history) if args.save else None  # a bad path fails first
    report = auditor_for(args).check_many(args.paths)
    if history is not None:
        _save(report, history)
    report, fixed = _against_baseline(report, args)
    status = _status(report, args.exit_zero)
    options = RenderOptions(
        color=args.format == "text" and args.output is None and use_color(sys.stdout),
        statistics=args.statistics,
        quiet=args.quiet,
        exit_code=status,
        help_url=args.rules_url or RULES_URL,
        category=args.category,
    )
    write_output(output_format.render(report, options), args.output)
    if not args.quiet and (not output_format.summarised or args.output is not None):
        sys.stderr.write(sentence(report.findings, len(report.repositories)) + "\n")
    _tell_fixed(fixed, args.quiet)
    if args.verbose:
        _tell_repositories(report)
    for repo in report.repositories:
        for message in repo.errors:
            tell(f"prodready: {repo.path}: {message}")
    return status


CATEGORY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$")


def _check_links(args: argparse.Namespace) -> None:
    """`--rules-url` names each rule's own page, and `--category` is a code scanning category."""
    url = args.rules_url
    if url is not None and not (url.startswith(("https://", "http://")) and "{code}" in url):
        raise UsageError(f"--rules-url {url!r}: an http(s) address with `{{code}}` in it")
    if not CATEGORY.match(args.category):
        raise UsageError(f"--category {args.category!r}: letters, digits and _ . : / - only")


def _status(report: Report, exit_zero: bool) -> int:
    """2 when a rule or an input failed, else 1 when findings fail the run (0 with
    `--exit-zero`), else 0."""
    if any(repo.errors for repo in report.repositories):
        return 2
    return 0 if report.ok or exit_zero else 1


def _against_baseline(report: Report, args: argparse.Namespace) -> tuple[Report, list[Entry]]:
    """The report without the baseline's findings, and the baseline's fixed entries; the
    baseline first rewritten from this report with `--update-baseline`."""
    if args.baseline is None:
        return report, []
    from prodready import baseline

    if args.update_baseline:
        update = baseline.write(args.baseline, report)
        if not args.quiet:
            tell(
                f"prodready: wrote {update.written} findings to the baseline {args.baseline} "
                f"({update.added} added, {update.dropped} dropped)"
            )
    return baseline.compare(report, baseline.load(args.baseline), args.baseline)


def _tell_fixed(fixed: list[Entry], quiet: bool) -> None:
    """Say which of the baseline's findings are gone, so the baseline can shrink."""
    if not fixed:
        return
    tell(
        f"prodready: {len(fixed)} {'finding' if len(fixed) == 1 else 'findings'} of the "
        "baseline fixed (shrink it with --update-baseline)"
    )
    if quiet:
        return
    for entry in fixed:
        where = "/".join(part for part in (entry.repository, entry.path) if part not in ("", "."))
        at = f":{entry.line}" if entry.line else ""
        tell(f"  fixed: {where}{at}: {entry.code} {entry.message}")


def _tell_repositories(report: Report) -> None:
    """`--verbose`: each repository's kind and why, and how many rules ran on it."""
    for repo in report.repositories:
        tell(
            f"prodready: {repo.path}: {repo.kind.value} ({repo.kind_reason}); "
            f"{len(report.rules)} rules selected, {len(repo.findings)} findings"
        )


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
