"""Rendering a template version into file contents: package data, so any version that
prodready ships can be rendered again for `prodready update`.

Templates use jinja2 with `<< name >>` and `<% if … %>` delimiters: the files are Python, TOML,
YAML and Markdown, where `{{ }}` (GitHub expressions, f-strings) and `[[ ]]` (TOML arrays of
tables, nested subscripts) already mean something."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from prodready.errors import UsageError
from prodready.scaffold.kinds import KINDS, context

TEMPLATE_VERSION = 1
# Template folders named so on every file system; the package's import name replaces it.
PACKAGE_FOLDER = "__package__"
# Every template file ends so, which keeps linters, type checkers and audits off it.
SUFFIX = ".jinja"
REQUIRED = frozenset(
    {"name", "package", "description", "author", "email", "license", "year", "url"}
)
SKIP = ("__pycache__", ".pyc")


def newest_version(base: Traversable) -> int:
    """The highest numbered template version in a folder of versions."""
    numbers = [int(entry.name) for entry in base.iterdir() if entry.name.isdigit()]
    if not numbers:
        raise UsageError(f"{base}: holds no numbered template version")
    return max(numbers)


def _walk(folder: Traversable, prefix: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(SKIP) or entry.name in SKIP:
            continue
        path = f"{prefix}{entry.name}"
        if entry.is_dir():
            found.update(_walk(entry, path + "/"))
        else:
            found[path] = entry.read_text(encoding="utf-8")
    return found


def render(
    version: int, kind: str, answers: dict[str, Any], base: Traversable | None = None
) -> dict[str, str]:
    """path -> text of a project of `kind` rendered from template `version` (from prodready's
    own templates, or from `base`, a folder laid out the same way)."""
    import jinja2

    base = base or resources.files("prodready") / "templates"
    root = base / str(version)
    if not root.is_dir():
        raise UsageError(f"this prodready has no template version {version}")
    licence = base / "licenses" / str(answers.get("license"))
    if kind not in KINDS.names() or not (root / kind).is_dir():
        raise UsageError(f"template version {version} has no kind {kind!r}")
    if not licence.is_file():
        raise UsageError(f"no licence text for {answers.get('license')!r}")
    missing = sorted(REQUIRED - set(answers))
    if missing:
        raise UsageError(f"the answers lack {', '.join(missing)}")
    sources = {**_walk(root / "common"), **_walk(root / kind)}
    sources["LICENSE"] = licence.read_text(encoding="utf-8")
    env = jinja2.Environment(
        variable_start_string="<<",
        variable_end_string=">>",
        block_start_string="<%",
        block_end_string="%>",
        comment_start_string="<#",
        comment_end_string="#>",
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701  # nosec B701 - the output is source and configuration, not HTML
    )
    values = context(kind, answers)
    try:
        return {
            path.replace(PACKAGE_FOLDER, str(answers["package"])).removesuffix(SUFFIX): (
                env.from_string(text).render(values)
            )
            for path, text in sorted(sources.items())
        }
    except jinja2.TemplateError as exc:
        raise UsageError(f"template version {version} does not render: {exc}") from None
