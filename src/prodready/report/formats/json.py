"""The JSON format: stable, versioned, documented in docs/json-format.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prodready.report import RenderOptions, renderer

if TYPE_CHECKING:
    from prodready.results import Report


@renderer("json", "one JSON document, stable and documented (docs/json-format.md)")
def render(report: Report, options: RenderOptions) -> str:
    """The whole report as indented JSON; JSON has no display options."""
    del options
    return report.to_json()
