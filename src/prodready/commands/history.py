"""`prodready history`: the stored runs of a repository and what changed since the one before."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from prodready.commands import add_history_option, command


@command("history")
def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare the options of `history`."""
    parser = commands.add_parser("history", help="list the stored check and score runs")
    parser.add_argument("path", nargs="?", default=".", type=Path, metavar="PATH")
    add_history_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """List the runs, oldest first, each with its change since the run before."""
    import datetime

    from prodready.history.metrics import tracked
    from prodready.history.store import History

    history = History(args.history, create=False)
    runs = history.runs(args.path)
    history.close()
    if not runs:
        sys.stderr.write(
            f"{args.path}: no stored runs (run `prodready score` or `prodready check --save`).\n"
        )
        return 0
    previous: dict[str, dict[str, float]] = {}
    for entry in runs:
        when = datetime.datetime.fromtimestamp(entry.created).strftime("%Y-%m-%d %H:%M")
        before = previous.get(entry.command, {})
        parts = [
            _figure(name, entry.metrics[name], before.get(name))
            for name, _ in tracked()
            if name in entry.metrics
        ]
        sys.stdout.write(
            f"{when}  {entry.revision or '-':13}  {entry.command:5}  {'  '.join(parts)}\n"
        )
        previous[entry.command] = entry.metrics
    return 0


def _figure(name: str, value: float, before: float | None) -> str:
    change = "" if before is None or before == value else f" ({value - before:+g})"
    return f"{name}={value:g}{change}"
