"""`prodready score`: run the quality tools, hold their figures against targets, keep the run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from prodready.commands import add_history_option, command


@command("score")
def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare the options of `score`."""
    parser = commands.add_parser("score", help="run the quality tools into a scorecard")
    parser.add_argument("path", nargs="?", default=".", type=Path, metavar="PATH")
    from prodready.report.scorecard import RENDERERS
    from prodready.score.tools import TOOLS

    parser.add_argument(
        "--only", metavar="TOOLS", help=f"comma-separated subset of: {', '.join(TOOLS.names())}"
    )
    parser.add_argument("--format", choices=tuple(RENDERERS), default="text")
    parser.add_argument(
        "--targets", type=Path, metavar="FILE", help="TOML file of targets (metric = limit)"
    )
    parser.add_argument(
        "--python",
        metavar="PATH",
        help="the project's interpreter (default: the active virtual environment)",
    )
    from prodready.findings import Kind

    parser.add_argument(
        "--kind",
        choices=[k.value for k in Kind],
        help="project kind, instead of detecting it (decides which figures a grade requires)",
    )
    parser.add_argument(
        "--timeout", type=float, default=600, metavar="SECONDS", help="per tool (default: 600)"
    )
    parser.add_argument("--no-save", action="store_true", help="do not add the run to the history")
    add_history_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Exit 0 when every measured target is met, 1 when one is missed. Every argument is checked
    before any tool runs, so a typo costs nothing and creates nothing."""
    from prodready.errors import UsageError
    from prodready.findings import Kind
    from prodready.history.store import History
    from prodready.report.scorecard import RENDERERS
    from prodready.score.card import build_card, metrics_of, project_kind, targets
    from prodready.score.run import project_python, run_all
    from prodready.score.tools import TOOLS, load_tools

    root = args.path
    if not root.is_dir():
        raise UsageError(f"{root}: not a directory")
    names = [n.strip() for n in args.only.split(",")] if args.only else list(load_tools())
    for name in names:
        TOOLS.get(name)
    wanted = targets(root, args.targets)
    kind, _ = project_kind(root, Kind(args.kind) if args.kind else None)
    history = None if args.no_save else History(args.history)
    python = project_python(args.python, root)
    tools = load_tools()
    if any(tools[name].runs_project for name in names):
        what = "runs the project's code (its tests, build, install and import)"
    else:
        what = "runs code analysers from the project's environment (none of the project's code)"
    sys.stderr.write(f"prodready score {what} with {python}, in {root.resolve()}.\n")
    results = run_all(root, python, names, args.timeout, sys.stderr.isatty())
    card = build_card(results, wanted, kind)
    sys.stdout.write(RENDERERS[args.format](card))
    if history is not None:
        history.add(
            root,
            "score",
            {
                k: v
                for k, v in metrics_of(results).items()
                if not k.startswith(("coverage.module.", "lint.rule."))
            },
        )
        history.close()
    return 1 if card.missed else 0
