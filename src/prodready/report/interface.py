"""What every output format provides: a function from a finished report to text."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from prodready.auditor import Report


class RenderOptions(NamedTuple):
    """How the user asked for the report to look."""

    color: bool = False
    statistics: bool = False
    base: str = ""


class Renderer(Protocol):
    """Turns a report into the text of one format."""

    def __call__(self, report: Report, options: RenderOptions) -> str:
        """The whole output, ending with a newline."""
