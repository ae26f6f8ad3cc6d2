"""Markdown: a summary and a table per repository, for pull-request comments and job summaries.

Each rule code links to its page. The table is cut at `MAX_ROWS` findings a repository, with
the rest counted, so a comment stays within what GitHub and GitLab accept.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from prodready.display import unicode
from prodready.report import RenderOptions, renderer, shown_path
from prodready.summary import sentence

if TYPE_CHECKING:
    from prodready.findings import Finding
    from prodready.results import Report, RepositoryReport

MAX_ROWS = 200


def cell(text: str) -> str:
    """Text that stays inside one table cell and renders as written: line breaks made spaces,
    pipes escaped everywhere (GitHub's tables need it even in code), other markup characters
    escaped outside the message's `code` spans (where a backslash would show)."""
    text = unicode(text).replace("\r", " ").replace("\n", " ")
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code span at all
        return _escaped(text).replace("`", "\\`").replace("|", "\\|")
    parts[::2] = [_escaped(part) for part in parts[::2]]
    return "`".join(parts).replace("|", "\\|")


def _escaped(text: str) -> str:
    for char in "\\*_[]<>":
        text = text.replace(char, "\\" + char)
    return text


def _row(repo: RepositoryReport, finding: Finding, options: RenderOptions) -> str:
    path = shown_path(repo.path, finding.path)
    where = f"{path}:{finding.line}" if finding.line else path
    url = options.help_url.format(code=finding.code, slug="")
    fix = " (fixable)" if finding.fixable else ""
    return (
        f"| {finding.severity.label} | [{finding.code}]({url}){fix} | {cell(where)} "
        f"| {cell(finding.message)} |"
    )


def _repository(repo: RepositoryReport, options: RenderOptions) -> list[str]:
    name = repo.path if repo.path not in (".", "") else os.path.basename(os.path.abspath(repo.path))
    lines = [f"### {cell(name)} ({repo.kind.value})", ""]
    if not repo.findings:
        return [*lines, "No findings.", ""]
    lines += ["| severity | rule | where | message |", "|---|---|---|---|"]
    lines += [_row(repo, f, options) for f in repo.findings[:MAX_ROWS]]
    if len(repo.findings) > MAX_ROWS:
        lines += ["", f"… and {len(repo.findings) - MAX_ROWS} more findings."]
    lines += [f"- error: {cell(message)}" for message in repo.errors]
    return [*lines, ""]


@renderer("markdown", "Markdown tables, for pull-request comments and job summaries")
def render(report: Report, options: RenderOptions) -> str:
    """The summary line as a heading, then each repository's findings."""
    lines = [f"## prodready: {sentence(report.findings, len(report.repositories))}", ""]
    for repo in report.repositories:
        lines += _repository(repo, options)
    return "\n".join(lines).rstrip("\n") + "\n"
