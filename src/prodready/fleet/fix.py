"""Mass fixes: the change `prodready fleet fix` rolls out with `fleet/branches.py`. In each
repository's temporary clone, prodready's fixes for the selected rules are applied and the
repository checked again; the commit message explains each fixed rule and links its page.

The fixes go through prodready's own fix engine (`edits/engine.py`), as `prodready fix` applies
them; nothing from the repository runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from prodready.fleet.branches import Applied

MAX_PASSES = 4


class Fixed(NamedTuple):
    """The fix of one working tree: the rules it fixed, the findings of the selection left,
    and what could not be done."""

    fixed: tuple[str, ...]
    remaining: int
    problems: tuple[str, ...]


def apply_fixes(root: Path, select: Sequence[str], unsafe: bool) -> Fixed:
    """Audit, fix and audit again until nothing changes, as `prodready fix` does."""
    from prodready.auditor import Auditor
    from prodready.edits.engine import apply, plan

    auditor = Auditor(select=list(select))
    audit = auditor.audit(root)
    before = Counter(f.code for f in audit.report.findings)
    attempted: set[str] = set()
    problems: list[str] = []
    for _ in range(MAX_PASSES):
        fix_plan = plan(audit.project, audit.report.findings, unsafe)
        written, refusals = apply(fix_plan)
        attempted.update(f.code for f in fix_plan.attempted)
        problems += [*fix_plan.failures, *(f"{r.path}: not fixed: {r.reason}" for r in refusals)]
        if not written:
            break
        audit = auditor.audit(root)
    after = Counter(f.code for f in audit.report.findings)
    fixed = tuple(sorted(code for code in attempted if after[code] < before[code]))
    return Fixed(fixed, len(audit.report.findings), tuple(dict.fromkeys(problems)))


def commit_message(fixed: Sequence[str], remaining: int) -> str:
    """The commit message (and pull request): a title naming the rules, then each rule's
    summary and the address of its page."""
    from prodready._version import __version__
    from prodready.report import RULES_URL
    from prodready.rules import load_rules

    rules = load_rules()
    if len(fixed) == 1:
        title = f"prodready: fix {fixed[0]} ({rules[fixed[0]].slug})"
    else:
        title = f"prodready: fix {len(fixed)} rules ({', '.join(fixed)})"
    lines = [title, "", "`prodready fleet fix` applied prodready's fixes for:", ""]
    for code in fixed:
        rule = rules[code]
        lines += [f"- {code} ({rule.slug}): {rule.summary}", f"  {RULES_URL.format(code=code)}"]
    lines.append("")
    if remaining:
        plural = "finding" if remaining == 1 else "findings"
        lines += [f"{remaining} {plural} of the selected rules remain for a person to fix.", ""]
    lines.append(f"Made by prodready {__version__}; run it again to update this branch.")
    return "\n".join(lines) + "\n"


class FixChange(NamedTuple):
    """prodready's fixes of the selected rules (with `unsafe`, the unsafe ones too)."""

    select: Sequence[str]
    unsafe: bool = False
    name: str = "fix"

    def apply(self, root: Path) -> Applied:
        """Fix the working tree at `root`."""
        result = apply_fixes(root, self.select, self.unsafe)
        return Applied(
            message=commit_message(result.fixed or tuple(self.select), result.remaining),
            label=", ".join(result.fixed),
            fixed=result.fixed,
            remaining=result.remaining,
            notes=result.problems,
        )
