"""CODE: the Python source, read as text and, where a pattern asks for it, as syntax trees; never
imported or run."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from prodready.digits import number
from prodready.findings import Severity, Violation, at_line
from prodready.project import Project
from prodready.project.paths import in_template, is_test_data, is_vendored
from prodready.rules import rule
from prodready.rules._graph import (
    dotted_name,
    imported_modules,
    imported_package_files,
    loaded_at_import,
    package_inits,
    parents,
)
from prodready.rules._tests import imported_test_files, test_data_reader
from prodready.source.records import FileFacts, Newer, Problem
from prodready.source.syntax import construct

HEAVY_MODULES = frozenset(
    {
        "torch",
        "tensorflow",
        "jax",
        "pandas",
        "numpy",
        "scipy",
        "sklearn",
        "cv2",
        "transformers",
        "matplotlib",
        "keras",
        "onnxruntime",
        "polars",
        "pyarrow",
        "sympy",
        "spacy",
        "nltk",
        "xgboost",
        "lightgbm",
        "torchvision",
        "dask",
        "ray",
        "tensorrt",
        "numba",
        "boto3",
    }
)


def _release(version: str) -> tuple[int, ...]:
    parts = [number(p) for p in version.lstrip("v").split(".")[:3] if p.isdigit()]
    return tuple(parts + [0] * (3 - len(parts)))


def _major(version: str) -> int:
    digits = version.lstrip("v").split(".")[0]
    return number(digits) if digits.isdigit() else 0


def pydantic_v2(p: Project) -> bool:
    """True when the project can run on pydantic 2: it declares pydantic-settings or SQLModel, or
    a pydantic requirement that admits a 2.x release (an unconstrained one installs 2.x)."""
    for dep in p.packaging.runtime_deps:
        if dep.name in ("pydantic-settings", "sqlmodel"):
            return True
        if dep.name == "pydantic":
            excluded = any(
                (op == "<" and _release(v) <= (2, 0, 0))
                or (op == "<=" and _major(v) < 2)
                or (op in ("==", "~=") and _major(v) != 2)
                for op, v in dep.specs
            )
            return not excluded
    return False


@rule(
    "CODE001",
    "type-checking-import-used-at-runtime",
    severity="W",
    fix="unsafe",
    source="Lesson: Path imported only under TYPE_CHECKING made pydantic raise PydanticUserError and typer raise NameError at run time.",
)
def type_checking_runtime(p: Project) -> Iterator[Violation]:
    """A name imported only under `if TYPE_CHECKING:` is needed at run time by a framework.

    ## What it does
    Finds names bound only under `if TYPE_CHECKING:` and used in annotations that a framework
    evaluates: fields of pydantic models and settings, SQLAlchemy `Mapped` columns and msgspec
    structs, parameters of typer commands (decorated, or registered with `app.command()(f)` and
    `typer.run(f)`), FastAPI routes and `Depends` dependencies, and functions decorated with
    `validate_call`, `beartype` or `typechecked`. String annotations count too. Plain functions
    and the methods of a model are not evaluated and are left alone. Only the package's modules
    are read (without a package, the application's files outside documentation and example
    folders): snippets in `docs/` or `examples/` run only when someone runs them by hand.

    ## Why it matters
    The module imports fine and fails at first use: `PydanticUserError: Config is not fully
    defined; you should define Path` or `NameError: name 'Path' is not defined` (the two most costly
    failures behind this rule). ruff's TC rules suggest exactly this move when they are not told about the framework.

    ## Example
    ```python
    from typing import TYPE_CHECKING
    from pydantic import BaseModel
    if TYPE_CHECKING:
        from pathlib import Path

    class Config(BaseModel):
        model_path: Path
    ```

    ## Use instead
    ```python
    from pathlib import Path
    from pydantic import BaseModel

    class Config(BaseModel):
        model_path: Path
    ```

    ## Fix
    Unsafe: moves the import out of the `TYPE_CHECKING` block. Configure ruff's
    `runtime-evaluated-base-classes` / `-decorators` so it stops asking for the move (LINT007).
    """
    for path, facts in p.sources.facts_for(p.sources.product_files):
        for line, name, consumer in facts.type_checking_runtime:
            message = (
                f"`{name}` is imported only under TYPE_CHECKING but {consumer} evaluates it at "
                "run time"
            )
            yield Violation(message, path, line, 1, data=(name,))


@rule(
    "CODE002",
    "pydantic-v1-settings-import",
    severity="E",
    fix="unsafe",
    source="pydantic-settings docs: https://docs.pydantic.dev/latest/concepts/pydantic_settings/; pydantic migration guide: https://docs.pydantic.dev/latest/migration/",
)
def pydantic_v1_settings(p: Project) -> Iterator[Violation]:
    """`from pydantic import BaseSettings` in a project on pydantic 2.

    ## What it does
    Reports the pydantic 1 import of `BaseSettings` when the project depends on pydantic 2 (or on
    pydantic-settings).

    ## Why it matters
    pydantic 2 moved settings to the separate pydantic-settings package: the import raises
    `PydanticImportError: BaseSettings has been moved to the pydantic-settings package` and the
    application does not start.

    ## Example
    ```python
    from pydantic import BaseSettings
    ```

    ## Use instead
    ```python
    from pydantic_settings import BaseSettings
    ```

    ## Fix
    Unsafe: rewrites the import and adds pydantic-settings to the dependencies if missing.
    """
    if not pydantic_v2(p):
        return
    for path, facts in p.sources.facts_for(p.sources.runtime_files):
        for line in facts.pydantic_settings_v1:
            yield at_line(
                path,
                "`BaseSettings` moved to pydantic-settings in pydantic 2: this import fails",
                line,
            )


@rule(
    "CODE011",
    "pydantic-v1-api",
    source="pydantic migration guide: https://docs.pydantic.dev/latest/migration/",
)
def pydantic_v1_api(p: Project) -> Iterator[Violation]:
    """pydantic 1 API in a project on pydantic 2.

    ## What it does
    Reports `class Config:` in models, `@validator`, `@root_validator`, `Field(env=...)`,
    `.parse_obj()`, `.parse_raw()`, `.from_orm()`, `.update_forward_refs()` and `.schema_json()` in
    modules that import pydantic (not `pydantic.v1`), when the project depends on pydantic 2.
    RULES.md lists these as the warning part of CODE002; a rule has one severity, so they have
    their own code.

    ## Why it matters
    They are deprecated in pydantic 2, warn on every use, behave differently in corner cases
    (`Field(env=...)` is silently ignored) and disappear in pydantic 3.

    ## Example
    ```python
    class User(BaseModel):
        class Config:
            frozen = True

        @validator("name")
        def strip(cls, v): ...
    ```

    ## Use instead
    ```python
    class User(BaseModel):
        model_config = ConfigDict(frozen=True)

        @field_validator("name")
        @classmethod
        def strip(cls, v): ...
    ```

    ## Fix
    Follow pydantic's migration guide (`bump-pydantic` automates most of it).
    """
    if not pydantic_v2(p):
        return
    for path, facts in p.sources.facts_for(p.sources.runtime_files):
        for line, what in facts.pydantic_v1:
            yield at_line(path, f"pydantic 1 API under pydantic 2: {what}", line)


@rule(
    "CODE003",
    "newer-than-requires-python",
    severity="E",
    source="vermin: https://github.com/netromdk/vermin; https://packaging.python.org/en/latest/guides/dropping-older-python-versions/",
)
def newer_than_requires_python(p: Project) -> Iterator[Violation]:
    """Syntax or standard-library modules and names newer than `requires-python` allows.

    ## What it does
    Reports, in the package, syntax (`match` 3.10, `except*` 3.11, PEP 695 type parameters and
    `type` statements 3.12, PEP 701 f-strings 3.12) and standard-library modules and names
    (`tomllib`, `zoneinfo`, `typing.Self`, `functools.cache`, `itertools.batched`, `datetime.UTC`,
    …) added after the oldest Python `requires-python` admits, where they run at import.
    Imports under `if sys.version_info >= (3, N):`, in a `try` that catches `ImportError`, or
    under `TYPE_CHECKING` are respected, and so are names in annotations of a module with
    `from __future__ import annotations` (never evaluated); uses inside a function are
    CODE012's.

    ## Why it matters
    Installers give the package to users of the oldest admitted Python, where it fails with a
    `SyntaxError` or `ImportError` at import.

    ## Example
    ```python
    # requires-python = ">=3.9"
    import tomllib
    ```

    ## Use instead
    ```python
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    ```

    ## Fix
    Guard the import, use a backport, or raise `requires-python`.
    """
    oldest = p.packaging.min_python
    if oldest is None:
        return
    for path, facts in p.sources.facts_for(p.packaging.package_files):
        named = construct(facts.too_new) if facts.too_new else None
        syntax = [Newer(facts.too_new.line, *named)] if facts.too_new and named else []
        for line, what, minor, in_function in sorted({*syntax, *facts.stdlib}):
            if minor > oldest[1] and not in_function:
                yield at_line(
                    path,
                    f"{what} needs Python 3.{minor}, but requires-python admits 3.{oldest[1]}",
                    line,
                )


@rule(
    "CODE012",
    "newer-stdlib-in-function",
    source="vermin: https://github.com/netromdk/vermin; https://packaging.python.org/en/latest/guides/dropping-older-python-versions/",
)
def newer_stdlib_in_function(p: Project) -> Iterator[Violation]:
    """A function uses a standard-library module or name newer than `requires-python` allows.

    ## What it does
    Reports, in the package, imports and uses of standard-library modules and names (`tomllib`,
    `itertools.batched`, `datetime.UTC`, …) added after the oldest Python `requires-python`
    admits, where they sit inside a function: the module imports, and the function fails when it
    is called. Guards are respected as in CODE003 (`if sys.version_info >= (3, N):`, a `try`
    that catches `ImportError`, an early `return` when the module is missing), and names in
    the annotations of a module with `from __future__ import annotations` (never evaluated)
    are left alone. Uses at import time are CODE003's.

    ## Why it matters
    Users of the oldest admitted Python get an `ImportError` or `AttributeError` from that
    function, which CI on the newest Python never shows.

    ## Example
    ```python
    # requires-python = ">=3.8"
    def chunks(items, n):
        return itertools.batched(items, n)
    ```

    ## Use instead
    ```python
    def chunks(items, n):
        if sys.version_info >= (3, 12):
            return itertools.batched(items, n)
        return (tuple(items[i : i + n]) for i in range(0, len(items), n))
    ```

    ## Fix
    Guard the use, use a backport, or raise `requires-python`.
    """
    oldest = p.packaging.min_python
    if oldest is None:
        return
    for path, facts in p.sources.facts_for(p.packaging.package_files):
        for line, what, minor, in_function in sorted(set(facts.stdlib)):
            if minor > oldest[1] and in_function:
                yield at_line(
                    path,
                    f"{what} needs Python 3.{minor} when this function runs, but "
                    f"requires-python admits 3.{oldest[1]}",
                    line,
                )


# Snippets of the documentation: their paths illustrate (`file:///home/ada/notebooks`).
DOCUMENTATION = re.compile(r"(?:^|/)(?:docs?|docs_src|doc_src)/")


@rule(
    "CODE004",
    "user-path",
    source="Lesson: a model path hard-coded as /home/user/model.onnx broke the code on every other system.",
)
def user_path(p: Project) -> Iterator[Violation]:
    """A hard-coded absolute path into somebody's home folder.

    ## What it does
    Reports string literals holding `/home/<user>/…`, `/Users/<user>/…` or `C:\\Users\\<user>\\…`
    in the package, scripts and examples (not in comments or docstrings, nor in the snippets of
    the documentation, `docs/` and `docs_src/`; obvious placeholders such as `/home/user/` and
    the homes of platform accounts, the same on every such machine, such as `/home/runner/` of
    CI runners, `/home/jovyan/` of notebook images or `/home/ubuntu/` of cloud machines, are
    left alone, as are the default of a setting read by name, `env.str("MEDIA_ROOT",
    "/home/app/media")`, which is already configuration, the shared folders `/Users/Public` and
    `/Users/Shared`, and a web API's path such as `/Users/AuthenticateByName`).

    ## Why it matters
    The code works on one machine only: everywhere else it fails with `FileNotFoundError`, and
    the path leaks a user name.

    ## Example
    ```python
    MODEL = "/home/kevin/models/detector.onnx"
    ```

    ## Use instead
    ```python
    MODEL = Path(os.environ.get("MODEL_PATH", Path.home() / "models" / "detector.onnx"))
    ```

    ## Fix
    Take the path from configuration, an argument, or `Path.home()`.
    """
    files = [f for f in p.sources.runtime_files if not DOCUMENTATION.search(f)]
    for path, facts in p.sources.facts_for(files):
        for line, found in facts.user_paths:
            yield at_line(
                path, f"hard-coded user path `{found}…`: take it from configuration", line
            )


@rule(
    "CODE005",
    "uninformative-error",
    source="Lesson: raise Exception('Failed') told users nothing, so the fix named the model, the CUDA version and the log path; ruff TRY002",
)
def uninformative_error(p: Project) -> Iterator[Violation]:
    """An error is raised with no detail: a bare `Exception`, or a vague or missing message.

    ## What it does
    Reports, in the package, `raise Exception(...)` / `raise BaseException(...)`, and
    `RuntimeError`, `ValueError`, `TypeError` or `OSError` raised with no
    message or with a message such as "Failed", "Error", "Invalid" or "Something went wrong".
    It stays quiet on a plain `Exception` with a message where the project's ruff ignores
    TRY002 on purpose (everywhere, or for that file in `per-file-ignores`), on a bare `OSError` in a method of the io protocol (`fileno()` of a
    stream that has none), on errors raised to a handler of the same function or to a caller
    that catches them by name (a `try` or `with suppress(...)` around a call of the function,
    or of the function handed on, or of a function of its module that calls it, up to two calls
    away; in another module of the package, around a call of a private function it leaves
    through; for a plain `Exception`, only a direct caller in its module), on a plain
    `Exception` with a message raised by a script's `if __name__ == "__main__":` block, and in
    generated files.

    ## Why it matters
    Callers cannot catch a generic `Exception` selectively, and a message without the value,
    the path or the step that failed sends the user to a debugger.

    ## Example
    ```python
    raise RuntimeError("Failed")
    ```

    ## Use instead
    ```python
    raise ModelLoadError(f"cannot load {path}: {reason}; check MODEL_PATH")
    ```

    ## Fix
    Raise a domain exception with the context the user needs to act.
    """
    _, ignored = p.tools.ruff_rules
    plain_allowed = any(i in PLAIN_EXCEPTION_SELECTORS for i in ignored)
    files = p.sources.facts_for(p.packaging.package_files)
    caught: dict[str, set[str]] = {}  # a private function -> what callers catch around it
    for _, facts in files:
        for name, kinds in facts.catches:
            caught.setdefault(name, set()).update(kinds)
    for path, facts in files:
        for line, what, kind, through in facts.generic_raises:
            if any(kind in caught.get(name, ()) for name in through):
                continue  # a caller in another module catches it: a signal, not a report
            if what.endswith("Exception(...)"):
                if plain_allowed or _plain_allowed_in(p, path):
                    continue  # the project's ruff allows plain exceptions (TRY002)
                message = (
                    f"`{what}`: no caller can catch it apart from every other error; "
                    "raise a specific exception class"
                )
            else:
                message = f"`{what}` tells the user nothing: raise a specific error with context"
            yield at_line(path, message, line)


PLAIN_EXCEPTION_SELECTORS = ("TRY", "TRY0", "TRY00", "TRY002")


def _plain_allowed_in(p: Project, path: str) -> bool:
    """True when ruff's per-file-ignores allow plain exceptions (TRY002) in this file."""
    return any(i in PLAIN_EXCEPTION_SELECTORS for i in p.tools.ruff_ignored_in(path))


@rule(
    "CODE006",
    "library-configures-logging",
    kinds="L",
    source="Python logging HOWTO: https://docs.python.org/3/howto/logging.html#configuring-logging-for-a-library; The Twelve-Factor App, XI. Logs: https://12factor.net/logs",
)
def library_configures_logging(p: Project) -> Iterator[Violation]:
    """A library configures logging when it is imported.

    ## What it does
    Reports module-level `logging.basicConfig()`, handlers or levels set on the root logger, and
    `logging.config` calls in a library's package, outside the command layer (`__main__.py`,
    `cli.py`, the modules console scripts run, and scripts of the package: modules with an
    `if __name__ == "__main__":` block that no module, test or example imports, when pytest
    does not import every module for its doctests), which is the application of a CLI library.

    ## Why it matters
    Logging belongs to the application: a library that configures it on import changes every
    user's log format, level and destinations, and may print duplicate lines.

    ## Example
    ```python
    import logging
    logging.basicConfig(level=logging.DEBUG)
    ```

    ## Use instead
    ```python
    import logging
    logger = logging.getLogger(__name__)
    logger.addHandler(logging.NullHandler())
    ```

    ## Fix
    Log through `logging.getLogger(__name__)` and leave configuration to the application.
    """
    # pytest's doctests import every module: none is only a script then
    doctests = any(o.startswith("--doctest-modules") for o in p.tools.pytest_addopts)
    imported: set[str] | None = None
    for path, facts in p.sources.facts_for(
        [f for f in p.packaging.package_files if f not in p.sources.entry_modules]
    ):
        if facts.logging_setup and facts.runs_as_script and not doctests:
            if imported is None:
                imported = imported_modules(p, p.sources.python_files)
            if dotted_name(p, path) not in imported:
                continue  # a script nothing imports: it is the application when it runs
        for line in facts.logging_setup:
            yield at_line(
                path,
                "the library configures logging at import: leave that to the application",
                line,
            )


@rule(
    "CODE007",
    "heavy-import-at-startup",
    source="Lesson: heavy imports in __init__.py slowed the CLI tools, and importing expensive modules lazily made them start faster.",
)
def heavy_import_at_startup(p: Project) -> Iterator[Violation]:
    """A heavy module is imported at the top of the package's `__init__.py` or the CLI module.

    ## What it does
    Reports top-level, unguarded imports of torch, tensorflow, jax, pandas, numpy, scipy,
    scikit-learn, OpenCV, transformers, matplotlib and similar in the package's top
    `__init__.py` and in the modules console scripts run. It stays quiet when the packages'
    own `__init__` modules, which run first, or the project's modules the CLI module imports
    (`import open_clip` in a training script) already load the module through their imports:
    the CLI module's import then costs nothing more.

    ## Why it matters
    Every `import example` and every `example --help` pays seconds for a framework most
    commands never use.

    ## Example
    ```python
    # example/__init__.py
    import torch
    ```

    ## Use instead
    ```python
    def load_model(path):
        import torch
        return torch.load(path)
    ```

    ## Fix
    Import heavy modules inside the functions that need them (or with a lazy loader).
    """
    tops = package_inits(p)
    scripts = p.packaging.declared.get("scripts")
    # with console scripts declared, start-up is what they run; without, what looks like a CLI
    entry = p.sources.script_modules if scripts else p.sources.entry_modules
    for path, facts in p.sources.facts_for(sorted({*tops, *entry})):
        already: set[str] | None = None
        for item in facts.imports:
            first_party = item.top in p.packaging.package_dirs
            if item.top in HEAVY_MODULES and not (
                first_party or item.guarded or item.type_only or item.in_function
            ):
                # the packages' `__init__` run first: if they load it anyway, this costs nothing
                if already is None:
                    already = loaded_at_import(
                        p, [*parents(path), *imported_package_files(p, path)]
                    )
                if item.top in already:
                    continue
                yield at_line(
                    path,
                    f"`import {item.module}` at start-up: every import and `--help` pays for it; import it where used",
                    item.line,
                )


@rule(
    "CODE008",
    "swallowed-exception",
    severity="I",
    source="Lesson: never catch a broad Exception in business logic; let unexpected errors bubble up. ruff BLE001 (blind-except), S110 (try-except-pass)",
)
def swallowed_exception(p: Project) -> Iterator[Violation]:
    """A broad `except` swallows the error silently: its body only passes, continues or returns.

    ## What it does
    Reports `except:`, `except Exception:` and `except BaseException:` whose body is only `pass`,
    `continue`, `...`, `return` or `break` (as ruff's S110 and S112), in the package outside the
    command layer (`__main__.py`, `cli.py`, the modules console scripts run), where a
    last-resort handler is legitimate. It stays quiet when the handler logs, prints or warns
    (someone is told; whether with the traceback is the project's policy), when the `try`'s
    `else:` or its body leaves on success (a loop that tries alternatives) or a `raise` follows
    the `try` (the failure is reported there), in `__del__`, under `if __name__ == "__main__":`,
    and where the `except` line silences ruff's BLE001, S110 or S112 (`# noqa`, `# ruff:
    ignore[blind-except]`), pylint's broad-except or bandit (`# nosec`).

    It is advice (`info`), as BLE001 and S110 are opt-in in ruff: read by hand on 120
    repositories, most silent handlers were deliberate best-effort code (closing a stream,
    probing an optional feature), which only the author can tell from the one that hides a bug.

    ## Why it matters
    Every error, including programming mistakes, disappears; the program continues in a wrong
    state and the log, if any, lacks the traceback.

    ## Example
    ```python
    try:
        save(record)
    except Exception:
        pass
    ```

    ## Use instead
    ```python
    try:
        save(record)
    except StorageFullError:
        logger.warning("storage full; record %s kept in memory", record.id)
    ```

    ## Fix
    Catch the exceptions you expect; let the others propagate (or log with `exc_info` and re-raise).
    """
    files = [f for f in p.packaging.package_files if f not in p.sources.entry_modules]
    for path, facts in p.sources.facts_for(files):
        for line in facts.swallowing:
            yield at_line(
                path, "a broad except swallows every error here: catch what you expect", line
            )


@rule(
    "CODE009",
    "does-not-parse",
    severity="E",
    source="Lesson: a single unparsable file must be reported, not crash the audit.",
)
def does_not_parse(p: Project) -> Iterator[Violation]:
    """A Python file cannot be decoded or parsed.

    ## What it does
    Reports files that are not text in their declared encoding (PEP 263), binary files named
    `.py`, and files that do not parse on any Python, with the line and what the parser
    expected: every file of the package, its tests, scripts and examples is parsed (by ruff's
    parser, which prodready runs isolated; CPython's when ruff cannot run). So are the errors
    CPython's compiler raises after parsing: a late or unknown `__future__` import, `return`,
    `yield` or `await` outside a function (a top-level `await` excepted: async runners such as
    IPython and Pyodide accept it), `break` outside a loop, `nonlocal` with no binding. Test data (a
    formatter's or parser's broken inputs under `tests/data/`, files the tests read), vendored
    code and template files (a name holding `{{`) are left alone: they are invalid on purpose.
    Syntax that only newer Pythons parse is CODE003's in the package and CODE013's elsewhere.
    It is an error in the package and in the test files pytest imports, which certainly fail;
    a warning in a script, an example or a note nothing imports (a Python 2 leftover fails only
    when someone runs it), and nothing there when the project still says it runs on Python 2
    (a classifier, `requires-python`, a universal wheel): such a file may be Python 2 code.

    ## Why it matters
    A file that cannot be read cannot be imported; the rest of the audit goes on without it.

    ## Example
    ```python
    def broken(:
    ```

    ## Use instead
    ```python
    def fixed():
        ...
    ```

    ## Fix
    Correct the file, or declare its encoding on the first line.
    """
    found = list(_unparsable(p, lambda facts: facts.problem))
    if not found:
        return
    imported = {*p.packaging.package_files, *imported_test_files(p)}
    python2 = _supports_python2(p)
    for path, line, message in found:
        violation = at_line(path, f"{path} {message}", line)
        if path in imported:
            yield violation
        elif not python2:  # a script of a project that still runs on Python 2 may be one
            yield violation._replace(severity=Severity.WARNING)


PYTHON2 = re.compile(r"Programming Language :: Python :: 2(?:\.\d+)?\s*$")


def _supports_python2(p: Project) -> bool:
    """True when the project says it runs on Python 2: a classifier, a `requires-python` that
    admits it, or a universal wheel (`[bdist_wheel] universal = 1`)."""
    classifiers = p.packaging.declared.get("classifiers")
    if isinstance(classifiers, list) and any(PYTHON2.match(str(c).strip()) for c in classifiers):
        return True
    requires = p.packaging.declared.get("requires-python")
    if isinstance(requires, str) and re.search(r"(?:>=?|==|~=)\s*2\b", requires):
        return True
    setup = p.repo.ini("setup.cfg") if p.repo.exists("setup.cfg") else None
    universal = setup.get("bdist_wheel", "universal", fallback="") if setup else ""
    return universal.strip() in ("1", "true", "True")


@rule(
    "CODE013",
    "newer-syntax-outside-package",
    severity="I",
    source="ruff's target-version syntax errors: https://docs.astral.sh/ruff/settings/#target-version",
)
def newer_syntax_outside_package(p: Project) -> Iterator[Violation]:
    """A test, script or example uses syntax the oldest supported Python cannot parse.

    ## What it does
    Reports test files, scripts and examples that parse only on a Python newer than the
    oldest `requires-python` admits (a `match` statement under `>=3.9`), with the construct
    and its line, read by the same parser as CODE009. It is information: projects often keep
    such files on purpose and collect them only on new enough Pythons (a `conftest.py`'s
    `collect_ignore`, a tox environment per version), which prodready does not evaluate. Files
    named for the Python they need (`tutorial001_py310.py`, `tests/python_312/`), snippets of
    the documentation and test data are left alone; in the package, CODE003 reports the
    construct as an error.

    ## Why it matters
    On the oldest supported Python the file cannot even be collected: a test run there errors
    out, or a script fails before its first line.

    ## Example
    ```python
    # requires-python = ">=3.9"; tests/test_shapes.py
    match shape:
        case Circle(): ...
    ```

    ## Use instead
    ```python
    # tests/conftest.py
    collect_ignore = ["test_shapes.py"] if sys.version_info < (3, 10) else []
    ```

    ## Fix
    Skip the file on older Pythons, rewrite the construct, or raise `requires-python`.
    """
    oldest = p.packaging.min_python
    if oldest is None:
        return
    package = set(p.packaging.package_files)
    for path, line, message in _unparsable(p, lambda facts: facts.too_new):
        if path not in package and not _for_newer_python(path):
            yield at_line(
                path,
                f"{path} does not parse on Python 3.{oldest[1]}, which requires-python "
                f"admits: {message}",
                line,
            )


def _unparsable(
    p: Project, verdict: Callable[[FileFacts], Problem | None]
) -> Iterator[tuple[str, int, str]]:
    """(path, line, message) of the files something imports or runs whose facts carry the
    verdict, less input that is invalid on purpose."""
    test_input = test_data_reader(p)
    package = set(p.packaging.package_files)
    for path, facts in p.sources.facts_for(_imported_files(p)):
        found = verdict(facts)
        if found is not None and (path in package or not _input_data(path, test_input)):
            yield path, found.line, found.message


# A file or folder named for the Python it needs (`tutorial001_py310.py`, `tests/python_312/`),
# and the snippets of documentation and examples: the test run or the reader picks the Python.
FOR_NEWER_PYTHON = re.compile(
    r"py(?:thon)?[._-]?3[._]?1?\d(?!\d)|(?:^|/)(?:docs?|docs_src|examples?)/"
)


def _input_data(path: str, named_by_tests: Callable[[str], bool]) -> bool:
    """True for a file that is input, invalid on purpose: a formatter's or parser's cases under
    `tests/data/`, vendored code, a file the tests name."""
    return is_test_data(path) or is_vendored(path) or named_by_tests(path)


def _for_newer_python(path: str) -> bool:
    return FOR_NEWER_PYTHON.search(path) is not None


def _imported_files(p: Project) -> list[str]:
    """Files something imports or runs: the product's and the tests' (not test data, vendored
    code, or template files whose names are Jinja expressions)."""
    files = sorted({*p.sources.runtime_files, *p.packaging.test_files})
    return [f for f in files if not in_template(f)]


@rule(
    "CODE010",
    "runtime-annotation-syntax",
    severity="E",
    source="Lesson: typer evaluated CLI annotations at run time, and one it could not resolve raised NameError when the command was defined; PEP 604",
)
def runtime_annotation_syntax(p: Project) -> Iterator[Violation]:
    """An annotation evaluated at run time uses syntax the oldest supported Python cannot evaluate.

    ## What it does
    Reports `X | None` (3.10) and `list[int]`-style builtin generics (3.9) in annotations that
    are evaluated at run time, when `requires-python` admits an older Python: annotations read by
    the frameworks CODE001 knows (pydantic, typer, FastAPI, …), and every signature and class
    annotation of a module without `from __future__ import annotations` (not a quoted one,
    which Python leaves a string, nor code under `if TYPE_CHECKING:`, which never runs). Only the package's
    modules are read (without a package, the application's files outside documentation and
    example folders, whose snippets are often written for one Python, as `tutorial_py310.py`).

    ## Why it matters
    `from __future__ import annotations` makes annotations strings, but the framework evaluates
    the string: on Python 3.9, `str | None` raises `TypeError: unsupported operand type(s) for |`
    when the command or model is built.

    ## Example
    ```python
    # requires-python = ">=3.9"
    @app.command()
    def main(name: str | None = None): ...
    ```

    ## Use instead
    ```python
    from typing import Optional

    @app.command()
    def main(name: Optional[str] = None): ...
    ```

    ## Fix
    Use `Optional[...]` / `typing.List[...]`, or raise `requires-python`.
    """
    oldest = p.packaging.min_python
    if oldest is None:
        return
    for path, facts in p.sources.facts_for(p.sources.product_files):
        for line, what, minor, consumer in facts.annotation_syntax:
            if minor > oldest[1]:
                who = consumer or "Python (no `from __future__ import annotations`)"
                yield at_line(
                    path,
                    f"{what} needs Python 3.{minor} here, where {who} evaluates it; requires-python admits 3.{oldest[1]}",
                    line,
                )
