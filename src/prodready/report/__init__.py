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


RULES_URL = "https://github.com/prodready/prodready/blob/main/docs/rules/{code}.md"


class RenderOptions(NamedTuple):
    """How the user asked for the report to look, and what the machine formats record of the
    run: the exit status it ends with, where each rule's page is (`{code}` and `{slug}` filled
    in), and the category code scanning files its results under."""

    color: bool = False
    statistics: bool = False
    quiet: bool = False
    exit_code: int = 0
    help_url: str = RULES_URL
    category: str = "prodready"


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


def base_folder() -> str:
    """The folder machine formats write paths from: the CI checkout (`GITHUB_WORKSPACE`,
    GitLab's `CI_PROJECT_DIR`) when set, else the working directory, where CI runs."""
    import os

    for variable in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
        folder = os.environ.get(variable)
        if folder and os.path.isdir(folder):
            return os.path.abspath(folder)
    return os.path.abspath(os.curdir)


def path_prefix(repository: str) -> str | None:
    """A repository's path relative to `base_folder()` (links on the way kept as written, then
    resolved if that fails), where code scanning, GitLab and JUnit viewers resolve paths from;
    None when it lies outside."""
    import os

    base = base_folder()
    for here, root in (
        (base, os.path.abspath(repository)),
        (os.path.realpath(base), os.path.realpath(repository)),
    ):
        if root == here or root.startswith(here.rstrip(os.sep) + os.sep):
            return os.path.relpath(root, here).replace(os.sep, "/")
    return None


def shown_path(repository: str, path: str | None) -> str:
    """A finding's file as a path from the working directory (absolute when the repository
    lies outside it); the repository's `pyproject.toml` for a finding with no file."""
    import posixpath

    prefix = path_prefix(repository)
    base = prefix if prefix is not None else repository
    return posixpath.normpath(posixpath.join(base, path or "pyproject.toml"))


def renderer(
    name: str, description: str, *, summarised: bool = False
) -> Callable[[Render], Render]:
    """Register the decorated function as the renderer of the format `name`."""

    def register(render: Render) -> Render:
        FORMATS.add(name, Format(name, description, render, summarised))
        return render

    return register
