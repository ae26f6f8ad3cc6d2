"""`prodready report`: one self-contained HTML file with findings, scorecard and trends."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from prodready.commands import add_history_option, command


@command("report")
def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare the options of `report`."""
    parser = commands.add_parser("report", help="write an HTML report with trend charts")
    parser.add_argument("path", nargs="?", default=".", type=Path, metavar="PATH")
    parser.add_argument(
        "--output", "-o", type=Path, default=Path("prodready-report.html"), metavar="FILE"
    )
    add_history_option(parser)
    parser.add_argument("--targets", type=Path, metavar="FILE", help="TOML file of targets")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Audit, read the history, write the page."""
    from prodready.atomic import check_writable, write_atomic
    from prodready.auditor import Auditor
    from prodready.history.store import History
    from prodready.report.html import history_page
    from prodready.score.card import targets

    check_writable(args.output)
    history = History(args.history, create=False)
    report = Auditor().check(args.path)
    runs = history.runs(args.path)
    history.close()
    title = f"prodready report: {args.path.resolve().name}"
    write_atomic(
        args.output,
        history_page(title, report.repositories[0], runs, targets(args.path, args.targets)),
    )
    sys.stderr.write(
        f"Wrote {args.output} ({len(runs)} stored runs, {len(report.findings)} findings).\n"
    )
    return 0
