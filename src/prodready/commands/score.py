"""`prodready score`: run the quality tools, hold their figures against targets, keep the run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_TOOLS = ("pytest", "ruff", "mypy", "pip-audit", "bandit", "build", "install", "importtime")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare the options of `score`."""
    parser = commands.add_parser("score", help="run the quality tools into a scorecard")
    parser.add_argument("path", nargs="?", default=".", type=Path, metavar="PATH")
    parser.add_argument(
        "--only", metavar="TOOLS", help=f"comma-separated subset of: {', '.join(DEFAULT_TOOLS)}"
    )
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    parser.add_argument(
        "--targets", type=Path, metavar="FILE", help="TOML file of targets (metric = limit)"
    )
    parser.add_argument(
        "--python",
        metavar="PATH",
        help="the project's interpreter (default: the active virtual environment)",
    )
    parser.add_argument(
        "--timeout", type=float, default=600, metavar="SECONDS", help="per tool (default: 600)"
    )
    parser.add_argument("--no-save", action="store_true", help="do not add the run to the history")
    parser.add_argument(
        "--history", type=Path, metavar="FILE", help="history database (default: per user)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Exit 0 when every measured target is met, 1 when one is missed."""
    from prodready.errors import UsageError
    from prodready.score.card import build_card, metrics_of, targets
    from prodready.score.render import RENDERERS
    from prodready.score.run import project_python, run_all

    root = args.path
    if not root.is_dir():
        raise UsageError(f"{root}: not a directory")
    names = [n.strip() for n in args.only.split(",")] if args.only else list(DEFAULT_TOOLS)
    python = project_python(args.python, root)
    results = run_all(root, python, names, args.timeout, sys.stderr.isatty())
    card = build_card(results, targets(root, args.targets))
    sys.stdout.write(RENDERERS[args.format](card))
    if not args.no_save:
        from prodready.history.store import History

        history = History(args.history)
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
