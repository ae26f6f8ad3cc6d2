"""The `prodready` command: parse arguments, run one subcommand, turn errors into exit codes.

Only argparse is imported at start-up, so `prodready --version` and `--help` return at once; each
subcommand imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from prodready._version import __version__
from prodready.commands import check, fix, history, new, report, rule, score, update
from prodready.errors import ProdreadyError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="prodready",
        description="Make Python projects production-ready and keep them so.",
    )
    parser.add_argument("--version", action="version", version=f"prodready {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in (check, fix, new, update, score, history, report, rule):
        module.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run prodready; returns the exit code (0 clean, 1 findings, 2 error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        code: int = args.run(args)
    except ProdreadyError as exc:
        sys.stderr.write(f"prodready: error: {exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("prodready: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    return code


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())
