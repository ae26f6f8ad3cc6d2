"""The packaging read model: metadata, dependencies, packages, tests, Python versions."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from prodready.project.automation import Automation
from prodready.project.legacy import Declared, setup_cfg, setup_py
from prodready.project.paths import is_test_data, is_test_path, names_a_test_folder
from prodready.project.pyversions import min_python
from prodready.project.repository import Repository
from prodready.project.requirements import (
    Dependency,
    canonical,
    names_in_requirements_text,
    parse_list,
)

NOT_PACKAGES = frozenset(
    {
        "tests",
        "test",
        "testing",
        "docs",
        "doc",
        "examples",
        "example",
        "docs_src",
        "doc_src",
        "samples",
        "tutorials",
        "demos",
        "benchmarks",
        "bench",
        "scripts",
        "tools",
        "tasks",
        "build",
        "dist",
        "site",
        "venv",
        "bin",
        "ci",
        "changelog.d",
    }
)
SETUPTOOLS_BACKENDS = (None, "setuptools.build_meta", "setuptools.build_meta:__legacy__")
LEGACY_FIELDS = (
    "name",
    "description",
    "license",
    "classifiers",
    "urls",
    "requires-python",
    "dependencies",
    "optional-dependencies",
    "scripts",
    "gui-scripts",
    "entry-points",
)
LOCK_FILES = ("uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock", "pylock.toml", "conda-lock.yml")
_PINNED = re.compile(r"^\s*[A-Za-z0-9][A-Za-z0-9._\-\[\], ]*===?\s*[^\s;,]+")


class Packaging:
    """What `pyproject.toml` and the tree say about the package and what it needs."""

    def __init__(self, repo: Repository, automation: Automation) -> None:
        self._repo = repo
        self._automation = automation

    @cached_property
    def meta(self) -> dict[str, Any]:
        """The `[project]` table (empty when absent)."""
        return self._repo.pyproject.table("project") if self._repo.pyproject else {}

    @cached_property
    def declared(self) -> dict[str, Any]:
        """The metadata where the build reads it: `[project]`, and for a setuptools project
        the fields it leaves out (all of them without a `[project]` table, else those it marks
        dynamic) from setup.cfg, then from setup.py's literal `setup()` arguments."""
        return {**self.meta, **{field: d.fields[field] for field, d in self._legacy.items()}}

    @cached_property
    def _legacy(self) -> dict[str, Declared]:
        """Each field setuptools takes from setup.cfg or setup.py, with the file it is in."""
        if self.build_backend not in SETUPTOOLS_BACKENDS:
            return {}
        open_fields = self.dynamic if self.has_project_table else set(LEGACY_FIELDS)
        found: dict[str, Declared] = {}
        for source in (setup_cfg(self._repo), setup_py(self._repo)):
            if source is None:
                continue
            for field in source.fields:
                if field in open_fields and field in LEGACY_FIELDS:
                    found.setdefault(field, source)
        return found

    def _requirements(
        self, field: str, values: object, where: tuple[str, ...], group: str | None = None
    ) -> list[Dependency]:
        """A list of requirements of `declared`, placed in the file it came from."""
        source = self._legacy.get(field)
        if source is None:
            return parse_list(values, where, group)
        return [
            dep._replace(where=(), file=source.file, line=source.lines.get(dep.raw))
            for dep in parse_list(values, (), group)
        ]

    @property
    def has_project_table(self) -> bool:
        """True when `pyproject.toml` has a `[project]` table."""
        return bool(self._repo.pyproject and isinstance(self._repo.pyproject.get("project"), dict))

    @cached_property
    def dynamic(self) -> set[str]:
        """The `[project] dynamic` field names."""
        value = self.meta.get("dynamic", [])
        return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()

    @cached_property
    def project_name(self) -> str | None:
        """The canonical project name, when declared."""
        name = self.declared.get("name")
        return canonical(name) if isinstance(name, str) and name else None

    @cached_property
    def build_backend(self) -> str | None:
        """The `[build-system] build-backend`, when declared."""
        value = (
            self._repo.pyproject.get("build-system", "build-backend")
            if self._repo.pyproject
            else None
        )
        return value if isinstance(value, str) else None

    @cached_property
    def min_python(self) -> tuple[int, int] | None:
        """The oldest Python 3 minor version `requires-python` admits (None when unset)."""
        value = self.declared.get("requires-python")
        return min_python(value) if isinstance(value, str) else None

    @cached_property
    def runtime_deps(self) -> list[Dependency]:
        """`[project] dependencies`."""
        values = self.declared.get("dependencies")
        return self._requirements("dependencies", values, ("project", "dependencies"))

    @cached_property
    def optional_deps(self) -> dict[str, list[Dependency]]:
        """`[project.optional-dependencies]`, by canonical extra name."""
        table = self.declared.get("optional-dependencies")
        if not isinstance(table, dict):
            return {}
        where = ("project", "optional-dependencies")
        return {
            canonical(k): self._requirements("optional-dependencies", v, (*where, k), k)
            for k, v in table.items()
        }

    @cached_property
    def dependency_groups(self) -> dict[str, list[Dependency]]:
        """PEP 735 `[dependency-groups]`, by canonical group name (includes left out)."""
        table = self._repo.pyproject.table("dependency-groups") if self._repo.pyproject else {}
        return {canonical(k): parse_list(v, ("dependency-groups", k), k) for k, v in table.items()}

    @cached_property
    def requirements_paths(self) -> list[str]:
        """requirements-style files: requirements*.txt / *.in and the files in requirements/."""
        return self._repo.glob(
            "requirements*.txt",
            "requirements*.in",
            "requirements/*.txt",
            "requirements/*.in",
            "*/requirements*.txt",
            "*requirements.txt",
        )

    @cached_property
    def lock_paths(self) -> list[str]:
        """Lock files, and requirements files whose every line pins one version."""
        locks = [p for p in LOCK_FILES if self._repo.exists(p)] + self._repo.glob("pylock.*.toml")
        return locks + [p for p in self.requirements_paths if self._fully_pinned(p)]

    def _fully_pinned(self, path: str) -> bool:
        lines = [
            line
            for line in (self._repo.read(path) or "").splitlines()
            if line.strip()
            and not line.lstrip().startswith(("#", "--hash", "-"))
            and not line.startswith(" ")
        ]
        return bool(lines) and all(_PINNED.match(line) for line in lines)

    @cached_property
    def declared_names(self) -> set[str]:
        """Every distribution name the project declares anywhere, for any purpose."""
        names = {d.name for d in self.runtime_deps}
        for deps in (*self.optional_deps.values(), *self.dependency_groups.values()):
            names.update(d.name for d in deps)
        for path in self.requirements_paths:
            names |= names_in_requirements_text(self._repo.read(path) or "")
        return names | self._tool_names

    @cached_property
    def tooling_names(self) -> set[str]:
        """Names declared for working on the project: dependencies, extras and groups, and
        requirements files, leaving out documentation groups (whose tools build examples)."""
        names = {d.name for d in self.runtime_deps}
        for group, deps in (*self.optional_deps.items(), *self.dependency_groups.items()):
            if not group.startswith("doc"):
                names.update(d.name for d in deps)
        for path in self.requirements_paths:
            if "doc" not in path:
                names |= names_in_requirements_text(self._repo.read(path) or "")
        return names | self._tool_names

    @cached_property
    def _tool_names(self) -> set[str]:
        """Names the tools' own tables declare: Poetry, PDM and Hatch environments, in
        pyproject.toml and in `hatch.toml`; `hatch test` brings pytest itself."""
        names = _tool_declared_names(self._repo.pyproject.data if self._repo.pyproject else {})
        hatch = self._repo.toml("hatch.toml") if self._repo.exists("hatch.toml") else None
        if hatch is not None:
            names |= _tool_declared_names({"tool": {"hatch": hatch.data}})
        envs = {**_hatch_envs(self._repo.pyproject.data if self._repo.pyproject else {})}
        if hatch is not None:
            envs.update(_hatch_envs({"tool": {"hatch": hatch.data}}))
        if "hatch-test" in envs or "hatch test" in self._automation.text:
            names |= HATCH_TEST_DEPENDENCIES
        return names

    @cached_property
    def mentioned_names(self) -> set[str]:
        """`declared_names` plus every word of tox, nox, conda and setup files that install things.

        Broad on purpose: rules that report a *missing* dependency use it, so a name written
        anywhere it could be installed from keeps them quiet.
        """
        names = set(self.declared_names)
        for path in (
            "tox.ini",
            "noxfile.py",
            "environment.yml",
            "setup.py",
            "setup.cfg",
            "Makefile",
            *self._automation.ci_paths,
        ):
            if self._repo.exists(path):
                names |= {
                    canonical(w)
                    for w in re.findall(r"[A-Za-z0-9][\w.\-]*", self._repo.read(path) or "")
                }
        return names

    @cached_property
    def package_dirs(self) -> dict[str, str]:
        """First-party import packages (or modules) by import name, with their folder or file."""
        found: dict[str, str] = {}
        layout_roots = [
            root
            for root in dict.fromkeys(["src", *self._configured_roots])
            if any(d.startswith(f"{root}/") for d in self._repo.dir_set)
        ]
        for base in [*layout_roots, ""]:
            prefix = f"{base}/" if base else ""
            for path in self._repo.own_files:
                if not path.startswith(prefix) or not path.endswith(".py"):
                    continue
                parts = path[len(prefix) :].split("/")
                top = parts[0]
                if len(parts) == 1:
                    if base and top.removesuffix(".py").isidentifier():
                        found.setdefault(top.removesuffix(".py"), path)
                    continue
                own = top == (self.project_name or "").replace("-", "_")
                if any(root.startswith(f"{prefix}{top}/") for root in self.test_roots):
                    continue  # a test folder with an `__init__.py` (`t/` holding `t/unit`)
                if (
                    top.isidentifier()
                    and (own or top not in NOT_PACKAGES)
                    and (base or f"{top}/__init__.py" in self._repo.file_set)
                ):
                    found.setdefault(top, f"{prefix}{top}")
            if found:
                return found
        return found

    @property
    def _configured_roots(self) -> list[str]:
        """The folders setuptools is told the packages live in (`package-dir = {"" = "lib"}` or
        `packages.find.where = ["lib"]` in pyproject, `package_dir = =lib` or
        `[options.packages.find] where = lib` in setup.cfg)."""
        found: list[str] = []
        table = (
            self._repo.pyproject.get("tool", "setuptools", "package-dir")
            if self._repo.pyproject
            else None
        )
        if isinstance(table, dict) and isinstance(table.get(""), str):
            found.append(table[""].strip("/"))
        where = (
            self._repo.pyproject.get("tool", "setuptools", "packages", "find", "where")
            if self._repo.pyproject
            else None
        )
        if isinstance(where, list):
            found += [w.strip("/") for w in where if isinstance(w, str)]
        setup_cfg = self._repo.ini("setup.cfg")
        if setup_cfg is not None and setup_cfg.has_option("options.packages.find", "where"):
            found += setup_cfg.get("options.packages.find", "where").split()
        if setup_cfg is not None and setup_cfg.has_option("options", "package_dir"):
            for part in setup_cfg.get("options", "package_dir").replace("\n", " ").split():
                if part.startswith("="):
                    found.append(part[1:].strip("/"))
        return [f for f in found if f and "/" not in f and ".." not in f]

    @property
    def only_members(self) -> bool:
        """True for a monorepo root whose Python code all lives in member projects."""
        return bool(self._repo.subproject_dirs) and not self.package_files and not self.test_files

    @cached_property
    def package_files(self) -> list[str]:
        """Python files of the first-party packages."""
        dirs = [d for d in self.package_dirs.values() if not d.endswith(".py")]
        modules = [d for d in self.package_dirs.values() if d.endswith(".py")]
        inside = tuple(d + "/" for d in dirs)
        tests = set(self._test_candidates)
        return modules + [
            f
            for f in self._repo.own_files
            if f.endswith(".py")
            and f.startswith(inside)
            and f not in tests
            and _importable(f[: f.rfind("/")])
        ]

    @cached_property
    def test_files(self) -> list[str]:
        """Python files that hold tests or test configuration (not the data tests read)."""
        return [f for f in self._test_candidates if not is_test_data(f)]

    @cached_property
    def test_roots(self) -> tuple[str, ...]:
        """The folders pytest's `testpaths` names (`t/unit` for a project that does not call its
        tests folder `tests`), each ending in `/`."""
        from prodready.project.toolconfig import pytest_config

        config = pytest_config(self._repo)
        value = config.values.get("testpaths") if config else None
        paths = (
            value.split() if isinstance(value, str) else value if isinstance(value, list) else []
        )
        roots = (str(p).strip().strip("/").removeprefix("./") for p in paths)
        return tuple(
            f"{r}/" for r in roots if r and ".." not in r and "*" not in r and self._holds_tests(r)
        )

    def _holds_tests(self, root: str) -> bool:
        """True for a `testpaths` folder that is a test folder, not the package itself with its
        tests inside (`testpaths = ["sympy"]`): named as tests are (`t/unit`, `testing`), or not
        an importable package."""
        if names_a_test_folder(root):
            return True
        return (
            root.split("/", maxsplit=1)[0] != "src"
            and f"{root}/__init__.py" not in self._repo.file_set
        )

    def in_tests(self, path: str) -> bool:
        """True for a path in a test folder, by its name or by pytest's `testpaths`."""
        return is_test_path(path) or path.startswith(self.test_roots)

    @cached_property
    def _test_candidates(self) -> list[str]:
        return [f for f in self._repo.own_files if f.endswith(".py") and self.in_tests(f)]


def _importable(folder: str) -> bool:
    """True when every folder of the path is a Python identifier (`test-data` cannot be imported)."""
    return all(part.isidentifier() for part in folder.split("/") if part and part != "src")


# What `hatch test` installs by default (hatch's documentation, "Testing: dependencies").
HATCH_TEST_DEPENDENCIES = frozenset(
    {"pytest", "pytest-mock", "pytest-randomly", "pytest-rerunfailures", "pytest-xdist"}
)


def _hatch_envs(data: dict[str, Any]) -> dict[str, Any]:
    tool = data.get("tool", {}) if isinstance(data.get("tool"), dict) else {}
    hatch = tool.get("hatch", {}) if isinstance(tool.get("hatch"), dict) else {}
    envs = hatch.get("envs", {})
    return envs if isinstance(envs, dict) else {}


def _tool_declared_names(data: dict[str, Any]) -> set[str]:
    """Names declared in tool-specific dependency tables (Poetry, PDM, Hatch environments)."""
    from prodready.project.requirements import parse

    names: set[str] = set()
    tool = data.get("tool", {}) if isinstance(data.get("tool"), dict) else {}
    poetry = tool.get("poetry", {}) if isinstance(tool.get("poetry"), dict) else {}
    tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
    groups = poetry.get("group", {})
    if isinstance(groups, dict):
        tables += [g.get("dependencies") for g in groups.values() if isinstance(g, dict)]
    for table in tables:
        if isinstance(table, dict):
            names |= {canonical(k) for k in table}
    lists: list[Any] = []
    pdm = tool.get("pdm", {}) if isinstance(tool.get("pdm"), dict) else {}
    if isinstance(pdm.get("dev-dependencies"), dict):
        lists += list(pdm["dev-dependencies"].values())
    hatch_envs = (
        tool.get("hatch", {}).get("envs", {}) if isinstance(tool.get("hatch"), dict) else {}
    )
    if isinstance(hatch_envs, dict):
        for env in hatch_envs.values():
            if isinstance(env, dict):
                lists += [env.get("dependencies"), env.get("extra-dependencies")]
    for values in lists:
        for value in values if isinstance(values, list) else []:
            dep = parse(value) if isinstance(value, str) else None
            if dep is not None:
                names.add(dep.name)
    return names
