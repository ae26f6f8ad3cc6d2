"""TYPE: type checking configuration — a checker that runs, targets the right Python, and knows
the plugins the code needs."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.findings import Violation
from prodready.project import Project
from prodready.project.toolconfig import ToolConfig
from prodready.rules import rule
from prodready.rules._releases import known_release, major_minor

# The oldest `python_version` each mypy release accepts (mypy/defaults.py, PYTHON3_VERSION_MIN):
# 1.6 raised it to 3.7 (#15668), 1.10 to 3.8 (#16883), 1.17 to 3.9 (#19157), 2.0 to 3.10 (#21243).
MYPY_MIN_TARGET: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = (
    ((2, 0), (3, 10)),
    ((1, 17), (3, 9)),
    ((1, 10), (3, 8)),
    ((1, 6), (3, 7)),
    ((0, 0), (3, 4)),
)
LATEST_MYPY = (2, 0)


def _setting_violation(config: ToolConfig, message: str, key: str) -> Violation:
    """A violation at a type checker's setting; `data` names the setting."""
    line = config.line_of(key)
    return Violation(message, config.path, line, 1 if line else None, data=(key,))


def _python_version(value: object) -> tuple[int, int] | None:
    return major_minor(value)


def mypy_release(p: Project) -> tuple[int, int]:
    """The mypy release a fix must satisfy: the one pinned (pre-commit mirror, `==`), else the
    latest (a floor such as `mypy>=1.10` admits the newest release too)."""
    return known_mypy_release(p, exact=True) or LATEST_MYPY


def known_mypy_release(p: Project, *, exact: bool = False) -> tuple[int, int] | None:
    """The mypy release the project says it runs (its mirror's rev, a bound, a pin)."""
    return known_release(p, "mypy", "mirrors-mypy", exact=exact)


def mypy_min_target(release: tuple[int, int]) -> tuple[int, int]:
    """The oldest target a mypy release accepts."""
    return next(target for since, target in MYPY_MIN_TARGET if release >= since)


@rule(
    "TYPE001",
    "no-type-checker",
    severity="I",
    source="Lesson: mypy in strict mode caught bugs before run time; mypy docs: https://mypy.readthedocs.io/",
)
def no_type_checker(p: Project) -> Iterator[Violation]:
    """No type checker is configured.

    ## What it does
    Looks for mypy, pyright, basedpyright, pyre, pytype or ty in configuration, hooks and CI.

    ## Why it matters
    Type hints nobody checks drift from the code; a checker finds `None` passed where a value is
    needed before users do.

    ## Example
    ```toml
    # annotations everywhere, no checker
    ```

    ## Use instead
    ```toml
    [tool.mypy]
    strict = true
    ```

    ## Fix
    Configure mypy or pyright and run it in CI.
    """
    if not any(p.tools.uses(tool) for tool in ("mypy", "pyright", "pyre", "pytype", "ty")):
        yield Violation("no type checker configured: add mypy or pyright")


@rule(
    "TYPE002",
    "mypy-unsupported-target",
    severity="E",
    fix="safe",
    source="Lesson: mypy 1.8 stopped with 'python_version: Python 3.8 is not supported' and checked nothing until the setting was raised to 3.9.",
)
def mypy_unsupported_target(p: Project) -> Iterator[Violation]:
    """mypy's `python_version` is older than the project's mypy accepts.

    ## What it does
    Compares `python_version` with the oldest target of the mypy release the project uses (its
    pre-commit mirror `rev`, a dependency bound, or a pin in a requirements file; it stays quiet
    when none says, since an error must not guess which mypy runs). mypy 1.6
    dropped 3.6, 1.10 dropped 3.7, 1.17 dropped 3.8 and 2.0 dropped 3.9 (`PYTHON3_VERSION_MIN` in
    mypy's `defaults.py`).

    ## Why it matters
    mypy stops with `python_version: Python 3.8 is not supported` and checks nothing.

    ## Example
    ```toml
    [tool.mypy]
    python_version = "3.8"
    ```

    ## Use instead
    ```toml
    [tool.mypy]
    python_version = "3.10"
    ```

    ## Fix
    Safe: raises `python_version` to the oldest supported target (or `requires-python`'s minimum
    when that is newer).
    """
    config = p.tools.mypy
    target = _python_version(config.values.get("python_version")) if config else None
    if config is None or target is None:
        return
    release = known_mypy_release(p)
    if release is None:
        return  # which mypy runs is not written down: an error must not guess
    oldest = mypy_min_target(release)
    if target < oldest:
        yield _setting_violation(
            config,
            f"mypy {release[0]}.{release[1]} does not support python_version {target[0]}.{target[1]} (oldest: {oldest[0]}.{oldest[1]})",
            "python_version",
        )


@rule(
    "TYPE003",
    "type-checker-target",
    fix="safe",
    source="Lesson: mypy's python_version had to move from 3.8 to 3.9 together with the project's minimum Python; https://mypy.readthedocs.io/en/stable/config_file.html",
)
def type_checker_target(p: Project) -> Iterator[Violation]:
    """mypy's or pyright's Python version disagrees with `requires-python`.

    ## What it does
    Compares mypy's `python_version` and pyright's `pythonVersion` with the oldest Python that
    `requires-python` admits.

    ## Why it matters
    A checker that targets a newer Python accepts code that fails on the oldest supported one; one
    that targets an older Python rejects code your users can run.

    ## Example
    ```toml
    requires-python = ">=3.10"
    [tool.mypy]
    python_version = "3.12"
    ```

    ## Use instead
    ```toml
    requires-python = ">=3.10"
    [tool.mypy]
    python_version = "3.10"
    ```

    ## Fix
    Safe: sets the checker's version to the minimum of `requires-python`.
    """
    if p.packaging.min_python is None:
        return
    wanted = p.packaging.min_python
    for config, key in ((p.tools.mypy, "python_version"), (p.tools.pyright, "pythonVersion")):
        version = _python_version(config.values.get(key)) if config else None
        if config is not None and version is not None and version != wanted:
            yield _setting_violation(
                config,
                f"{key} {version[0]}.{version[1]} but requires-python starts at {wanted[0]}.{wanted[1]}",
                key,
            )


@rule(
    "TYPE004",
    "global-ignore-missing-imports",
    severity="I",
    source="Lesson: facing 50+ mypy errors, a project set ignore_missing_imports for every module; https://mypy.readthedocs.io/en/stable/running_mypy.html#missing-imports",
)
def global_ignore_missing_imports(p: Project) -> Iterator[Violation]:
    """`ignore_missing_imports = true` applies to every module.

    ## What it does
    Reports `ignore_missing_imports` set in mypy's global section rather than in per-module
    overrides.

    ## Why it matters
    A typo in an import, or a dependency missing from the environment, is then silently typed
    as `Any`, and mypy checks nothing that touches it.

    ## Example
    ```toml
    [tool.mypy]
    ignore_missing_imports = true
    ```

    ## Use instead
    ```toml
    [[tool.mypy.overrides]]
    module = ["untyped_lib.*"]
    ignore_missing_imports = true
    ```

    ## Fix
    Install the stubs (`types-…`) or list the untyped modules in an override.
    """
    config = p.tools.mypy
    if (
        config is not None
        and str(config.values.get("ignore_missing_imports", "")).lower() == "true"
    ):
        yield _setting_violation(
            config,
            "ignore_missing_imports is global: limit it to the untyped modules",
            "ignore_missing_imports",
        )


@rule(
    "TYPE005",
    "pydantic-mypy-plugin",
    fix="safe",
    source="Lesson: mypy errors in pydantic models were among a project's most common errors; pydantic docs: https://docs.pydantic.dev/latest/integrations/mypy/",
)
def pydantic_mypy_plugin(p: Project) -> Iterator[Violation]:
    """pydantic is used and mypy is configured, without the `pydantic.mypy` plugin.

    ## What it does
    Reports a mypy configuration whose `plugins` lack `pydantic.mypy` in a project that depends on
    pydantic. Stays quiet when the package takes no model base from pydantic, pydantic-settings
    or SQLModel (`BaseModel`, `BaseSettings`, `RootModel`, `SQLModel`, `create_model`) and never
    imports them whole: with only `pydantic.dataclasses`, `TypeAdapter` or a type alias, the
    plugin has nothing to check.

    ## Why it matters
    Without the plugin mypy does not understand model constructors, field aliases or validators:
    it reports false errors on correct code and misses wrong keyword arguments.

    ## Example
    ```toml
    [tool.mypy]
    strict = true
    ```

    ## Use instead
    ```toml
    [tool.mypy]
    strict = true
    plugins = ["pydantic.mypy"]
    ```

    ## Fix
    Safe: adds `pydantic.mypy` to `plugins`.
    """
    config = p.tools.mypy
    if config is None or not any(
        d.name in ("pydantic", "pydantic-settings", "sqlmodel") for d in p.packaging.runtime_deps
    ):
        return
    if p.packaging.package_files and not _may_define_models(p):
        return
    plugins = config.values.get("plugins", [])
    names = plugins if isinstance(plugins, list) else str(plugins).replace(",", " ").split()
    if "pydantic.mypy" not in [str(n).strip() for n in names]:
        yield _setting_violation(
            config, 'pydantic is a dependency but mypy lacks plugins = ["pydantic.mypy"]', "plugins"
        )


MODEL_MODULES = frozenset({"pydantic", "pydantic_settings", "sqlmodel"})
MODEL_BASES = frozenset({"BaseModel", "BaseSettings", "RootModel", "SQLModel", "create_model"})


def _may_define_models(p: Project) -> bool:
    """True when a module of the package takes a model base from pydantic, pydantic-settings or
    SQLModel, or imports one of them whole (`pydantic.BaseModel`): what the plugin checks."""
    return any(
        i.top in MODEL_MODULES and (not i.names or not MODEL_BASES.isdisjoint(i.names))
        for _, facts in p.sources.facts_for(p.packaging.package_files)
        for i in facts.imports
        if not i.level
    )
