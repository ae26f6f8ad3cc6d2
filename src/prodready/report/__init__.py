"""Output formats of `check` and `fix`: one module per format in `formats/` (`formats/json.py` is `--format json`).

A format module registers one renderer with `@renderer(name, description)`: a function from a
finished report and the display options to the whole output text. `--format`'s choices are the
module names, so adding a format is adding its module (and its test).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple, Protocol

from prodready.registry import Registry

if TYPE_CHECKING:
    from prodready.results import Report


class RenderOptions(NamedTuple):
    """How the user asked for the report to look."""

    color: bool = False
    statistics: bool = False


class Render(Protocol):
    """Turns a report into the text of one format."""

    def __call__(self, report: Report, options: RenderOptions) -> str:
        """The whole output, ending with a newline."""


class Format(NamedTuple):
    """One output format: its name, what it is for, its renderer, and whether its output ends
    with the summary line (else the summary goes to stderr)."""

    name: str
    description: str
    render: Render
    summarised: bool = False


FORMATS: Registry[Format] = Registry(
    "prodready.report.formats", "output format", one_per_module=True
)


def renderer(
    name: str, description: str, *, summarised: bool = False
) -> Callable[[Render], Render]:
    """Register the decorated function as the renderer of the format `name`."""

    def register(render: Render) -> Render:
        FORMATS.add(name, Format(name, description, render, summarised))
        return render

    return register
