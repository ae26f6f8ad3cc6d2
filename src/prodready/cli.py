"""The `prodready` command: parse arguments, run one subcommand, turn every error into one line.

Only argparse and the command modules are imported at start-up, so `prodready --version` and
`--help` return at once; each subcommand imports what it needs when it runs.

Exit codes: 0 clean, 1 findings (or a missed target), 2 a usage, configuration, I/O or internal
error, 130 interrupted. Every error is one line on stderr; an unexpected one also leaves its
traceback in a log file, whose path the line gives (as pre-commit does).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn, cast

from prodready._version import __version__
from prodready.display import tell
from prodready.errors import ProdreadyError, UsageError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


class Parser(argparse.ArgumentParser):
    """argparse, with its errors raised as one-line usage errors instead of printed usage."""

    def error(self, message: str) -> NoReturn:
        where = f"{self.prog}: " if " " in self.prog else ""  # a subcommand names itself
        raise UsageError(f"{where}{message} (see `{self.prog} --help`)")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand, or only with `command` when one is
    named: declaring a command's options imports what they list (formats, tools, kinds), and
    `prodready check` on every commit should not pay for `score`'s."""
    from prodready.commands import COMMANDS

    parser = Parser(
        prog="prodready",
        description="Make Python projects production-ready and keep them so.",
    )
    parser.add_argument("--version", action="version", version=f"prodready {__version__}")
    commands = cast(
        "argparse._SubParsersAction[argparse.ArgumentParser]",
        parser.add_subparsers(title="commands", metavar="COMMAND"),
    )
    names = COMMANDS.names()
    for name in [command] if command in names else names:
        COMMANDS.get(name)(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run prodready; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser(next((a for a in arguments if not a.startswith("-")), None))
        args = parser.parse_args(arguments)
        if not hasattr(args, "run"):
            parser.print_help(sys.stderr)
            return EXIT_ERROR
        code: int = args.run(args)
    except ProdreadyError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        sys.stderr.write("prodready: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}")
    except Exception as exc:
        return _fail(_internal(exc, arguments))
    return code


def _fail(message: str) -> int:
    """Write one error line (the first line of the message) and give the error exit code."""
    # Lines are split at newlines only: a `\r` quoted from the repository is escaped, not a break.
    first = message.strip().split("\n")[0] if message.strip() else "unknown error"
    extra = message.strip().count("\n")
    more = f" (and {extra} more {'problem' if extra == 1 else 'problems'})" if extra else ""
    tell(f"prodready: error: {first}{more}")
    return EXIT_ERROR


def _internal(exc: BaseException, arguments: list[str]) -> str:
    """Keep the traceback in the log file and say where it is."""
    import traceback

    from prodready.source.cache import cache_dir

    what = f"internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    log = cache_dir() / "prodready.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(
            f"prodready {__version__}, Python {sys.version.split()[0]}\n"
            f"arguments: {arguments}\n\n" + "".join(traceback.format_exception(exc)),
            encoding="utf-8",
        )
    except OSError:
        return f"{what} (the traceback could not be written to {log})"
    return f"{what} (traceback in {log})"


def entry() -> None:
    """Console-script entry point. The garbage collector runs less often than Python's default
    (every 700 allocations), as mypy's does: an audit builds many small objects that live until
    it ends (file facts, parsed configuration, the import-name data), and collecting the young
    generation that often spends time on objects that never become garbage."""
    import gc

    gc.set_threshold(50_000, 20, 20)
    sys.exit(main())
