"""The HTML format: one self-contained page of the findings, to share (no script, no network)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prodready.report import RenderOptions, renderer
from prodready.report.html import escape, findings_table, page

if TYPE_CHECKING:
    from prodready.results import Report


@renderer("html", "one self-contained HTML page of the findings, to share")
def render(report: Report, options: RenderOptions) -> str:
    """A page with each repository's findings."""
    del options
    body = [f"<h1>prodready check: {len(report.findings)} findings</h1>"]
    for repository in report.repositories:
        body.append(
            f"<h2>{escape(repository.path)}</h2><p class='muted'>"
            f"{escape(repository.kind.value)}: {escape(repository.kind_reason)}</p>"
        )
        body.append(findings_table(repository, level=3))
    return page("prodready check", body)
