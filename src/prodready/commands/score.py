"""`prodready score`: run the quality tools, hold their figures against targets, keep the run."""

from __future__ import annotations

import argparse
import platform
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from prodready.commands import add_history_option, command

if TYPE_CHECKING:
    from prodready.score.run import Interpreter, Probe
    from prodready.score.tools import Tool


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
        help="the project's interpreter (default: the active virtual environment, else the project's .venv)",
    )
    parser.add_argument(
        "--isolated",
        action="store_true",
        help="run in a throwaway virtual environment with the project and its dev dependencies",
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
    before any tool runs, so a typo costs nothing and creates nothing; the interpreter is named
    (path, version, where it was found) before any tool starts."""
    from prodready.errors import UsageError
    from prodready.findings import Kind
    from prodready.history.store import History
    from prodready.report.scorecard import RENDERERS
    from prodready.score.card import build_card, metrics_of, project_kind, targets
    from prodready.score.run import probe, run_all
    from prodready.score.tools import TOOLS, load_tools

    root = args.path
    if not root.is_dir():
        raise UsageError(f"{root}: not a directory")
    if args.isolated and args.python:
        raise UsageError("--isolated builds its own environment: give --python or --isolated")
    names = [n.strip() for n in args.only.split(",")] if args.only else list(load_tools())
    for name in names:
        TOOLS.get(name)
    selected = [load_tools()[name] for name in names]
    wanted = targets(root, args.targets)
    kind, _ = project_kind(root, Kind(args.kind) if args.kind else None)
    chosen = None if args.isolated else _project_interpreter(args.python, root, selected)
    history = None if args.no_save else History(args.history)
    with _environment(chosen, root, args.timeout) as interpreter:
        found = probe(interpreter.path, root, {m for t in selected for m in t.modules})
        _announce(interpreter, found, root, selected)
        results = run_all(
            root,
            interpreter.path,
            names,
            args.timeout,
            progress=sys.stderr.isatty(),
            available=found.available,
        )
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


def _project_interpreter(explicit: str | None, root: Path, selected: list[Tool]) -> Interpreter:
    """The project's interpreter. Without one, only tools that just read the project's files
    may run in prodready's own environment; any other is refused, in one line that says what
    to do, before anything is run or created."""
    from prodready.errors import UsageError
    from prodready.score.run import Interpreter, find_interpreter

    found = find_interpreter(explicit, root)
    needing = [t.name for t in selected if t.needs_project_environment]
    if found is not None and needing and _foreign_own_environment(found, root):
        raise UsageError(
            f"{root}: the active virtual environment is prodready's own and the project is not "
            f"installed in it, so {needing[0]} would fail on imports: activate the project's "
            "environment, give --python PATH, or use --isolated"
        )
    if found is not None:
        return found
    if needing:
        raise UsageError(
            f"{root}: no project environment (no active virtual environment, no .venv) to "
            f"run {needing[0]} in: give --python PATH, or --isolated to build a throwaway one"
        )
    return Interpreter(sys.executable, "prodready's own environment")


def _foreign_own_environment(found: Interpreter, root: Path) -> bool:
    """True when the interpreter found is the active virtual environment, that environment is
    prodready's own, and the project (by its `[project] name`) is not installed in it: the
    project's tests would run against prodready's packages, not the project's."""
    import importlib.metadata
    import os
    import tomllib

    active = os.environ.get("VIRTUAL_ENV")
    if found.origin != "the active virtual environment" or not active:
        return False
    if Path(active).resolve() != Path(sys.prefix).resolve():
        return False
    try:
        name = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]["name"]
        importlib.metadata.distribution(str(name))
    except (OSError, ValueError, KeyError, TypeError):
        return False  # no packaged name to look for: the run is labelled, not refused
    except importlib.metadata.PackageNotFoundError:
        return True
    return False


@contextmanager
def _environment(chosen: Interpreter | None, root: Path, timeout: float) -> Iterator[Interpreter]:
    """`chosen`, or (None: `--isolated`) a throwaway environment with the project and its dev
    dependencies, for the time of the run."""
    if chosen is not None:
        yield chosen
        return
    from prodready.score.isolated import install_arguments, throwaway_environment
    from prodready.score.run import Interpreter

    sys.stderr.write(
        f"prodready score --isolated: pip install {' '.join(install_arguments(root))} into a "
        f"throwaway virtual environment made by {sys.executable} (Python {platform.python_version()}).\n"
    )
    with throwaway_environment(root, timeout) as python:
        yield Interpreter(python, "a throwaway environment, --isolated")


def _announce(interpreter: Interpreter, found: Probe, root: Path, selected: list[Tool]) -> None:
    """Say on stderr, before any tool runs, what runs and with which interpreter."""
    if any(t.runs_project for t in selected):
        what = "runs the project's code (its tests, build, install and import)"
    else:
        what = "runs code analysers from the project's environment (none of the project's code)"
    origin = interpreter.origin
    if found.own and "prodready" not in origin:
        origin += ", prodready's own environment"
    sys.stderr.write(
        f"prodready score {what} with {interpreter.path} (Python {found.version}, {origin}), "
        f"in {root.resolve()}.\n"
    )
