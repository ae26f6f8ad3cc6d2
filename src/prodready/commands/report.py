"""`prodready report`: one self-contained HTML file with findings, scorecard and trends."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare the options of `report`."""
    parser = commands.add_parser("report", help="write an HTML report with trend charts")
    parser.add_argument("path", nargs="?", default=".", type=Path, metavar="PATH")
    parser.add_argument(
        "--output", "-o", type=Path, default=Path("prodready-report.html"), metavar="FILE"
    )
    parser.add_argument(
        "--history", type=Path, metavar="FILE", help="history database (default: per user)"
    )
    parser.add_argument("--targets", type=Path, metavar="FILE", help="TOML file of targets")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from prodready.atomic import write_atomic
    from prodready.auditor import Auditor
    from prodready.history.html import render
    from prodready.history.store import History
    from prodready.score.card import targets

    report = Auditor().check(args.path)
    history = History(args.history)
    runs = history.runs(args.path)
    history.close()
    title = f"prodready report: {args.path.resolve().name}"
    write_atomic(
        args.output, render(title, report.repositories[0], runs, targets(args.path, args.targets))
    )
    sys.stderr.write(
        f"Wrote {args.output} ({len(runs)} stored runs, {len(report.findings)} findings).\n"
    )
    return 0
