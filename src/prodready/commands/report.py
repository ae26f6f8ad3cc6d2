"""`prodready report`: one self-contained HTML file with findings, grade, scorecard and trends,
and on request a shields.io badge of the grade."""

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
    parser.add_argument(
        "--badge",
        type=Path,
        metavar="FILE",
        help="also write the latest grade as a shields.io endpoint badge (JSON)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Audit, read the history, write the page (and the badge). Both paths are checked before
    any work, so a typo costs nothing and creates nothing."""
    from prodready.atomic import check_writable, write_atomic
    from prodready.auditor import Auditor
    from prodready.history.store import History, latest_score
    from prodready.report.badge import badge
    from prodready.report.history_page import history_page
    from prodready.score.card import stored_card, targets

    check_writable(args.output)
    if args.badge is not None:
        check_writable(args.badge)
    wanted = targets(args.path, args.targets)
    history = History(args.history, create=False)
    report = Auditor().check(args.path)
    runs = history.runs(args.path)
    history.close()
    latest = latest_score(runs)
    kind = report.repositories[0].kind
    card = stored_card(latest.metrics, wanted, kind) if latest else None
    title = f"prodready report: {args.path.resolve().name}"
    write_atomic(args.output, history_page(title, report.repositories[0], runs, wanted, card))
    if args.badge is not None:
        write_atomic(args.badge, badge(card))
    grade = f"grade {card.grade}" if card else "no score stored"
    stored = f"{len(runs)} stored {'run' if len(runs) == 1 else 'runs'}"
    sys.stderr.write(f"Wrote {args.output} ({stored}, {len(report.findings)} findings, {grade}).\n")
    if args.badge is not None:
        sys.stderr.write(f"Wrote {args.badge} (shields.io endpoint badge).\n")
    return 0
