"""`prodready fleet`: audit many repositories into Parquet results, query them, report on them
and fix or update them.

Each subcommand is declared by its own `_add_<name>` function and run by its own `run_<name>`,
so subcommands are added side by side. pyarrow, DuckDB and Dask (the `fleet` extra) are
imported only when a subcommand runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from prodready.commands import add_template_options, codes, command
from prodready.display import tell
from prodready.errors import UsageError

if TYPE_CHECKING:
    from prodready.fleet.branches import Change
    from prodready.fleet.hosts import Host
    from prodready.fleet.sources import Source

EXIT_OK, EXIT_FAILED = 0, 2


@command("fleet")
def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `fleet` and its subcommands."""
    parser = commands.add_parser(
        "fleet", help="audit many repositories from a local mirror and query the results"
    )
    subcommands = parser.add_subparsers(title="subcommands", metavar="SUBCOMMAND")
    _add_scan(subcommands)
    _add_query(subcommands)
    _add_report(subcommands)
    add_fix_parser(subcommands)
    add_update_parser(subcommands)
    parser.set_defaults(run=lambda args: _help(parser))


def _help(parser: argparse.ArgumentParser) -> int:
    import sys

    parser.print_help(sys.stderr)
    return 2


def _add_results_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--results",
        type=Path,
        metavar="DIR",
        help="the Parquet results folder (default: fleet/results in prodready's cache)",
    )


def _results(args: argparse.Namespace) -> Path:
    from prodready.fleet.results import default_results

    return Path(args.results) if args.results is not None else default_results()


def _add_scan(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommands.add_parser(
        "scan",
        help="audit repositories (a file of git URLs, a folder of checkouts, a git URL, "
        "github:ORG, gitlab:GROUP) into the results",
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help=SOURCES_HELP)
    _add_results_option(parser)
    parser.add_argument(
        "--cache",
        type=Path,
        metavar="DIR",
        help="the mirrors' folder (default: in prodready's cache)",
    )
    _add_source_options(parser)
    parser.add_argument(
        "--executor",
        default="local",
        metavar="NAME",
        help="where audits run: local (a process pool, default) or dask",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDR",
        help="the Dask scheduler's address (default: a local cluster)",
    )
    parser.add_argument(
        "--jobs", "-j", type=_positive, metavar="N", help="workers (default: one per core)"
    )
    parser.add_argument(
        "--select",
        type=codes,
        action="extend",
        metavar="CODES",
        help="rules to run (comma-separated)",
    )
    parser.add_argument(
        "--ignore",
        type=codes,
        action="extend",
        metavar="CODES",
        help="rules to skip (comma-separated)",
    )
    parser.add_argument(
        "--kind",
        choices=["library", "application", "service"],
        help="project kind for every repository",
    )
    parser.add_argument(
        "--policy",
        metavar="FILE|URL[@REF]#PATH",
        help="the organisation's policy: a TOML file shaped like [tool.prodready] (or a "
        "pyproject.toml holding one), or such a file in a git repository (PATH defaults to "
        "pyproject.toml; read at one commit of REF, the default branch without one), that "
        "every repository's [tool.prodready] extends; a repository opts out of a rule it "
        "selects only with a reason",
    )
    parser.add_argument(
        "--timeout",
        type=_positive,
        default=600,
        metavar="SECONDS",
        help="longest a git step may take (default: 600)",
    )
    parser.add_argument(
        "--token-host",
        action="append",
        default=[],
        metavar="NAME=HOST",
        help="also send host NAME's token (github: $GITHUB_TOKEN, gitlab: $GITLAB_TOKEN) when "
        "fetching https://HOST/ (repeatable; by default a token goes to its host's own "
        "address only)",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress and no summary line"
    )
    parser.set_defaults(run=run_scan)


SOURCES_HELP = (
    "a file of git URLs (one a line, optional @ref), a folder of git checkouts, a git URL, "
    "github:ORG or gitlab:GROUP"
)


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    """The options that choose repositories, shared by `scan`, `fix` and `update`."""
    parser.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="PAT",
        help="only repositories whose name matches PAT (a glob; repeatable)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="PAT",
        help="skip repositories whose name matches PAT (a glob; repeatable)",
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


def _sources(args: argparse.Namespace) -> tuple[list[Source], dict[str, Host]]:
    """The repositories the command line names, and the code hosts they were read with."""
    from prodready.fleet.hosts import HOSTS
    from prodready.fleet.sources import read_sources

    apis = {"github": args.github_api, "gitlab": args.gitlab_api}
    hosts = {name: HOSTS.get(name)(apis.get(name)) for name in HOSTS.names()}
    found = read_sources(
        args.sources,
        args.include,
        args.exclude,
        hosts=hosts,
        archived=args.include_archived,
        forks=args.include_forks,
    )
    return found, hosts


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not positive")
    return value


def run_scan(args: argparse.Namespace) -> int:
    """Scan; exit 0 when every repository was audited (or reused), 2 when one failed."""
    from prodready.fleet.executors import EXECUTORS, ExecutorOptions
    from prodready.fleet.mirror import credentials, default_mirrors
    from prodready.fleet.policy import Policy
    from prodready.fleet.policy import read as read_policy
    from prodready.fleet.scan import TerminalProgress, scan
    from prodready.fleet.worker import AuditConfig

    _needs_extra()
    EXECUTORS.get(args.executor)  # an unknown executor fails before any work
    if args.scheduler and args.executor != "dask":
        raise UsageError("--scheduler needs --executor dask")
    sources, hosts = _sources(args)
    if not sources:
        raise UsageError("no repositories to scan (check the sources and --include/--exclude)")
    tokens = credentials(hosts, args.token_host)
    if args.select or args.ignore:
        from prodready.rules import load_rules
        from prodready.selection import validate_selectors

        for selectors, where in ((args.select, "--select"), (args.ignore, "--ignore")):
            validate_selectors(selectors or [], load_rules(), where)
    mirrors = args.cache if args.cache is not None else default_mirrors()
    policy = (
        read_policy(args.policy, mirrors, args.timeout, tokens) if args.policy else Policy("", "")
    )
    progress = TerminalProgress()
    progress.enabled = progress.enabled and not args.quiet
    try:
        summary = scan(
            sources,
            results=_results(args),
            mirrors=mirrors,
            given=args.sources,
            executor=args.executor,
            options=ExecutorOptions(args.jobs, args.scheduler),
            config=AuditConfig(
                tuple(args.select or ()),
                tuple(args.ignore or ()),
                args.kind or "",
                policy.text,
                policy.commit,
            ),
            timeout=args.timeout,
            progress=progress,
            policy_source=policy.source,
            credentials=tokens,
        )
    finally:
        progress.finish()
    if not args.quiet:
        rate = summary.repositories / summary.seconds if summary.seconds else 0.0
        tell(
            f"prodready fleet: scan {summary.scan_id}: {summary.repositories} "
            f"{'repository' if summary.repositories == 1 else 'repositories'} "
            f"({summary.audited} audited, {summary.cached} cached, {summary.failed} failed), "
            f"{summary.findings} findings, {summary.seconds:.1f} s ({rate:.1f}/s) on "
            f"{summary.executor}; results in {_results(args)}"
        )
    return EXIT_FAILED if summary.failed else EXIT_OK


def _add_query(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommands.add_parser(
        "query",
        help="run SQL (DuckDB) over the results: views findings, repositories, scans, optouts",
    )
    parser.add_argument("sql", metavar="SQL", help="one SQL statement")
    _add_results_option(parser)
    parser.add_argument(
        "--format",
        choices=["table", "json", "csv"],
        default="table",
        help="output format (default: table)",
    )
    parser.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write the answer to FILE"
    )
    parser.set_defaults(run=run_query)


def run_query(args: argparse.Namespace) -> int:
    """Print the answer to one SQL statement."""
    from prodready.commands import write_output
    from prodready.fleet.query import query, render

    _needs_extra()
    write_output(render(query(_results(args), args.sql), args.format), args.output)
    return EXIT_OK


def _needs_extra() -> None:
    """pyarrow and DuckDB come with the `fleet` extra."""
    import importlib.util

    missing = [m for m in ("pyarrow", "duckdb") if importlib.util.find_spec(m) is None]
    if missing:
        raise UsageError(
            f"prodready fleet needs {' and '.join(missing)}: pip install 'prodready[fleet]'"
        )


def _add_report(fleet: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `fleet report`."""
    parser = fleet.add_parser(
        "report", help="write the fleet's dashboard: one self-contained HTML page"
    )
    _add_results_option(parser)
    parser.add_argument("--output", "-o", type=Path, default=Path("dashboard.html"), metavar="FILE")
    parser.set_defaults(run=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Read the results, write the page."""
    from prodready.atomic import check_writable, write_atomic
    from prodready.fleet.report import dashboard, load
    from prodready.rules import load_rules

    check_writable(args.output)
    fleet = load(_results(args))
    summaries = {code: rule.summary for code, rule in load_rules().items()}
    write_atomic(args.output, dashboard(fleet, summaries))
    latest = fleet.history[fleet.latest.scan_id]
    sys.stderr.write(
        f"Wrote {args.output} ({len(fleet.scans)} {'scan' if len(fleet.scans) == 1 else 'scans'}, "
        f"{len(latest)} repositories in the latest).\n"
    )
    return 0


def _add_branch_options(parser: argparse.ArgumentParser) -> None:
    """The options of a change rolled out on a branch, shared by `fix` and `update`."""
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
        "--results",
        type=Path,
        metavar="DIR",
        help="the results folder whose changes table records each run's branches, commits and "
        "pull requests (default: fleet/results in prodready's cache)",
    )


def add_fix_parser(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help=SOURCES_HELP)
    _add_source_options(parser)
    parser.add_argument(
        "--select", type=codes, action="extend", required=True, metavar="CODES",
        help="the rules, prefixes or families to fix (comma-separated)",
    )  # fmt: skip
    _add_branch_options(parser)
    parser.add_argument(
        "--unsafe-fixes", action="store_true", help="also apply fixes that may change behaviour"
    )
    parser.set_defaults(run=run_fix)


def run_fix(args: argparse.Namespace) -> int:
    """Fix every repository; exit 0 when none failed, 1 when some did."""
    from prodready.fleet.fix import FixChange

    return _roll_out(args, FixChange(args.select, args.unsafe_fixes))


def add_update_parser(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `prodready fleet update`."""
    parser = actions.add_parser(
        "update",
        help="bring projects made by `prodready new` to the current templates, on a branch"
        " (dry run by default)",
        description=(
            "In a temporary clone of each repository made by `prodready new`, run `prodready"
            " update` (a three-way merge: the project's edits stay, clashes get conflict"
            " markers) and commit on --branch; a repository with conflicts gets a draft pull"
            " request. Other repositories are skipped. Without --push only the diffs are"
            " printed; nothing is written or pushed."
        ),
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help=SOURCES_HELP)
    _add_source_options(parser)
    _add_branch_options(parser)
    add_template_options(parser)
    parser.set_defaults(run=run_update)


def run_update(args: argparse.Namespace) -> int:
    """Update every repository; exit 0 when none failed, 1 when some did."""
    from prodready.fleet.update import UpdateChange

    templates = args.templates.resolve() if args.templates is not None else None
    return _roll_out(args, UpdateChange(args.template_version, templates))


def _roll_out(args: argparse.Namespace, change: Change) -> int:
    """Run `change` over the repositories the command line names; print the diffs of a dry
    run, a line per repository and a tally; record the outcomes in the results' `changes`
    table (also when the run is stopped half-way)."""
    from prodready.fleet.branches import Options, change_all, describe, valid_branch
    from prodready.fleet.changes import Run, recorded

    _needs_extra()
    valid_branch(args.branch)
    targets, hosts = _sources(args)
    options = Options(branch=args.branch, push=args.push, draft=args.draft, limit=args.limit)
    results = _results(args)
    outcomes = []
    run = Run(results)
    try:
        for outcome in change_all(targets, change, options, hosts, recorded(results)):
            outcomes.append(outcome)
            run.add(outcome)
            if outcome.diff and not args.push:
                sys.stdout.write(f"# {outcome.repository}: {outcome.title}\n{outcome.diff}")
                sys.stdout.flush()
            sys.stderr.write(describe(outcome) + "\n")
    finally:
        written = run.write()
    tally: dict[str, int] = {}
    for outcome in outcomes:
        tally[outcome.status] = tally.get(outcome.status, 0) + 1
    counts = ", ".join(f"{n} {status}" for status, n in sorted(tally.items()))
    plural = "repository" if len(outcomes) == 1 else "repositories"
    sys.stderr.write(f"{len(outcomes)} {plural}{': ' + counts if counts else ''}.\n")
    if written is not None:
        sys.stderr.write(f"Recorded in {written}.\n")
    return 1 if tally.get("failed") else 0
