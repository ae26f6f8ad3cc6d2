"""`prodready update`: re-render a generated project with the current templates and merge."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from prodready.commands import add_template_options, command
from prodready.display import tell


@command("update")
def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare the options of `update`."""
    parser = commands.add_parser(
        "update", help="bring template improvements into a project made by `prodready new`"
    )
    parser.add_argument("path", nargs="?", default=".", type=Path, metavar="PATH")
    parser.add_argument(
        "--diff", action="store_true", help="print what would change; write nothing"
    )
    add_template_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Exit 0 when up to date or updated cleanly, 1 with conflicts (or, with --diff, changes)."""
    from prodready.edits.engine import unified_diff
    from prodready.edits.workspace import Change
    from prodready.scaffold.render import TEMPLATE_VERSION, newest_version
    from prodready.scaffold.update import apply_update, plan_update

    version = args.template_version or (
        newest_version(args.templates) if args.templates else TEMPLATE_VERSION
    )
    plan = plan_update(args.path, version, args.templates)
    if not plan.updates:
        tell(f"{args.path}: up to date with template version {plan.version}.")
        return 0
    if args.diff:
        for update in plan.updates:
            sys.stdout.write(unified_diff(Change(update.path, update.before, update.after or "")))
    else:
        apply_update(plan)
    for update in plan.updates:
        tell(f"  {update.how:8}  {update.path}")
    for path in plan.kept:
        tell(f"  {'skipped':8}  {path} (you deleted it; the template changed it)")
    verb = "Would update" if args.diff else "Updated"
    conflicts = (
        f"; {len(plan.conflicts)} with conflicts to resolve: {', '.join(plan.conflicts)}"
        if plan.conflicts
        else ""
    )
    tell(f"{verb} {len(plan.updates)} files to template version {plan.version}{conflicts}.")
    return 1 if plan.conflicts or args.diff else 0
