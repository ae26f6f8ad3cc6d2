"""The subcommands: one module per command (`check.py` is `prodready check`).

A command module registers itself with `@command(name)` on its `add_parser` function, which
declares its options and sets `run(args) -> exit code` as the parser's default. The options
several commands share are declared here, once.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from prodready.registry import Registry

if TYPE_CHECKING:
    from prodready.auditor import Auditor

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]
    Declare = Callable[[Subparsers], None]

COMMANDS: Registry[Declare] = Registry("prodready.commands", "command", one_per_module=True)


def command(name: str) -> Callable[[Declare], Declare]:
    """Register the decorated `add_parser` function as the command `name`."""
    return COMMANDS.decorator(name)


def codes(value: str) -> list[str]:
    """A comma-separated list of rule selectors, upper-cased."""
    return [part.strip().upper() for part in value.split(",") if part.strip()]


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by `check` and `fix`: which repositories, rules and kind; the cache."""
    from prodready.findings import Kind

    parser.add_argument(
        "paths", nargs="*", default=["."], metavar="PATH", help="repository roots (default: .)"
    )
    parser.add_argument(
        "--select",
        type=codes,
        action="extend",
        metavar="CODES",
        help="rules, prefixes or families to run (comma-separated; replaces the configured selection)",
    )
    parser.add_argument(
        "--ignore",
        type=codes,
        action="extend",
        metavar="CODES",
        help="rules, prefixes or families to skip (comma-separated)",
    )
    parser.add_argument(
        "--kind", choices=[k.value for k in Kind], help="project kind, instead of detecting it"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="read every file afresh (no per-file result cache)"
    )


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """`--format`, `--output` and `--statistics`: how a report is shown."""
    from prodready.report import FORMATS

    parser.add_argument(
        "--format",
        choices=FORMATS.names(),
        default="text",
        help="output format (default: text)",
    )
    parser.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write the report to FILE"
    )
    parser.add_argument(
        "--statistics", action="store_true", help="count findings per rule instead of listing them"
    )
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument(
        "-q", "--quiet", action="store_true", help="the findings only: no summary line"
    )
    loudness.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also say on stderr, per repository, its kind, why, and what ran",
    )


def add_fix_options(parser: argparse.ArgumentParser) -> None:
    """`--unsafe-fixes` and `--diff`."""
    parser.add_argument(
        "--unsafe-fixes", action="store_true", help="also apply fixes that may change behaviour"
    )
    parser.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff and write nothing"
    )


def add_template_options(parser: argparse.ArgumentParser) -> None:
    """`--templates` and `--template-version`: which templates `update` (and `fleet update`)
    bring a project to."""
    parser.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="render from this folder of numbered template versions (for template authors)",
    )
    parser.add_argument(
        "--template-version",
        type=int,
        metavar="N",
        help="the version to update to (default: newest)",
    )


def add_history_option(parser: argparse.ArgumentParser) -> None:
    """`--history FILE`."""
    parser.add_argument(
        "--history", type=Path, metavar="FILE", help="history database (default: per user)"
    )


def auditor_for(args: argparse.Namespace) -> Auditor:
    """The auditor the selection options describe: `check` and `fix` audit alike."""
    from prodready.auditor import Auditor

    return Auditor(
        select=args.select,
        ignore=args.ignore,
        kind=args.kind,
        fail_on=getattr(args, "fail_on", None),
        use_cache=not args.no_cache,
    )


def use_color(stream: object) -> bool:
    """Colour only on a terminal, never with NO_COLOR, always with FORCE_COLOR."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def write_output(text: str, output: Path | None) -> None:
    """The report to stdout, or atomically to the file asked for."""
    import sys

    if output is None:
        sys.stdout.write(text)
        return
    from prodready.atomic import write_atomic

    write_atomic(output, text)
