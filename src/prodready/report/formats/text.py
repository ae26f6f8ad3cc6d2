"""The text format: findings grouped by file, coloured by severity on a terminal."""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from typing import TYPE_CHECKING

from prodready.display import printable
from prodready.findings import Finding, Severity
from prodready.report import RenderOptions, renderer
from prodready.summary import sentence

if TYPE_CHECKING:
    from prodready.results import Report, RepositoryReport

COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}
BOLD, DIM = "1", "2"


def _paint(text: str, code: str, options: RenderOptions) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if options.color else text


@renderer("text", "findings grouped by file, coloured on a terminal", summarised=True)
def render(report: Report, options: RenderOptions) -> str:
    """The whole text report; quiet, only the repositories with something to say."""
    shown = [r for r in report.repositories if r.findings or r.errors or not options.quiet]
    blocks = [_repository(repo, report, options) for repo in shown]
    if not options.quiet:
        blocks.append(sentence(report.findings, len(report.repositories)))
    return "".join(block + "\n" for block in blocks)


def _repository(repo: RepositoryReport, report: Report, options: RenderOptions) -> str:
    head = _paint(printable(repo.path), BOLD, options) + _paint(
        f"  ({repo.kind.value}: {printable(repo.kind_reason)})", DIM, options
    )
    lines = [head]
    if options.statistics:
        lines += _statistics(repo.findings, report)
    else:
        for path, group in groupby(repo.findings, key=lambda f: f.path or ""):
            lines.append("  " + _paint(printable(path) or "(repository)", BOLD, options))
            lines += [_finding(f, options) for f in group]
    lines += [
        _paint(f"  error: {printable(message)}", COLORS[Severity.ERROR], options)
        for message in repo.errors
    ]
    return "\n".join(lines)


def _finding(finding: Finding, options: RenderOptions) -> str:
    where = f"{finding.line}:{finding.column or 1}" if finding.line else "-"
    severity = _paint(f"{finding.severity.label:<7}", COLORS[finding.severity], options)
    marker = " [*]" if finding.fixable else ""
    return f"    {where:>7}  {severity}  {finding.code}{marker}  {printable(finding.message)}"


def _statistics(findings: tuple[Finding, ...], report: Report) -> list[str]:
    tally = Counter(f.code for f in findings)
    fixable = {f.code for f in findings if f.fixable}
    rows = []
    for code, count in sorted(tally.items(), key=lambda item: (-item[1], item[0])):
        rule = report.rules.get(code)
        summary = rule.summary if rule else ""
        rows.append(f"  {count:>5}  {code:<8}{' [*]' if code in fixable else '    '}  {summary}")
    return rows
