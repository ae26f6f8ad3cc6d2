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

TEMPLATE_VERSION = 2
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
    own templates, or from `base`, a folder laid out the same way).

    Answers are hostile input (a record may come with the repository): they are validated, the
    licence is one prodready ships, the environment is Jinja's sandbox, every answer is escaped
    for the file it lands in, and every output path stays inside the project."""
    from prodready.scaffold.answers import licences, validate

    base = base or resources.files("prodready") / "templates"
    root = base / str(version)
    if not root.is_dir():
        raise UsageError(f"this prodready has no template version {version}")
    if kind not in KINDS.names() or not (root / kind).is_dir():
        raise UsageError(f"template version {version} has no kind {kind!r}")
    missing = sorted(REQUIRED - set(answers))
    if missing:
        raise UsageError(f"the answers lack {', '.join(missing)}")
    answers = validate(answers)
    own = resources.files("prodready") / "templates" / "licenses"
    sources = {**_walk(root / "common"), **_walk(root / kind)}
    if answers["license"] not in licences():  # validated above; never a path of the record's
        raise UsageError(f"no licence text for {answers['license']!r}")
    sources["LICENSE"] = (own / answers["license"]).read_text(encoding="utf-8")
    values = context(kind, answers)
    rendered: dict[str, str] = {}
    try:
        for path, source in sorted(sources.items()):
            out = path.replace(PACKAGE_FOLDER, str(answers["package"])).removesuffix(SUFFIX)
            if out.startswith("/") or ".." in out.split("/"):
                raise UsageError(f"template file {path} would be written outside the project")
            text = _environment(out).from_string(source).render(values)
            # A template that renders to nothing is a file this kind does not get; an empty
            # template is an empty file (py.typed).
            if text.strip() or not source.strip():
                rendered[out] = text
    except jinja2_errors() as exc:
        raise UsageError(f"template version {version} does not render: {exc}") from None
    return rendered


def jinja2_errors() -> tuple[type[Exception], ...]:
    """What a template that cannot render raises (the sandbox's refusals included)."""
    import jinja2
    from jinja2.exceptions import SecurityError

    return (jinja2.TemplateError, SecurityError)


def _toml_string(value: str) -> str:
    """Escaped for a TOML basic string: backslashes and quotes (control characters are refused
    before rendering)."""
    return value.replace("\\", "\\\\").replace('"', '\\"')


# The escape each kind of file gets for every `<< value >>`: in TOML and Python every answer
# lands inside a double-quoted string (or is an identifier, which escaping leaves alone).
ESCAPES = {".toml": _toml_string, ".py": _toml_string}


_ENVIRONMENTS: dict[str, Any] = {}


def _environment(path: str) -> Any:
    """Jinja's sandbox with prodready's delimiters and the escape of `path`'s file type."""
    suffix = "." + path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    escape = ESCAPES.get(suffix)
    key = suffix if escape else ""
    if key not in _ENVIRONMENTS:
        import jinja2
        from jinja2.sandbox import ImmutableSandboxedEnvironment
        from markupsafe import Markup

        def finalize(value: Any) -> Any:
            # `tojson` already writes valid TOML (a Markup); plain strings are answers
            plain = isinstance(value, str) and not isinstance(value, Markup)
            return escape(value) if escape is not None and plain else value

        _ENVIRONMENTS[key] = ImmutableSandboxedEnvironment(
            variable_start_string="<<",
            variable_end_string=">>",
            block_start_string="<%",
            block_end_string="%>",
            comment_start_string="<#",
            comment_end_string="#>",
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
            finalize=finalize,
            autoescape=False,  # nosec B701 - source and configuration, not HTML; answers are escaped by `finalize`
        )
    return _ENVIRONMENTS[key]
