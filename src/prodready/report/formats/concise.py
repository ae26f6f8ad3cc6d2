"""The concise format: one line per finding, `path:line:col: CODE [*] message`, which editors
and terminals turn into links (ruff's `concise`)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from prodready.display import printable
from prodready.report import RenderOptions, renderer
from prodready.summary import sentence

if TYPE_CHECKING:
    from prodready.findings import Finding
    from prodready.results import Report


def _line(repository: str, finding: Finding) -> str:
    where = os.path.normpath(os.path.join(repository, finding.path or "")).replace(os.sep, "/")
    where += f":{finding.line or 1}:{finding.column or 1}"  # always, as problem matchers expect
    marker = " [*]" if finding.fixable else ""
    return f"{printable(where)}: {finding.code}{marker} {printable(finding.message)}"


@renderer("concise", "one line per finding: path:line:col: CODE [*] message", summarised=True)
def render(report: Report, options: RenderOptions) -> str:
    """Every finding on its own line, then (unless quiet) the summary line."""
    lines = [_line(repo.path, f) for repo in report.repositories for f in repo.findings]
    if not options.quiet:
        lines.append(sentence(report.findings, len(report.repositories)))
    return "".join(line + "\n" for line in lines)
