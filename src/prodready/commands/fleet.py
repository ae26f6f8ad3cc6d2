"""`prodready fleet`: audit many repositories into Parquet results, report on them and fix them.

Each subcommand declares itself in its own function (`add_report`, `add_fix_parser` ...), called
from `add_parser`; the fleet's modules and the `fleet` extra (pyarrow, duckdb, dask) are imported
only when a subcommand runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from prodready.commands import codes, command

if TYPE_CHECKING:
    Actions = argparse._SubParsersAction[argparse.ArgumentParser]

RESULTS = Path("prodready-fleet")  # the results folder when none is given


@command("fleet")
def add_parser(commands: Actions) -> None:
    """Declare `fleet` and its subcommands."""
    parser = commands.add_parser(
        "fleet", help="audit many repositories, keep the results as data, report on and fix them"
    )
    fleet: Actions = parser.add_subparsers(title="fleet commands", metavar="COMMAND")
    add_report(fleet)
    add_fix_parser(fleet)


def add_results_option(parser: argparse.ArgumentParser) -> None:
    """`--results DIR`: the folder of Parquet tables the fleet's commands share."""
    parser.add_argument(
        "--results",
        type=Path,
        default=RESULTS,
        metavar="DIR",
        help=f"the fleet's results folder (default: {RESULTS})",
    )


def add_report(fleet: Actions) -> None:
    """Declare `fleet report`."""
    parser = fleet.add_parser(
        "report", help="write the fleet's dashboard: one self-contained HTML page"
    )
    add_results_option(parser)
    parser.add_argument("--output", "-o", type=Path, default=Path("dashboard.html"), metavar="FILE")
    parser.set_defaults(run=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Read the results, write the page."""
    from prodready.atomic import check_writable, write_atomic
    from prodready.fleet.report import dashboard, load
    from prodready.rules import load_rules

    check_writable(args.output)
    fleet = load(args.results)
    summaries = {code: rule.summary for code, rule in load_rules().items()}
    write_atomic(args.output, dashboard(fleet, summaries))
    latest = fleet.history[fleet.latest.scan_id]
    sys.stderr.write(
        f"Wrote {args.output} ({len(fleet.scans)} {'scan' if len(fleet.scans) == 1 else 'scans'}, "
        f"{len(latest)} repositories in the latest).\n"
    )
    return 0


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def add_fix_parser(actions: Actions) -> None:
    """Declare `prodready fleet fix`."""
    parser = actions.add_parser(
        "fix",
        help="fix the selected rules in many repositories, on a branch (dry run by default)",
        description=(
            "In a temporary clone of each repository, apply prodready's fixes for the selected"
            " rules, check again and commit on --branch. Without --push only the diffs are"
            " printed; nothing is written or pushed."
        ),
    )
    parser.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="a file of git URLs (one a line, optional @ref), a git URL, github:ORG or gitlab:GROUP",
    )
    parser.add_argument(
        "--select", type=codes, action="extend", required=True, metavar="CODES",
        help="the rules, prefixes or families to fix (comma-separated)",
    )  # fmt: skip
    parser.add_argument("--branch", required=True, metavar="NAME", help="the branch to commit on")
    parser.add_argument(
        "--push",
        action="store_true",
        help="push the branch and open or update its pull (merge) request",
    )
    parser.add_argument("--draft", action="store_true", help="open pull requests as drafts")
    parser.add_argument(
        "--limit", type=_positive, metavar="N", help="stop after N repositories with changes"
    )
    parser.add_argument(
        "--unsafe-fixes", action="store_true", help="also apply fixes that may change behaviour"
    )
    parser.add_argument(
        "--results",
        type=Path,
        metavar="DIR",
        help="record each repository's branch, commit and pull request in DIR/fixes.jsonl",
    )
    parser.add_argument(
        "--include-archived", action="store_true", help="org listings: keep archived repositories"
    )
    parser.add_argument("--include-forks", action="store_true", help="org listings: keep forks")
    parser.add_argument(
        "--github-api",
        metavar="URL",
        help="GitHub API (default: $GITHUB_API_URL or api.github.com)",
    )
    parser.add_argument(
        "--gitlab-api", metavar="URL", help="GitLab API (default: $CI_API_V4_URL or gitlab.com)"
    )
    parser.set_defaults(run=run_fix)


def run_fix(args: argparse.Namespace) -> int:
    """Fix every repository; exit 0 when none failed, 1 when some did."""
    from prodready.fleet.fix import Options, describe, fix_all, read_targets, record, valid_branch
    from prodready.fleet.hosts import HOSTS

    valid_branch(args.branch)
    apis = {"github": args.github_api, "gitlab": args.gitlab_api}
    hosts = {name: HOSTS.get(name)(apis.get(name)) for name in HOSTS.names()}
    targets = read_targets(
        args.sources, hosts, archived=args.include_archived, forks=args.include_forks
    )
    options = Options(
        select=args.select,
        branch=args.branch,
        push=args.push,
        draft=args.draft,
        limit=args.limit,
        unsafe=args.unsafe_fixes,
    )
    outcomes = []
    for outcome in fix_all(targets, options, hosts):
        outcomes.append(outcome)
        if outcome.diff and not args.push:
            sys.stdout.write(f"# {outcome.repository}: {outcome.title}\n{outcome.diff}")
            sys.stdout.flush()
        sys.stderr.write(describe(outcome) + "\n")
    tally: dict[str, int] = {}
    for outcome in outcomes:
        tally[outcome.status] = tally.get(outcome.status, 0) + 1
    counts = ", ".join(f"{n} {status}" for status, n in sorted(tally.items()))
    plural = "repository" if len(outcomes) == 1 else "repositories"
    sys.stderr.write(f"{len(outcomes)} {plural}{': ' + counts if counts else ''}.\n")
    if args.push and args.results is not None and outcomes:
        sys.stderr.write(f"Recorded in {record(args.results, outcomes)}.\n")
    return 1 if tally.get("failed") else 0
