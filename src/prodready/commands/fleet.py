"""`prodready fleet`: audit many repositories into Parquet results, and report on them.

Each subcommand declares itself in its own function (`add_report` ...), called from
`add_parser`; the fleet's modules and the `fleet` extra (pyarrow, duckdb, dask) are imported only
when a subcommand runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from prodready.commands import command

RESULTS = Path("prodready-fleet")  # the results folder when none is given


@command("fleet")
def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `fleet` and its subcommands."""
    parser = commands.add_parser(
        "fleet", help="audit many repositories, keep the results as data, report on them"
    )
    fleet = parser.add_subparsers(title="fleet commands", metavar="COMMAND")
    add_report(fleet)


def add_results_option(parser: argparse.ArgumentParser) -> None:
    """`--results DIR`: the folder of Parquet tables the fleet's commands share."""
    parser.add_argument(
        "--results",
        type=Path,
        default=RESULTS,
        metavar="DIR",
        help=f"the fleet's results folder (default: {RESULTS})",
    )


def add_report(fleet: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
