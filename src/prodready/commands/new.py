"""`prodready new`: a project that passes its own checks, tests, lint and type check at once."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from prodready.commands import command


@command("new")
def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare the options of `new`."""
    parser = commands.add_parser("new", help="create a production-ready project")
    parser.add_argument("name", metavar="NAME", help="project (distribution) name")
    from prodready.scaffold.kinds import ALIASES, KINDS

    parser.add_argument(
        "--kind",
        choices=[*KINDS.names(), *ALIASES],
        help="what to build (default: lib); lib, cli and ml are checked as libraries "
        "(published packages), service as a service",
    )
    parser.add_argument("--dir", type=Path, metavar="PATH", help="where (default: ./NAME)")
    parser.add_argument("--author", help="author name (default: git's user.name)")
    parser.add_argument("--email", help="author e-mail (default: git's user.email)")
    from prodready.scaffold.answers import licences

    parser.add_argument("--license", choices=licences(), help="licence (default: MIT)")
    parser.add_argument("--description", help="one line saying what it is")
    parser.add_argument(
        "--url",
        help="where the source lives (default: github.com/<git's github.user or author>/NAME)",
    )
    parser.add_argument("--yes", "-y", action="store_true", help="take every default, ask nothing")
    parser.add_argument("--no-git", action="store_true", help="no git repository, no first commit")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Validate, ask what is missing (on a terminal), render, write, commit."""
    from prodready.errors import UsageError
    from prodready.scaffold.answers import RECORD, Record, licences, validate
    from prodready.scaffold.names import project_names
    from prodready.scaffold.render import TEMPLATE_VERSION, render

    name, package = project_names(args.name)
    target = args.dir if args.dir is not None else Path(args.name.strip())
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target}: exists and is not an empty folder; nothing was written")
    ask = _asker(args.yes)
    from prodready.scaffold.kinds import KINDS

    kinds = KINDS.names()
    from prodready.scaffold.kinds import ALIASES

    kind = args.kind or ask(f"Kind ({', '.join(kinds)})", "lib", kinds)
    kind = ALIASES.get(kind, kind)
    answers = {
        "name": name,
        "package": package,
        "description": args.description or ask("Description", f"{name}: {_label(kind)}", None),
        "author": args.author or ask("Author", _git_config("user.name") or "The authors", None),
        "email": args.email
        or ask("E-mail", _git_config("user.email") or "authors@example.org", None),
        "license": args.license or ask(f"Licence ({', '.join(licences())})", "MIT", licences()),
        "year": _this_year(),
    }
    answers["url"] = args.url or ask("Source URL", _default_url(name, str(answers["author"])), None)
    answers = validate(answers)
    files = render(TEMPLATE_VERSION, kind, answers)
    files[RECORD] = Record(TEMPLATE_VERSION, kind, answers).dumps()
    _write(target, files)
    if not args.no_git:
        _first_commit(target)
    checked = KINDS.get(kind).checked_as
    sys.stderr.write(
        f"Created {_label(kind)} `{name}` in {target} ({len(files)} files; "
        f"`prodready check` treats it as a {checked}).\n"
    )
    sys.stderr.write(f'Next: cd {target} && pip install -e ".[dev]" && pytest\n')
    return 0


def _write(target: Path, files: dict[str, str]) -> None:
    """Write the new project's files, each new, none through a link."""
    from prodready.atomic import write_atomic
    from prodready.safeio import folder_inside

    target.mkdir(parents=True, exist_ok=True)
    root = target.resolve()
    for path, text in sorted(files.items()):
        folder = folder_inside(root, path)
        name = path.rsplit("/", 1)[-1]
        write_atomic(folder / name, text, expect=None, executable=text.startswith("#!"))


def _this_year() -> int:
    import datetime

    return datetime.date.today().year


def _label(kind: str) -> str:
    from prodready.scaffold.kinds import KINDS

    return KINDS.get(kind).label


Ask = Callable[[str, str, "tuple[str, ...] | None"], str]


def _asker(defaults_only: bool) -> Ask:
    """A prompt on a terminal; the default otherwise (or with --yes)."""
    interactive = not defaults_only and sys.stdin.isatty()

    def ask(question: str, default: str, choices: tuple[str, ...] | None) -> str:
        while interactive:
            answer = input(f"{question} [{default}]: ").strip() or default
            if choices is None or answer in choices:
                return answer
            sys.stderr.write(f"choose one of {', '.join(choices)}\n")
        return default

    return ask


def _default_url(name: str, author: str) -> str:
    import re

    owner = _git_config("github.user") or re.sub(r"[^a-z0-9-]+", "-", author.lower()).strip("-")
    return f"https://github.com/{owner or 'me'}/{name}"


def _git_config(key: str) -> str | None:
    """The user's own git setting (`--global`): `new` may run inside an untrusted repository,
    whose configuration git would otherwise read (and which could make it wait on a FIFO)."""
    import os

    from prodready.process import run as run_program

    environment = {**os.environ, "GIT_DIR": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = run_program(["git", "config", "--global", "--get", key], env=environment, timeout=10)
    if done is None or done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace").strip() or None


def _first_commit(root: Path) -> None:
    """`git init` and one commit of every file (the author from git's config, else a default)."""
    from prodready.errors import UsageError
    from prodready.process import run as run_program

    identity = (
        []
        if _git_config("user.email")
        else ["-c", "user.name=prodready", "-c", "user.email=prodready@localhost"]
    )
    for step in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        [*identity, "commit", "-q", "--no-verify", "-m", "Initial commit (prodready new)"],
    ):
        done = run_program(["git", "-C", str(root), *step])
        if done is None or done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip() if done else "git not found"
            raise UsageError(f"{root}: the files are written, but git failed: {message}")
