"""`prodready rule`: explain one rule, or all of them."""

from __future__ import annotations

import argparse
import sys

from prodready.commands import command
from prodready.errors import UsageError


@command("rule")
def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare the options of `rule`."""
    parser = commands.add_parser("rule", help="explain a rule: what, why, examples and the fix")
    parser.add_argument("code", nargs="?", help="rule code, e.g. PKG008")
    parser.add_argument("--all", action="store_true", help="explain every rule")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the documentation of the rule(s) asked for."""
    from prodready.rules import load_rules

    rules = load_rules()
    if args.all == bool(args.code):
        raise UsageError("give a rule code or --all (not both)")
    if args.all:
        chosen = list(rules.values())
    else:
        code = args.code.strip().upper()
        if code not in rules:
            import difflib

            near = difflib.get_close_matches(code, list(rules), n=3)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise UsageError(f"unknown rule {args.code!r}{hint}")
        chosen = [rules[code]]
    if args.format == "json":
        import json

        data = [
            {
                "code": r.code,
                "slug": r.slug,
                "summary": r.summary,
                "severity": r.severity.label,
                "kinds": r.kinds_label,
                "fix": r.fix.value,
                "source": r.source,
                "peers": list(r.peers),
                "docs": r.docs,
            }
            for r in chosen
        ]
        sys.stdout.write(json.dumps(data if args.all else data[0], indent=2) + "\n")
    else:
        sys.stdout.write("\n\n".join(r.markdown() for r in chosen))
    return 0
