"""LINT: linting and formatting configuration — one modern linter, configured where it reads."""

from __future__ import annotations

import re
from collections.abc import Iterator

from prodready.findings import Violation, at_key, at_line
from prodready.project import Project
from prodready.project.tomldoc import as_table
from prodready.project.toolconfig import ToolConfig
from prodready.rules import rule
from prodready.rules._releases import known_release

RUFF_LINT_KEYS = frozenset(
    {
        "select",
        "extend-select",
        "ignore",
        "extend-ignore",
        "per-file-ignores",
        "extend-per-file-ignores",
        "fixable",
        "unfixable",
        "extend-fixable",
        "extend-unfixable",
        "dummy-variable-rgx",
        "allowed-confusables",
        "task-tags",
        "typing-modules",
        "explicit-preview-rules",
        "ignore-init-module-imports",
        "logger-objects",
        "external",
        "extend-safe-fixes",
        "extend-unsafe-fixes",
        "flake8-annotations",
        "flake8-bandit",
        "flake8-boolean-trap",
        "flake8-bugbear",
        "flake8-builtins",
        "flake8-comprehensions",
        "flake8-copyright",
        "flake8-errmsg",
        "flake8-gettext",
        "flake8-implicit-str-concat",
        "flake8-import-conventions",
        "flake8-pytest-style",
        "flake8-quotes",
        "flake8-self",
        "flake8-tidy-imports",
        "flake8-type-checking",
        "flake8-unused-arguments",
        "isort",
        "mccabe",
        "pep8-naming",
        "pycodestyle",
        "pydocstyle",
        "pyflakes",
        "pylint",
        "pyupgrade",
    }
)
RUNTIME_TYPED_FRAMEWORKS = (
    "pydantic",
    "pydantic-settings",
    "typer",
    "fastapi",
    "sqlalchemy",
    "sqlmodel",
    "msgspec",
)
LEGACY = ("flake8", "isort", "pyupgrade", "autoflake", "pydocstyle")
FORMATTERS = ("black", "ruff-format", "yapf", "autopep8")


RUFF_OLDEST_TARGET = 7  # ruff's oldest `target-version`, py37


LINTERS = ("ruff", "flake8", "pylint", "pylama", "pyflakes", "pycodestyle")


@rule(
    "LINT001",
    "no-linter",
    source="Lesson: ruff linted a whole codebase in about 0.5 s against about 10 s for flake8, fast enough to run on every commit; https://docs.astral.sh/ruff/",
)
def no_linter(p: Project) -> Iterator[Violation]:
    """No linter is configured.

    ## What it does
    Looks for ruff, flake8, pylint, pylama, or pyflakes or pycodestyle run on their own, in
    configuration files, pre-commit hooks, dependencies and CI.

    ## Why it matters
    Unused imports, undefined names and shadowed builtins reach production; a linter finds them
    in milliseconds.

    ## Example
    ```toml
    [tool.black]
    ```

    ## Use instead
    ```toml
    [tool.ruff.lint]
    select = ["E", "F", "I", "B", "UP"]
    ```

    ## Fix
    Add ruff to the dev dependencies and pre-commit.
    """
    if not any(p.tools.uses(tool) for tool in LINTERS):
        yield Violation("no linter configured: add ruff (or flake8/pylint)")


@rule(
    "LINT002",
    "ruff-top-level-lint-settings",
    fix="safe",
    source="Lesson: after ruff deprecated top-level lint settings, every run warned until they moved to [tool.ruff.lint]; sp-repo-review RF202",
    peers=("sp-repo-review:RF202",),
)
def ruff_top_level(p: Project) -> Iterator[Violation]:
    """ruff lint settings sit at the top level of `[tool.ruff]` instead of `[tool.ruff.lint]`.

    ## What it does
    Reports `select`, `ignore`, `per-file-ignores`, plugin tables (`isort`, `flake8-*`, …) and the
    other lint settings written directly under `[tool.ruff]` or at the top of `ruff.toml`.

    It stays quiet where the project runs a ruff older than 0.2 (its pre-commit hook's `rev`,
    its lock, an `==` pin or an upper bound such as `<=0.0.259`), which reads the top level
    without a warning.

    ## Why it matters
    ruff deprecated the top-level form in 0.2 and prints a warning on every run; a future
    release will reject it. Mixing both forms makes the effective configuration hard to read.

    ## Example
    ```toml
    [tool.ruff]
    select = ["E", "F"]
    ```

    ## Use instead
    ```toml
    [tool.ruff.lint]
    select = ["E", "F"]
    ```

    ## Fix
    Safe: moves each setting (with its comments) under `lint`.
    """
    if p.tools.ruff is None or p.tools.ruff.doc is None:
        return
    pinned = known_release(p, "ruff", "ruff-pre-commit", exact=True)
    if pinned is not None and pinned < LINT_TABLE_DEPRECATES:
        return  # the ruff the project runs reads the top level without a warning
    for key in sorted(RUFF_LINT_KEYS & set(p.tools.ruff.values)):
        yield at_key(
            p.tools.ruff.doc,
            f"`{key}` is a lint setting: move it to [{_lint_table(p.tools.ruff)}]",
            *p.tools.ruff.base,
            key,
        )


def _configures_black(p: Project) -> bool:
    """True when `[tool.black]` holds settings: with black installed, the project formats
    with it (installed alone, it may be there for another tool to call)."""
    return bool(p.repo.pyproject and p.repo.pyproject.get("tool", "black"))


def _configures_isort(p: Project) -> bool:
    """True when isort has settings of its own (`[tool.isort]`, `.isort.cfg`, an `[isort]`
    section): installed alone, it may be a library the project calls (`isort.code(...)`)."""
    if p.repo.pyproject and p.repo.pyproject.get("tool", "isort") is not None:
        return True
    if p.repo.exists(".isort.cfg"):
        return True
    return any(
        f"[{section}]" in (p.repo.read(path) or "")
        for path in ("setup.cfg", "tox.ini", ".editorconfig")
        for section in ("isort", "tool:isort")
        if p.repo.exists(path)
    )


LINT_TABLE_DEPRECATES = (0, 2)  # ruff 0.2.0 deprecated the top-level lint settings


def _lint_table(config: ToolConfig) -> str:
    return ".".join((*config.base, "lint")) if config.base else "lint"


@rule(
    "LINT003",
    "ruff-target-version",
    fix="safe",
    source="Lesson: tool Python-version settings had to change in step when the project's minimum moved from 3.8 to 3.9; https://docs.astral.sh/ruff/settings/#target-version",
)
def ruff_target_version(p: Project) -> Iterator[Violation]:
    """ruff's `target-version` disagrees with `requires-python`.

    ## What it does
    Compares `target-version = "pyXY"` with the oldest Python `requires-python` admits.

    ## Why it matters
    A newer target makes ruff suggest syntax (`X | Y`, `match`) that breaks on the oldest
    supported Python; an older one keeps you from modern idioms. Without `target-version`, ruff
    reads `requires-python` itself, which is usually what you want.

    ## Example
    ```toml
    requires-python = ">=3.10"
    [tool.ruff]
    target-version = "py38"
    ```

    ## Use instead
    ```toml
    requires-python = ">=3.10"
    [tool.ruff]
    target-version = "py310"   # or leave it out
    ```

    ## Fix
    Safe: sets `target-version` to match `requires-python`.
    """
    config = p.tools.ruff
    if config is None or config.doc is None or p.packaging.min_python is None:
        return
    target = config.values.get("target-version")
    # ruff accepts nothing older than py37: that is the right target for an older floor too
    expected = f"py3{max(p.packaging.min_python[1], RUFF_OLDEST_TARGET)}"
    if isinstance(target, str) and target != expected:
        yield at_key(
            config.doc,
            f"target-version {target} but requires-python starts at {p.packaging.min_python[0]}.{p.packaging.min_python[1]} ({expected})",
            *config.base,
            "target-version",
        )


@rule(
    "LINT004",
    "undocumented-ignore",
    severity="I",
    source="Lesson: ruff's TC003 was wrong only for the pydantic and typer modules, so it was ignored per file, each ignore with a comment saying why.",
)
def undocumented_ignore(p: Project) -> Iterator[Violation]:
    """A globally ignored lint rule has no comment saying why.

    ## What it does
    Reports each entry of ruff's global `ignore` / `extend-ignore` list that has no comment on
    its line or on the line above.

    ## Why it matters
    A global ignore switches a check off for every file forever. Without the reason, nobody can
    tell later whether it still applies, and ignores only accumulate.

    ## Example
    ```toml
    ignore = ["E501", "PLR0913"]
    ```

    ## Use instead
    ```toml
    ignore = [
        "E501",     # the formatter wraps lines
        "PLR0913",  # CLI commands take many options
    ]
    ```

    ## Fix
    Add the reason as a comment, or narrow the ignore to `per-file-ignores`.
    """
    config = p.tools.ruff
    if config is None or config.doc is None:
        return
    lines = config.doc.text.splitlines()
    for table in ((), ("lint",)):
        for key in ("ignore", "extend-ignore"):
            codes = config.doc.get(*config.base, *table, key)
            if not isinstance(codes, list):
                continue
            start = config.doc.line_of(*config.base, *table, key) or 1
            for code in (c for c in codes if isinstance(c, str)):
                number = _entry_line(lines, start, code)
                if number and not _has_comment(lines, number, start):
                    yield Violation(
                        f"ruff ignores {code} everywhere with no comment saying why",
                        config.path,
                        number,
                        1,
                    )


def _entry_line(lines: list[str], start: int, code: str) -> int | None:
    quoted = (f'"{code}"', f"'{code}'")
    for number in range(start, min(len(lines), start + 500) + 1):
        if any(q in lines[number - 1] for q in quoted):
            return number
    return None


def _has_comment(lines: list[str], number: int, start: int) -> bool:
    """True when the entry's line, or a comment line just above it, says something."""
    if re.search(r"#\s*\S", lines[number - 1]):
        return True
    return number > start and lines[number - 2].strip().startswith("#")


@rule(
    "LINT005",
    "two-formatters",
    source="ruff formatter docs: https://docs.astral.sh/ruff/formatter/",
)
def two_formatters(p: Project) -> Iterator[Violation]:
    """Two formatters are configured for the same files.

    ## What it does
    Reports black (run by a hook, a command or a DeepSource transformer, or installed and
    configured in `[tool.black]`) together with `ruff format`, and isort (run, or installed and
    configured) together with ruff's `I` rules where ruff's linter runs (a hook, `ruff check`,
    CI's ruff action, or ruff installed as a dependency; `I001` is in ruff's default selection
    since 0.16). A configuration alone (a `.isort.cfg` or
    `[tool.isort]` left behind when ruff took over) runs nothing; black installed only for
    another tool to call (pytest-examples, mkdocstrings), or isort installed as a library the
    project calls, formats nothing. A tool's name as another tool's option (isort's
    `--profile black`) or in a task's name (a poe task `format-ruff` that runs
    `ruff check --fix-only`) runs nothing either. When both run as pre-commit hooks, PC007
    reports the pair at the hook instead, and this rule stays quiet.

    ## Why it matters
    The two tools disagree on a handful of cases and rewrite each other's output, so commits
    flip-flop and pre-commit never settles.

    ## Example
    ```yaml
    - id: black
    - id: ruff-format
    ```

    ## Use instead
    ```yaml
    - id: ruff-format
    ```

    ## Fix
    Keep one: remove black and isort when ruff formats and sorts imports.
    """
    hooks = set(p.precommit.hook_ids)
    ruff_hook = bool(hooks & {"ruff", "ruff-check"})
    black_hooks = bool(hooks & {"black", "black-jupyter"}) and "ruff-format" in hooks
    black = p.tools.invoked("black") or (p.tools.runs("black") and _configures_black(p))
    if black and p.tools.uses("ruff-format") and not black_hooks:
        yield Violation("black and `ruff format` both format the code: keep one")
    isort_hooks = "isort" in hooks and ruff_hook
    isort = p.tools.invoked("isort") or (p.tools.runs("isort") and _configures_isort(p))
    lints = (
        ruff_hook
        or RUFF_CHECK.search(p.automation.text) is not None
        or "ruff" in p.packaging.tooling_names  # installed to be run by hand
    )
    if isort and lints and p.tools.ruff_enables("I001") and not isort_hooks:
        yield Violation("isort and ruff's `I` rules both sort imports: keep one")


# ruff's linter run by a command or CI's ruff action (whose default command is `check`); a
# `[tool.ruff]` table alone, or `ruff format`, sorts no import
RUFF_CHECK = re.compile(r"\bruff\s+check\b|ruff-action@|\bruff\s+(?:--fix\s+)?\.(?:\s|$)")


@rule(
    "LINT006",
    "legacy-linters",
    severity="I",
    source="Lesson: flake8 took about 10 s where ruff took 0.5 s, and ruff replaced flake8, isort and pyupgrade; ruff FAQ: https://docs.astral.sh/ruff/faq/",
)
def legacy_linters(p: Project) -> Iterator[Violation]:
    """Tools that ruff replaces are configured beside ruff.

    ## What it does
    Reports flake8, isort, pyupgrade, autoflake and pydocstyle in a project that already uses
    ruff.

    ## Why it matters
    Each extra tool is another configuration, another pre-commit environment and slower commits
    for checks ruff already implements.

    ## Example
    ```yaml
    - id: ruff
    - id: flake8
    - id: pyupgrade
    ```

    ## Use instead
    ```toml
    [tool.ruff.lint]
    select = ["E", "F", "UP", "I", "D"]
    ```

    ## Fix
    Enable the equivalent ruff rules, then remove the tools.
    """
    if not p.tools.uses("ruff"):
        return
    legacy = [tool for tool in LEGACY if p.tools.uses(tool)]
    if legacy:
        yield Violation(f"ruff replaces {', '.join(legacy)}: enable its rules and drop the tools")


@rule(
    "LINT007",
    "type-checking-runtime-frameworks",
    fix="safe",
    source="Lesson: ruff's TC003 advice to move Path under TYPE_CHECKING broke the pydantic model and the typer CLI at run time; ruff TC003",
)
def type_checking_frameworks(p: Project) -> Iterator[Violation]:
    """ruff's TC rules run in a project whose frameworks need imports at run time.

    ## What it does
    Reports ruff's flake8-type-checking (`TC`/`TCH`) rules enabled in a project that depends on
    pydantic, typer, FastAPI, SQLAlchemy or msgspec, without `runtime-evaluated-base-classes` or
    `runtime-evaluated-decorators` telling ruff which classes need their annotations at run time.

    ## Why it matters
    ruff then asks you to move `Path` and friends under `if TYPE_CHECKING:`, which makes the
    pydantic model or typer command fail at run time (the two most costly failures in the lessons behind this rule).

    ## Example
    ```toml
    [tool.ruff.lint]
    select = ["TC"]
    ```

    ## Use instead
    ```toml
    [tool.ruff.lint.flake8-type-checking]
    runtime-evaluated-base-classes = ["pydantic.BaseModel", "pydantic_settings.BaseSettings"]
    runtime-evaluated-decorators = ["pydantic.validate_call"]
    ```

    ## Fix
    Safe: adds the settings for the frameworks the project depends on (pydantic,
    pydantic-settings, SQLAlchemy, SQLModel, msgspec; typer and FastAPI register functions on
    instances, which ruff's settings cannot name, so those need the change by hand).
    """
    config = p.tools.ruff
    if config is None or not p.tools.ruff_enables("TC001"):
        return
    frameworks = sorted({d.name for d in p.packaging.runtime_deps} & set(RUNTIME_TYPED_FRAMEWORKS))
    if not frameworks:
        return
    lint = as_table(config.values.get("lint"))
    settings = {
        **as_table(config.values.get("flake8-type-checking")),
        **as_table(lint.get("flake8-type-checking")),
    }
    if not (
        settings.get("runtime-evaluated-base-classes")
        or settings.get("runtime-evaluated-decorators")
    ):
        message = f"ruff TC rules with {', '.join(frameworks)} but no runtime-evaluated-base-classes/decorators"
        if config.doc is not None:
            yield at_key(config.doc, message, *config.base, "lint", "select")
        else:
            yield at_line(config.path, message)


@rule(
    "LINT008",
    "no-formatter",
    severity="I",
    source="sp-repo-review PC110; ruff formatter docs: https://docs.astral.sh/ruff/formatter/",
    peers=("sp-repo-review:PC110",),
)
def no_formatter(p: Project) -> Iterator[Violation]:
    """No code formatter is configured.

    ## What it does
    Looks for `ruff format`, black, yapf or autopep8 in configuration, hooks and CI.

    ## Why it matters
    Without a formatter, reviews spend time on layout and diffs mix style with substance.

    ## Example
    ```yaml
    - id: ruff   # lint only
    ```

    ## Use instead
    ```yaml
    - id: ruff-check
    - id: ruff-format
    ```

    ## Fix
    Add `ruff format` (or black) to pre-commit and CI.
    """
    if not any(p.tools.uses(tool) for tool in FORMATTERS):
        yield Violation("no formatter configured: add `ruff format` (or black)")


INI_FILES = (
    "setup.cfg",
    "tox.ini",
    ".flake8",
    "mypy.ini",
    ".mypy.ini",
    "pytest.ini",
    ".coveragerc",
    ".pylintrc",
    "pylintrc",
    ".isort.cfg",
    ".bandit",
    ".bumpversion.cfg",
)


@rule(
    "LINT009",
    "ini-config-does-not-parse",
    severity="E",
    source="Lesson: a configuration file that does not parse is reported, not silently ignored; Python configparser: https://docs.python.org/3/library/configparser.html",
)
def ini_config_does_not_parse(p: Project) -> Iterator[Violation]:
    """An INI configuration file a tool reads does not parse.

    ## What it does
    Reads `setup.cfg`, `tox.ini`, `.flake8`, `mypy.ini`, `pytest.ini`, `.coveragerc`,
    `.pylintrc`, `.isort.cfg`, `.bandit` and `.bumpversion.cfg` at the root as the tools read
    them (Python's configparser, strict) and reports the first error with its line: text before
    the first section header, a line that is neither a key nor a continuation, a section or
    option written twice. A file that is absent stays quiet.

    ## Why it matters
    setuptools, tox, flake8, mypy, coverage and pytest stop at such a file, or (some of them)
    ignore it and run with their defaults, so the settings the project thinks it has are not
    in force. prodready itself could only guess at what the file means.

    ## Example
    ```ini
    max-line-length = 100
    [flake8]
    ```

    ## Use instead
    ```ini
    [flake8]
    max-line-length = 100
    ```

    ## Fix
    Correct the line reported; `python -c "import configparser; configparser.RawConfigParser().read('setup.cfg')"` shows the same error.
    """
    for path in INI_FILES:
        problem = p.repo.ini_problem(path)
        if problem is not None:
            message, line = problem
            yield Violation(f"{path} does not parse: {message}", path, line or 1, 1)
