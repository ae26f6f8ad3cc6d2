"""DEP (imports): what the code imports against what the project declares, like deptry, read
from the text without installing anything."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.findings import Violation
from prodready.project import Project
from prodready.rules.locate import at_line
from prodready.rules.registry import rule
from prodready.source.imports import optional_modules
from prodready.source.modules import candidate_distributions, is_stdlib, used_without_import

VERSION_FILES = (
    ("tool", "hatch", "build", "hooks", "vcs", "version-file"),
    ("tool", "setuptools_scm", "write_to"),
    ("tool", "setuptools_scm", "version_file"),
    ("tool", "pdm", "version", "write_to"),
)


def _first_party(p: Project) -> set[str]:
    """Names that belong to the repository itself: every module and folder of it, and the version
    files build hooks generate."""
    names = set(p.package_dirs)
    for path in p.python_files:
        names.update(path.removesuffix(".py").split("/"))
    for keys in VERSION_FILES:
        value = p.pyproject.get(*keys) if p.pyproject else None
        if isinstance(value, str):
            names.add(value.rsplit("/", 1)[-1].removesuffix(".py"))
    if p.project_name:
        names.add(p.project_name.replace("-", "_"))
    return names


def _third_party(
    p: Project, paths: list[str], *, module_level: bool = False
) -> Iterator[tuple[str, int, str, bool, tuple[str, ...]]]:
    """(path, line, module, optional, names) for every third-party import in the files; a plug-in
    module may import its host (pydantic's hypothesis plug-in imports hypothesis)."""
    local = _first_party(p)
    hosts = _plugin_hosts(p)
    for path, facts in p.facts_for(paths):
        optional = optional_modules(facts.imports) | hosts.get(path, set())
        for item in facts.imports:
            if (
                item.level
                or not item.module
                or item.type_only
                or is_stdlib(item.module)
                or item.top in local
            ):
                continue
            if module_level and item.in_function:
                continue
            yield path, item.line, item.module, item.top in optional, item.names


PLUGIN_HOSTS = {
    "pytest11": "pytest",
    "flake8.extension": "flake8",
    "console_scripts": "",
    "gui_scripts": "",
}


def _plugin_hosts(p: Project) -> dict[str, set[str]]:
    """Files of modules registered in another tool's entry-point group, with that tool's name."""
    groups = p.meta.get("entry-points")
    found: dict[str, set[str]] = {}
    for group, targets in groups.items() if isinstance(groups, dict) else []:
        host = PLUGIN_HOSTS.get(group, str(group).split(".")[0])
        for target in targets.values() if isinstance(targets, dict) else []:
            module = str(target).partition(":")[0].strip().replace(".", "/")
            for path in p.package_files:
                if host and path.endswith((f"{module}.py", f"{module}/__init__.py")):
                    found.setdefault(path, set()).add(host)
    return found


def _declared(names: set[str], module: str, imported: tuple[str, ...] = ()) -> bool:
    """True when some declared distribution provides the module (or, for namespace packages such
    as `google.cloud`, one of the submodules imported from it)."""
    modules = [module, *(f"{module}.{name}" for name in imported)]
    return any(candidate_distributions(m) & names for m in modules)


@rule("DEP007", "undeclared-import", severity="E", source="deptry DEP001")
def undeclared_import(p: Project) -> Iterator[Violation]:
    """The package imports a third-party module that no dependency declares.

    ## What it does
    Reads every import of the package (not tests), leaves out the standard library, the
    project's own modules, imports under `TYPE_CHECKING` and imports guarded by
    `try: … except ImportError`, and maps the rest to distributions (the same name, or the
    well-known different ones: `yaml` is PyYAML, `cv2` opencv-python, `PIL` pillow, `sklearn`
    scikit-learn, …). A module no core dependency or extra declares is reported.

    ## Why it matters
    It works on the developer's machine, where the module happens to be installed, and fails with
    `ModuleNotFoundError` for every user who installs the package.

    ## Example
    ```python
    import yaml   # pyproject declares only requests
    ```

    ## Use instead
    ```toml
    dependencies = ["requests>=2.31", "pyyaml>=6"]
    ```

    ## Fix
    Declare the distribution (in an extra, and guard the import, when it is optional).
    """
    if not p.has_project_table or "dependencies" in p.dynamic:
        return
    runtime = {d.name for d in p.runtime_deps}
    extras = {d.name for deps in p.optional_deps.values() for d in deps}
    reported: set[str] = set()
    for path, line, module, optional, imported in _third_party(p, p.package_files):
        top = module.split(".")[0]
        if optional or top in reported or _declared(runtime | extras, module, imported):
            continue
        reported.add(top)
        yield at_line(path, f"`{module}` is imported but no dependency provides it", line)


@rule("DEP008", "unused-dependency", source="deptry DEP002")
def unused_dependency(p: Project) -> Iterator[Violation]:
    """A declared runtime dependency is never imported by the package.

    ## What it does
    Reports `[project] dependencies` that no module of the package imports under any name the
    distribution is known to provide. Distributions people depend on without importing them are
    left alone: type stubs, pytest and flake8 plug-ins, servers run as programs (uvicorn,
    gunicorn), drivers loaded by name (psycopg2-binary), and backports.

    ## Why it matters
    Every user installs it for nothing, it widens the attack surface, and it constrains their
    environment's resolution.

    ## Example
    ```toml
    dependencies = ["requests>=2", "rich>=13"]   # rich is never imported
    ```

    ## Use instead
    ```toml
    dependencies = ["requests>=2"]
    ```

    ## Fix
    Remove it, or move it to the extra that uses it. If it is used without an import (a plug-in,
    a program the code runs), ignore DEP008 for it with that reason.
    """
    if not p.package_files:
        return
    imported: set[str] = set()
    for path, facts in p.facts_for([*p.package_files, *p.entry_modules]):
        del path
        for item in facts.imports:
            if not item.level:
                imported |= candidate_distributions(item.module)
                for name in item.names:
                    imported |= candidate_distributions(f"{item.module}.{name}")
    for dep in p.runtime_deps:
        if dep.name in imported or used_without_import(dep.name) or dep.name == p.project_name:
            continue
        line = p.pyproject.line_of_value(dep.where, dep.raw) if p.pyproject else None
        yield Violation(
            f"`{dep.name}` is declared but the package never imports it (if it is a plug-in or a program, say so in an ignore)",
            "pyproject.toml",
            line or 1,
            1,
        )


@rule("DEP009", "undeclared-test-import", source="S0: pytest doesn't find tests")
def undeclared_test_import(p: Project) -> Iterator[Violation]:
    """The tests import a third-party module that no dependency, extra or group declares.

    ## What it does
    Reads the module-level imports of the test files and reports third-party modules that neither
    the runtime dependencies nor any extra, dependency group, requirements file, tox, nox or CI
    file declares. Imports inside test functions are left alone: tests import modules they create
    at run time, and optional ones behind `importorskip`.

    ## Why it matters
    A new contributor follows the README, runs `pytest`, and gets `ModuleNotFoundError` during
    collection (S0: "pytest doesn't find tests").

    ## Example
    ```python
    # tests/test_api.py
    import respx   # declared nowhere
    ```

    ## Use instead
    ```toml
    [dependency-groups]
    test = ["pytest>=8", "respx>=0.21"]
    ```

    ## Fix
    Add it to the test extra or dependency group.
    """
    if not p.test_files:
        return
    declared = p.mentioned_names
    reported: set[str] = set()
    for path, line, module, optional, imported in _third_party(p, p.test_files, module_level=True):
        top = module.split(".")[0]
        if (
            optional
            or top in reported
            or top in ("conftest",)
            or _declared(declared, module, imported)
        ):
            continue
        reported.add(top)
        yield at_line(path, f"the tests import `{module}`, which no test dependency declares", line)
