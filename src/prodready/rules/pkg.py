"""PKG: packaging and build metadata — can the project be built, installed and published?"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from prodready.findings import Violation, at_key, at_line
from prodready.project import Project
from prodready.project.legacy import setup_keywords
from prodready.project.packaging import SETUPTOOLS_BACKENDS
from prodready.project.pyproject_schema import problems, unknown_project_fields
from prodready.project.pyversions import admits, plain_clauses
from prodready.project.tomldoc import TomlDoc, as_table, dotted_get
from prodready.rules import rule

if TYPE_CHECKING:
    from prodready.project.ignores import GitignoreMatcher

PUBLISH_FIELDS = ("description", "readme", "license", "authors", "urls", "classifiers")
README_TYPES = {".md": "text/markdown", ".rst": "text/x-rst", ".txt": "text/plain"}
MODEL_SUFFIXES = (".onnx", ".pt", ".pth", ".bin", ".safetensors", ".h5", ".ckpt")
BIG_FILE = 50 * 1024 * 1024
BIG_MODEL = 1024 * 1024
LEGACY_COMMAND = re.compile(
    r"python[\d.]*\s+setup\.py\s+(sdist|bdist_wheel|bdist_egg|install|develop|upload)\b"
)
# The [project] field each setup() keyword duplicates; a field listed in `dynamic` may come from setup.py.
SETUP_FIELDS = {
    "name": "name",
    "version": "version",
    "description": "description",
    "install_requires": "dependencies",
    "extras_require": "optional-dependencies",
    "python_requires": "requires-python",
    "entry_points": "entry-points",
}


@rule(
    "PKG001",
    "missing-pyproject",
    severity="W",
    source="PEP 621; sp-repo-review PY001; Packaging guide: https://packaging.python.org/en/latest/guides/writing-pyproject-toml/",
    peers=("sp-repo-review:PY001",),
)
def missing_pyproject(p: Project) -> Iterator[Violation]:
    """The repository has no `pyproject.toml`.

    ## What it does
    Reports a repository without `pyproject.toml`, whether it relies on `setup.py`, `setup.cfg`
    or a bare `requirements.txt`.

    ## Why it matters
    `pyproject.toml` is where build tools, installers and every modern linter look first (PEP 517,
    518, 621). Without it pip falls back to legacy behaviour and each tool needs its own file.

    ## Example
    ```text
    setup.py
    requirements.txt
    ```

    ## Use instead
    ```toml
    [build-system]
    requires = ["hatchling"]
    build-backend = "hatchling.build"

    [project]
    name = "example"
    version = "0.1.0"
    ```

    ## Fix
    Write the metadata into a `[project]` table (`hatch new --init` or `uv init` can start it).
    """
    if p.repo.exists("pyproject.toml"):
        return
    legacy = [f for f in ("setup.py", "setup.cfg", "requirements.txt") if p.repo.exists(f)]
    detail = f" (only {', '.join(legacy)})" if legacy else ""
    yield Violation(f"no pyproject.toml{detail}: declare the build and metadata in pyproject.toml")


@rule(
    "PKG002",
    "build-system",
    severity="W",
    fix="safe",
    source="PEP 517; PEP 518; sp-repo-review PP002",
    peers=("sp-repo-review:PP002",),
)
def build_system(p: Project) -> Iterator[Violation]:
    """`[build-system]` is missing, or lacks `requires` or `build-backend`.

    ## What it does
    Checks that a project with a `[project]` table (or a `setup.py`) declares its build backend
    and the packages it needs, unless it says it is never built (`[tool.uv] package = false`,
    poetry's `package-mode = false`).

    ## Why it matters
    Without `[build-system]`, pip and `build` assume the legacy setuptools backend, which may not
    be installed, may be the wrong version, and ignores the backend you meant to use.

    ## Example
    ```toml
    [project]
    name = "example"
    ```

    ## Use instead
    ```toml
    [build-system]
    requires = ["hatchling"]
    build-backend = "hatchling.build"
    ```

    ## Fix
    Safe: declares the backend the project already builds with: the one its tool tables or
    `requires` name, else setuptools as pip uses it without the table
    (`setuptools.build_meta:__legacy__` beside a setup.py); or adds the missing key.
    """
    doc = p.repo.pyproject
    if doc is None or doc.error or not (p.packaging.has_project_table or p.repo.exists("setup.py")):
        return
    if p.packaging.not_packaged:
        return  # `[tool.uv] package = false`: nothing ever builds it
    build = doc.get("build-system")
    if not isinstance(build, dict):
        yield at_key(
            doc, "no [build-system] table: declare `requires` and `build-backend`", "project"
        )
        return
    for key in ("requires", "build-backend"):
        if key not in build:
            yield at_key(doc, f"[build-system] has no `{key}`", "build-system")


@rule("PKG003", "name-and-version", severity="E", source="PEP 621")
def name_and_version(p: Project) -> Iterator[Violation]:
    """`[project]` has no `name`, or `version` is neither set nor listed in `dynamic`.

    ## What it does
    Checks the two fields every distribution must have.

    ## Why it matters
    Build backends refuse to build a `[project]` without a name or a version source, and the
    error appears only when somebody runs the build.

    ## Example
    ```toml
    [project]
    name = "example"
    ```

    ## Use instead
    ```toml
    [project]
    name = "example"
    version = "0.1.0"   # or dynamic = ["version"] with the backend's version source
    ```

    ## Fix
    Add the field, or list `version` in `dynamic` and configure the backend's version source.
    """
    doc = p.repo.pyproject
    if doc is None or not p.packaging.has_project_table:
        return
    if not p.packaging.meta.get("name"):
        yield at_key(doc, "[project] has no `name`", "project")
    if "version" not in p.packaging.meta and "version" not in p.packaging.dynamic:
        yield at_key(doc, "[project] has no `version` and does not list it in `dynamic`", "project")


@rule(
    "PKG004",
    "requires-python",
    source="Lesson: mypy 1.8 dropped Python 3.8, and the project had to raise its declared minimum Python to 3.9; PEP 621 (requires-python)",
)
def requires_python(p: Project) -> Iterator[Violation]:
    """`requires-python` is missing.

    ## What it does
    Reports a `[project]` table without `requires-python`.

    ## Why it matters
    Installers use it to pick a release that runs on the user's Python; without it users on an
    older interpreter get the newest release and a `SyntaxError` at import. ruff and other tools
    also infer their target version from it.

    ## Example
    ```toml
    [project]
    name = "example"
    version = "0.1.0"
    ```

    ## Use instead
    ```toml
    [project]
    name = "example"
    version = "0.1.0"
    requires-python = ">=3.10"
    ```

    ## Fix
    Add the oldest Python you test on, as a lower bound only.
    """
    missing = (
        "requires-python" not in p.packaging.meta and "requires-python" not in p.packaging.dynamic
    )
    if p.repo.pyproject is not None and p.packaging.has_project_table and missing:
        yield at_key(p.repo.pyproject, "[project] has no `requires-python`", "project")


@rule(
    "PKG005",
    "publishing-metadata",
    kinds="L",
    source="Lesson: running twine check on the built distributions caught missing metadata before upload to PyPI; pyroma; twine docs: https://twine.readthedocs.io/",
)
def publishing_metadata(p: Project) -> Iterator[Violation]:
    """A library lacks metadata a published package needs.

    ## What it does
    Checks `[project]` for description, readme, license, authors, urls and classifiers.

    ## Why it matters
    The package index page is built from these fields; without them users cannot tell what the
    package does, who maintains it, under which licence, or where to report a bug.

    ## Example
    ```toml
    [project]
    name = "example"
    version = "0.1.0"
    ```

    ## Use instead
    ```toml
    [project]
    name = "example"
    version = "0.1.0"
    description = "One line that says what it does."
    readme = "README.md"
    license = "MIT"
    authors = [{ name = "Example Team", email = "team@example.org" }]
    classifiers = ["Programming Language :: Python :: 3"]
    urls = { Source = "https://example.org/repo" }
    ```

    ## Fix
    Fill in the fields; `license-files` or a licence classifier also count for `license`.
    """
    if p.repo.pyproject is None or not p.packaging.has_project_table:
        return
    present = set(p.packaging.meta) | p.packaging.dynamic
    if "maintainers" in present:
        present.add("authors")
    classifiers = p.packaging.meta.get("classifiers") or []
    if "license-files" in present or any(str(c).startswith("License ::") for c in classifiers):
        present.add("license")
    missing = [f for f in PUBLISH_FIELDS if f not in present]
    if missing:
        yield at_key(p.repo.pyproject, f"[project] lacks {', '.join(missing)}", "project")


@rule(
    "PKG006",
    "readme",
    source="Lesson: twine check on the built distributions was what verified the README would render on PyPI; https://packaging.python.org/en/latest/guides/making-a-pypi-friendly-readme/",
)
def readme(p: Project) -> Iterator[Violation]:
    """The `readme` file is missing, or its content type cannot be inferred.

    ## What it does
    Follows `[project] readme` to the file and checks it exists and has a `.md`, `.rst` or
    `.txt` suffix (or an explicit `content-type`).

    ## Why it matters
    A missing readme fails the build; an unknown type is rejected or shown as raw text on the
    package index (`twine check` catches it, but only after building).

    ## Example
    ```toml
    readme = "README"
    ```

    ## Use instead
    ```toml
    readme = { file = "README", content-type = "text/markdown" }
    ```

    ## Fix
    Point at the real file and use a known suffix or `content-type`.
    """
    doc = p.repo.pyproject
    value = p.packaging.meta.get("readme")
    if doc is None or value is None:
        return
    if isinstance(value, dict):
        path, declared = value.get("file"), value.get("content-type")
        if "text" in value:
            if not declared:
                yield at_key(
                    doc, "inline `readme` text needs a `content-type`", "project", "readme"
                )
            return
    else:
        path, declared = value, None
    if not isinstance(path, str):
        return
    if not p.repo.exists(path.removeprefix("./")):
        yield at_key(doc, f"readme file `{path}` does not exist", "project", "readme")
    elif declared is None and not any(path.lower().endswith(s) for s in README_TYPES):
        yield at_key(
            doc,
            f"cannot infer the content type of `{path}`: use .md/.rst/.txt or set `content-type`",
            "project",
            "readme",
        )


@rule(
    "PKG007",
    "src-layout",
    kinds="L",
    severity="I",
    source="Lesson: a wheel built without its package failed with ModuleNotFoundError once installed; https://packaging.python.org/en/latest/discussions/src-layout-vs-flat-layout/",
)
def src_layout(p: Project) -> Iterator[Violation]:
    """The package sits beside `pyproject.toml` (flat layout) rather than under `src/`.

    ## What it does
    Reports a library whose import package is a top-level folder of the repository.

    ## Why it matters
    With a flat layout the tests import the package from the working tree, not the installed
    wheel, so a wheel that misses files or a broken `packages` setting passes every test.

    ## Example
    ```text
    pyproject.toml
    example/__init__.py
    ```

    ## Use instead
    ```text
    pyproject.toml
    src/example/__init__.py
    ```

    ## Fix
    `git mv example src/example`, then point the build backend at `src/example`.
    """
    if not p.packaging.has_project_table:
        return
    flat = sorted(
        path
        for path in p.packaging.package_dirs.values()
        if not path.startswith("src/") and "/" not in path
    )
    if flat and not any(d == "src" for d in p.repo.dir_set):
        yield at_line(
            flat[0] + "/__init__.py",
            f"package `{flat[0]}` uses the flat layout; move it under src/",
            None,
        )


@rule(
    "PKG008",
    "wheel-target",
    severity="E",
    fix="safe",
    source="Lesson: the wheel target listed src instead of src/<package>, so the built wheel installed but import failed with ModuleNotFoundError.",
)
def wheel_target(p: Project) -> Iterator[Violation]:
    """The wheel target points at the wrong thing, so the wheel would lack the package.

    ## What it does
    Checks hatchling's `[tool.hatch.build.targets.wheel] packages` (a folder that is not a
    package, such as `src`, or a path that does not exist), hatchling's automatic detection when
    nothing is configured, and setuptools' `packages` / `packages.find` settings.

    ## Why it matters
    The build succeeds, the wheel installs, and `import example` fails with
    `ModuleNotFoundError`. Tests run from a checkout do not notice.

    ## Example
    ```toml
    [tool.hatch.build.targets.wheel]
    packages = ["src"]
    ```

    ## Use instead
    ```toml
    [tool.hatch.build.targets.wheel]
    packages = ["src/example"]
    ```

    ## Fix
    Safe: points hatch's `packages` at the package folder(s); for setuptools, points
    `packages.find` `where` at the folder that holds them, adds `package-dir = {"" = "src"}` when
    listed packages live under `src/`, or drops listed packages that exist nowhere.
    """
    doc = p.repo.pyproject
    if doc is None or not p.packaging.has_project_table:
        return
    if p.packaging.build_backend == "hatchling.build":
        yield from _hatch_target(p, doc)
    elif p.packaging.build_backend and p.packaging.build_backend.startswith("setuptools"):
        yield from _setuptools_target(p, doc)


def _hatch_target(p: Project, doc: TomlDoc) -> Iterator[Violation]:
    wheel = doc.table("tool", "hatch", "build", "targets", "wheel")
    build = doc.table("tool", "hatch", "build")
    keys = ("tool", "hatch", "build", "targets", "wheel", "packages")
    packages = wheel.get("packages")
    if isinstance(packages, list):
        for entry in (e for e in packages if isinstance(e, str)):
            path = entry.strip("/")
            if path not in p.repo.dir_set and not p.repo.exists(path):
                yield at_key(doc, f"wheel package `{entry}` does not exist", *keys)
            elif (
                path in p.repo.dir_set
                and not p.repo.exists(f"{path}/__init__.py")
                and _holds_packages(p, path)
            ):
                yield at_key(
                    doc,
                    f"wheel package `{entry}` is a folder of packages, not a package: the wheel would install `{path.rsplit('/', 1)[-1]}` as the import name",
                    *keys,
                )
        return
    configured = (
        "packages",
        "only-include",
        "include",
        "sources",
        "force-include",
        "only-packages",
        "bypass-selection",
    )
    if any(k in wheel or k in build for k in configured) or doc.get(
        "tool", "hatch", "build", "hooks"
    ):
        return
    name = (p.packaging.project_name or "").replace("-", "_")
    candidates = (
        f"src/{name}/__init__.py",
        f"{name}/__init__.py",
        f"src/{name}.py",
        f"{name}.py",
        f"src/{name}",
    )
    # hatchling's fourth heuristic: `<namespace>/<name>/__init__.py` (`gitlint-core/gitlint/`)
    namespaced = any(f.count("/") == 2 and f.endswith(f"/{name}/__init__.py") for f in p.repo.files)
    if (
        name
        and not namespaced
        and not any(p.repo.exists(c) or c in p.repo.dir_set for c in candidates)
        and p.packaging.package_dirs
    ):
        found = ", ".join(sorted(p.packaging.package_dirs.values()))
        yield at_key(
            doc,
            f'hatchling finds no package named `{name}` and none is configured; set packages = ["{found.split(", ")[0]}"]',
            "project",
            "name",
        )


def _holds_packages(p: Project, folder: str) -> bool:
    """True for a folder of packages, such as `src`: packages inside it and no module of its own.

    A folder is a namespace package, which hatchling installs under its name as intended, when it
    has modules beside its subpackages (`beetsplug`) or when the code inside it imports it by name
    (`src/opentelemetry` holding `opentelemetry/trace/`, whose modules `import opentelemetry.…`).
    """
    prefix = folder + "/"
    depth = folder.count("/")
    inside = [f for f in p.repo.files if f.startswith(prefix) and f.endswith(".py")]
    if any(f.count("/") == depth + 1 for f in inside):
        return False
    root = folder.rsplit("/", 1)[-1]
    if any(
        i.level == 0 and i.module.split(".", 1)[0] == root
        for _, facts in p.sources.facts_for(inside)
        for i in facts.imports
    ):
        return False
    return any(f.endswith("/__init__.py") and f.count("/") == depth + 2 for f in inside)


def _setuptools_target(p: Project, doc: TomlDoc) -> Iterator[Violation]:
    tool = doc.table("tool", "setuptools")
    packages = tool.get("packages")
    package_dir = as_table(tool.get("package-dir"))
    root = str(package_dir.get("", "")).strip("/")
    if isinstance(packages, list):
        for name in (n for n in packages if isinstance(n, str)):
            folder = "/".join(filter(None, [root, name.replace(".", "/")]))
            if folder not in p.repo.dir_set:
                yield at_key(
                    doc,
                    f"setuptools package `{name}` has no folder `{folder}`",
                    "tool",
                    "setuptools",
                    "packages",
                )
    elif isinstance(packages, dict) and isinstance(packages.get("find"), dict):
        find = packages["find"]
        found = _find_packages(p, find)
        if not found:
            yield at_key(
                doc,
                "setuptools `packages.find` finds no package: the wheel would be empty",
                "tool",
                "setuptools",
                "packages",
                "find",
            )


def _find_packages(p: Project, find: dict[str, object]) -> list[str]:
    """Emulate setuptools' package discovery over the file list (namespace packages included)."""
    wheres = find.get("where", ["."])
    includes = find.get("include", ["*"])
    excludes = find.get("exclude", [])
    namespaces = find.get("namespaces", True)
    found = []
    for where in wheres if isinstance(wheres, list) else ["."]:
        base = str(where).strip("./")
        prefix = f"{base}/" if base else ""
        for folder in p.repo.dir_set:
            if not folder.startswith(prefix) or folder == base:
                continue
            dotted = folder[len(prefix) :].replace("/", ".")
            has_init = p.repo.exists(f"{folder}/__init__.py")
            if not (
                has_init
                or (
                    namespaces
                    and any(f.startswith(folder + "/") and f.endswith(".py") for f in p.repo.files)
                )
            ):
                continue
            if _matches(dotted, includes) and not _matches(dotted, excludes):
                found.append(dotted)
    return found


def _matches(name: str, patterns: object) -> bool:
    return isinstance(patterns, list) and any(
        fnmatch.fnmatchcase(name, str(pat)) for pat in patterns
    )


@rule(
    "PKG009",
    "version-source",
    source="PEP 621 (dynamic); Hatch versioning docs: https://hatch.pypa.io/latest/version/",
)
def version_source(p: Project) -> Iterator[Violation]:
    """The version is declared in two places that disagree, or its dynamic source is missing.

    ## What it does
    Compares `[project] version` with `__version__` in the package's `__init__.py`, and checks
    that a dynamic version's source (`[tool.hatch.version] path`, setuptools `attr`/`file`)
    exists; a hatchling metadata hook (`[tool.hatch.metadata.hooks.custom]`, a plug-in's hook)
    may set the version itself, and then hatchling needs no `[tool.hatch.version]`.

    ## Why it matters
    Two versions drift apart: the wheel says 1.2.0 while `example.__version__` says 1.1.0, and
    bug reports quote the wrong one. A missing source fails the build.

    ## Example
    ```toml
    [project]
    version = "1.2.0"   # while src/example/__init__.py says __version__ = "1.1.0"
    ```

    ## Use instead
    ```toml
    [project]
    dynamic = ["version"]

    [tool.hatch.version]
    path = "src/example/__init__.py"
    ```

    ## Fix
    Keep one source and derive the other (`importlib.metadata.version("example")`).
    """
    doc = p.repo.pyproject
    if doc is None or not p.packaging.has_project_table:
        return
    static = p.packaging.meta.get("version")
    if isinstance(static, str):
        for init in _init_files(p):
            found = re.search(
                r"^__version__\s*(?::\s*str\s*)?=\s*['\"]([^'\"]+)['\"]",
                p.repo.read(init) or "",
                re.M,
            )
            if found and found.group(1) != static:
                yield at_key(
                    doc,
                    f"[project] version {static} disagrees with __version__ {found.group(1)} in {init}",
                    "project",
                    "version",
                )
    if "version" not in p.packaging.dynamic:
        return
    for keys, path in _version_sources(p, doc):
        if path and not p.repo.exists(path):
            yield at_key(doc, f"dynamic version source `{path}` does not exist", *keys)
    hatch = doc.get("tool", "hatch")
    if (
        p.packaging.build_backend == "hatchling.build"
        and not isinstance(doc.get("tool", "hatch", "version"), dict)
        and not (isinstance(hatch, dict) and dotted_get(hatch, "metadata.hooks"))
    ):  # a metadata hook (`[tool.hatch.metadata.hooks.custom]`) may set the version itself
        yield at_key(
            doc,
            "`version` is dynamic but [tool.hatch.version] gives hatchling no source",
            "project",
            "dynamic",
        )


def _init_files(p: Project) -> list[str]:
    return [
        f"{d}/__init__.py"
        for d in p.packaging.package_dirs.values()
        if p.repo.exists(f"{d}/__init__.py")
    ]


def _version_sources(p: Project, doc: TomlDoc) -> Iterator[tuple[tuple[str, ...], str | None]]:
    hatch = doc.table("tool", "hatch", "version")
    if isinstance(hatch.get("path"), str) and hatch.get("source", "regex") == "regex":
        yield ("tool", "hatch", "version", "path"), hatch["path"]
    dynamic = doc.table("tool", "setuptools", "dynamic").get("version")
    if isinstance(dynamic, dict):
        keys = ("tool", "setuptools", "dynamic", "version")
        files = dynamic.get("file")
        for path in [files] if isinstance(files, str) else files if isinstance(files, list) else []:
            yield keys, str(path)
        attr = dynamic.get("attr")
        if isinstance(attr, str) and "." in attr:
            module = attr.rsplit(".", 1)[0]
            if _module_path(p, module) is None and module.split(".")[0] in p.packaging.package_dirs:
                yield keys, module.replace(".", "/") + ".py"


def _module_path(p: Project, module: str) -> str | None:
    """The file that holds a first-party module, looking where the packages live (src/, a
    configured folder such as lib/) and at the root."""
    rel = module.replace(".", "/")
    for base in _module_bases(p, module):
        for candidate in (f"{base}{rel}.py", f"{base}{rel}/__init__.py"):
            if p.repo.exists(candidate):
                return candidate
    return None


def _module_bases(p: Project, module: str) -> list[str]:
    """The folders a first-party module may live under, in order: where its top-level package
    is (src/, a configured folder such as lib/), `src/`, the root."""
    name = module.split(".", maxsplit=1)[0]
    top = p.packaging.package_dirs.get(name, "")
    return list(dict.fromkeys((top[: -len(name)] if "/" in top else "", "src/", "")))


def _in_namespace(p: Project, module: str) -> bool:
    """True when the deepest folder of `module` the project holds is a namespace package (no
    `__init__.py`): another distribution may provide the rest (`opentelemetry.exporter.otlp`
    naming a module that its `…-proto-grpc` dependency installs in the same namespace)."""
    parts = module.split(".")
    for base in _module_bases(p, module):
        folders = [f"{base}{'/'.join(parts[:end])}" for end in range(len(parts) - 1, 0, -1)]
        deepest = next((f for f in folders if f in p.repo.dir_set), None)
        if deepest is not None:
            return not p.repo.exists(f"{deepest}/__init__.py")
    return False


@rule(
    "PKG010",
    "entry-points",
    source="PEP 621 (scripts); entry points specification: https://packaging.python.org/en/latest/specifications/entry-points/",
)
def entry_points(p: Project) -> Iterator[Violation]:
    """A console script or entry point names a module or function that does not exist.

    ## What it does
    Resolves every `[project.scripts]`, `[project.gui-scripts]` and `[project.entry-points]`
    value that points into the project's own packages, and checks that the module file exists
    and defines the object. A module missing below a namespace package (a folder without
    `__init__.py`) is left alone: another distribution may install it there.

    ## Why it matters
    The wheel installs a command that crashes with `ModuleNotFoundError` or `AttributeError` the
    first time a user runs it; nothing fails at build time.

    ## Example
    ```toml
    [project.scripts]
    example = "example.cli:main"   # but cli.py defines `app`, not `main`
    ```

    ## Use instead
    ```toml
    [project.scripts]
    example = "example.cli:app"
    ```

    ## Fix
    Point at the real module and callable.
    """
    doc = p.repo.pyproject
    if doc is None:
        return
    for keys, target in p.packaging.entry_targets:
        module, _, attr = target.partition(":")
        module = module.strip()
        if module.split(".")[0] not in p.packaging.package_dirs:
            continue
        path = _module_path(p, module)
        if path is None:
            if not _in_namespace(p, module):
                yield at_key(doc, f"`{target}`: module `{module}` does not exist", *keys)
            continue
        name = attr.strip().split(".")[0].split("[")[0].strip()
        if name and not _defines(p.repo.read(path), name):
            yield at_key(doc, f"`{target}`: `{module}` does not define `{name}`", *keys)


def _defines(source: str | None, name: str) -> bool:
    """True when the module defines or imports `name` (or cannot be read well enough to say).

    Read as text, not parsed: a definition anywhere, at any depth, counts, which errs towards
    silence for names defined under `if`/`try` blocks.
    """
    if source is None or "__getattr__" in source:
        return True
    word = re.escape(name)
    pattern = rf"\b(def|class)\s+{word}\b|^\s*{word}\s*(:[^=\n]*)?=|\bimport\b[^\n]*\b{word}\b|\bas\s+{word}\b|^\s+{word},?\s*(#.*)?$|^from\s+\S+\s+import\s+\*"
    return re.search(pattern, source, re.M) is not None


@rule(
    "PKG011",
    "legacy-setup",
    source="Lesson: builds with python setup.py varied in time and hit system conflicts until python -m build isolated them; https://packaging.python.org/en/latest/discussions/setup-py-deprecated/",
)
def legacy_setup(p: Project) -> Iterator[Violation]:
    """`setup.py` repeats metadata beside `[project]`, or scripts still call `python setup.py`.

    ## What it does
    Reports a `setup.py` that passes metadata (`name=`, `version=`, `install_requires=`, …) while
    `[project]` exists and setuptools builds the project (another backend never runs setup.py;
    nothing after a module-level `sys.exit(…)` runs either), and `python setup.py
    sdist|bdist_wheel|install|develop|upload` in CI, Makefiles, tox/nox files, shell scripts,
    README and CONTRIBUTING.

    ## Why it matters
    Two sources of truth disagree sooner or later. Direct `setup.py` invocations are deprecated by
    setuptools, skip build isolation and are slower and less reproducible than `python -m build`.
    A `setup.py` that only builds C extensions is fine and is not reported.

    ## Example
    ```yaml
    - run: python setup.py sdist bdist_wheel
    ```

    ## Use instead
    ```yaml
    - run: python -m build
    ```

    ## Fix
    Move metadata into `[project]`; call `python -m build` and `pip install .`.
    """
    setup = p.repo.read("setup.py") if p.repo.exists("setup.py") else None
    if (
        setup is not None
        and p.packaging.has_project_table
        and p.packaging.build_backend in SETUPTOOLS_BACKENDS  # no other backend runs setup.py
    ):
        found = [(k, line) for k, line in setup_keywords(setup) if k in SETUP_FIELDS]
        duplicated = [name for name, _ in found if SETUP_FIELDS[name] not in p.packaging.dynamic]
        if duplicated:
            yield at_line(
                "setup.py",
                f"setup.py passes {', '.join(duplicated)}, which [project] in pyproject.toml declares (list it in `dynamic` if setup.py computes it)",
                next(line for name, line in found if name == duplicated[0]),
            )
    docs = [
        p.repo.first(n) for n in ("README.md", "README.rst", "CONTRIBUTING.md", "CONTRIBUTING.rst")
    ]
    for path in [*p.automation.paths, *filter(None, docs)]:
        if path in ("pyproject.toml", "setup.cfg"):
            continue
        for number, text in enumerate((p.repo.read(path) or "").splitlines(), start=1):
            match = LEGACY_COMMAND.search(text)
            if match and not _quoted_in_a_comment(text[: match.start()]):
                yield at_line(
                    path,
                    f"`{match.group(0)}` is deprecated: use `python -m build` / `pip install .`",
                    number,
                )


def _quoted_in_a_comment(before: str) -> bool:
    """True when the command follows words of a comment (`# note the extra `python2 setup.py
    bdist_wheel``), not a prompt: `# python setup.py install` is root's shell prompt."""
    return "#" in before and before.rsplit("#", 1)[1].strip() not in ("", "$")


@rule("PKG012", "py-typed", kinds="L", severity="I", fix="safe", source="PEP 561")
def py_typed(p: Project) -> Iterator[Violation]:
    """A typed library has no `py.typed` marker.

    ## What it does
    Reports a library that is type-annotated and type-checked but ships no `py.typed` file in its
    package.

    ## Why it matters
    Without the PEP 561 marker, mypy and pyright treat the installed package as untyped, so users
    get none of the annotations you maintain.

    ## Example
    ```text
    src/example/__init__.py   (annotated, mypy configured)
    ```

    ## Use instead
    ```text
    src/example/__init__.py
    src/example/py.typed
    ```

    ## Fix
    Safe: creates an empty `py.typed` in the package folder.
    """
    if not (p.tools.uses("mypy") or p.tools.uses("pyright")):
        return
    for name, folder in sorted(p.packaging.package_dirs.items()):
        if folder.endswith(".py") or p.repo.exists(f"{folder}/py.typed"):
            continue
        annotated = any(
            facts.has_arrows
            for _, facts in p.sources.facts_for(
                [f for f in p.packaging.package_files if f.startswith(folder + "/")]
            )
        )
        if annotated:
            yield at_line(
                f"{folder}/__init__.py",
                f"package `{name}` is annotated and type-checked but has no py.typed marker",
            )


@rule(
    "PKG013",
    "large-files",
    severity="W",
    source="Lesson: a 250 MB model file was committed without Git LFS, and GitHub rejected the push; Git LFS: https://git-lfs.com/",
)
def large_files(p: Project) -> Iterator[Violation]:
    """A very large file, or a model/weights file, is committed without Git LFS.

    ## What it does
    Reports tracked files over 50 MB, and model files (`.onnx .pt .pth .bin .safetensors .h5
    .ckpt`) over 1 MB, that `.gitattributes` does not route through Git LFS.

    ## Why it matters
    Every clone downloads every version forever; hosting services reject files over 100 MB and
    the history has to be rewritten to remove them.

    ## Example
    ```text
    models/detector.onnx   (180 MB, committed)
    ```

    ## Use instead
    ```text
    # .gitattributes
    *.onnx filter=lfs diff=lfs merge=lfs -text
    ```

    ## Fix
    `git lfs track "*.onnx"` and `git lfs migrate import --include="*.onnx"`, or download the
    model at run time.
    """
    files = p.repo.tracked if p.repo.tracked is not None else p.repo.files
    heavy = []
    root = str(p.root)
    for path in files:
        try:
            size = os.lstat(os.path.join(root, path)).st_size
        except OSError:
            continue
        if size > BIG_FILE or (size > BIG_MODEL and path.lower().endswith(MODEL_SUFFIXES)):
            heavy.append((path, size))
    if not heavy:
        return
    lfs = _lfs_patterns(p)
    for path, size in sorted(heavy):
        if lfs is None or not lfs.match(path):
            yield at_line(path, f"{size / 2**20:.1f} MB committed without Git LFS")


def _lfs_patterns(p: Project) -> GitignoreMatcher | None:
    """The `.gitattributes` patterns that put files in Git LFS, matched as git matches them."""
    from prodready.project.ignores import GitignoreMatcher

    lines = [
        line.split()[0]
        for line in (p.repo.read(".gitattributes") or "").splitlines()
        if p.repo.exists(".gitattributes")
        if "filter=lfs" in line and line.split()
    ]
    return GitignoreMatcher("\n".join(lines)) if lines else None


@rule("PKG014", "pyproject-schema", severity="E", source="validate-pyproject")
def pyproject_schema(p: Project) -> Iterator[Violation]:
    """`pyproject.toml` is not valid TOML, or breaks the PEP 621 / build-system schema.

    ## What it does
    Parses `pyproject.toml` and checks the types and names of `[project]`, `[build-system]` and
    `[dependency-groups]` fields, and that every requirement string is valid PEP 508.

    ## Why it matters
    Build backends reject these files with an error that appears only at build time; an unknown
    `[project]` key is usually a typo that silently drops metadata.

    ## Example
    ```toml
    [project]
    name = "example"
    authors = "Example Team"
    require-python = ">=3.10"
    ```

    ## Use instead
    ```toml
    [project]
    name = "example"
    authors = [{ name = "Example Team" }]
    requires-python = ">=3.10"
    ```

    ## Fix
    Correct the field as the message says. The other rules still run on what could be read.
    """
    if not p.repo.exists("pyproject.toml"):
        return
    doc = p.repo.pyproject
    if doc is None:
        problem = p.repo.read_problems.get("pyproject.toml", "cannot be read")
        yield at_line("pyproject.toml", f"pyproject.toml {problem}")
        return
    if doc.error:
        yield at_line("pyproject.toml", f"not valid TOML: {doc.error}", doc.error_line)
        return
    for keys, message in problems(doc.data, unknown_project_keys=_rejects_unknown_fields(p)):
        yield at_key(doc, message, *keys)


# Backends that refuse a `[project]` key PEP 621 does not define (setuptools validates the table
# with validate-pyproject, flit raises ConfigError); hatchling, pdm-backend, poetry-core and
# uv_build build the package and leave the key out. Without `[build-system]`, pip uses setuptools.
REJECTING_BACKENDS = ("setuptools", "flit_core", "flit.")


def _rejects_unknown_fields(p: Project) -> bool:
    backend = p.packaging.build_backend
    return backend is None or backend.startswith(REJECTING_BACKENDS)


@rule(
    "PKG015",
    "ignored-project-field",
    source="PEP 621; hatchling, pdm-backend, poetry-core and uv_build ignore unknown [project] keys",
)
def ignored_project_field(p: Project) -> Iterator[Violation]:
    """A `[project]` key no standard defines, which the build backend silently drops.

    ## What it does
    Reports `[project]` keys outside PEP 621 (`repository`, `homepage`, `include`) when the
    build backend builds the package anyway and leaves the key out: hatchling, pdm-backend,
    poetry-core, uv_build and backends prodready does not know. Where the backend refuses the
    file (setuptools, flit, or no `[build-system]`), PKG014 reports the key as an error instead.

    ## Why it matters
    The key says something the package's metadata never carries: the index shows no
    repository link, the sdist includes nothing more. It is usually poetry 1's `[tool.poetry]`
    layout moved into `[project]` by hand.

    ## Example
    ```toml
    [project]
    name = "example"
    homepage = "https://example.org"
    ```

    ## Use instead
    ```toml
    [project.urls]
    Homepage = "https://example.org"
    ```

    ## Fix
    Move URLs to `[project.urls]` and file selection to the backend's own `[tool]` table.
    """
    doc = p.repo.pyproject
    if doc is None or doc.error or _rejects_unknown_fields(p):
        return
    backend = p.packaging.build_backend or "the build backend"
    for key in unknown_project_fields(doc.data):
        message = f"`{key}` is no [project] field: {backend} leaves it out of the metadata"
        yield at_key(doc, message, "project", key)


# PEP 639 as the build backends read it, checked by building with each release named here:
# the distribution that provides each backend object, and the first release that accepts an
# SPDX `license` string and `license-files` as an array of globs (None: every release does;
# absent: no release refuses it, older ones ignore the key).
BACKEND_DISTRIBUTIONS = {
    None: "setuptools",  # without [build-system], pip builds with the newest setuptools
    "setuptools.build_meta": "setuptools",
    "setuptools.build_meta:__legacy__": "setuptools",
    "hatchling.build": "hatchling",
    "flit_core.buildapi": "flit-core",
    "pdm.backend": "pdm-backend",
    "poetry.core.masonry.api": "poetry-core",
    "uv_build": "uv-build",
}
SPDX_SINCE: dict[str, tuple[int, ...] | None] = {
    "setuptools": (77,),
    "hatchling": None,
    "flit-core": (3, 11),
    "pdm-backend": (2, 4),
    "uv-build": None,
}
LICENSE_FILES_SINCE: dict[str, tuple[int, ...] | None] = {
    "setuptools": (77,),
    "hatchling": (1, 26),
    "pdm-backend": (2, 4),
    "uv-build": None,
}
# Backends that refuse `license-files` beside a `license` table (from the release given on),
# an SPDX `license` beside a `License ::` classifier, and an expression that is not valid SPDX.
TABLE_WITH_FILES_REFUSED: dict[str, tuple[int, ...] | None] = {
    "setuptools": None,
    "flit-core": (3, 11),
    "pdm-backend": None,
    "poetry-core": (2, 2),
    "uv-build": None,
}
CLASSIFIER_REFUSED = ("setuptools", "flit-core", "pdm-backend")
INVALID_SPDX_REFUSED = ("setuptools", "hatchling", "flit-core", "uv-build")


@rule(
    "PKG016",
    "license-metadata",
    severity="E",
    source="PEP 639: https://peps.python.org/pep-0639/; License expression specification: https://packaging.python.org/en/latest/specifications/license-expression/",
    peers=("sp-repo-review:PP005",),
)
def license_metadata(p: Project) -> Iterator[Violation]:
    """The PEP 639 licence metadata is written in a form the build backend refuses.

    ## What it does
    Reads `[project] license`, `license-files` and the `License ::` classifiers, and the
    build backend with the releases `[build-system] requires` allows (an isolated build, as pip,
    `build` and uv make, installs the newest allowed). It reports only what the backend refuses,
    each checked by building with the backend's releases:

    - `license-files` beside the old table form `license = {text = ...}` / `{file = ...}`:
      setuptools, pdm-backend and uv_build refuse it, flit-core from 3.11 and poetry-core from
      2.2 (hatchling 1.26 and later builds it);
    - an SPDX `license` string beside a `License ::` classifier: setuptools (77 and later;
      older releases refuse the string itself), flit-core and pdm-backend refuse it;
    - a `license` string that is not a valid SPDX expression (`"Apache 2.0"`, `"GPLv3"`):
      setuptools, hatchling, flit-core and uv_build refuse it; uv_build also refuses an
      identifier spelt in another case (`mit`) or deprecated (`GPL-3.0`);
    - a backend release too old for the form used: an SPDX string needs setuptools 77,
      flit-core 3.11 or pdm-backend 2.4; `license-files` as an array needs setuptools 77,
      hatchling 1.26 or pdm-backend 2.4; reported when `requires` allows no such release
      (`setuptools<70`, `hatchling==1.25.0`).

    Without `[build-system]`, pip builds with setuptools. It stays quiet on what the backend
    builds: hatchling, poetry-core and uv_build accept a classifier beside an SPDX string
    (sp-repo-review PP005 asks to drop it, as PEP 639 deprecates the classifiers),
    poetry-core and pdm-backend write an invalid expression as given, and a floor that also
    allows older releases (`setuptools>=61`) builds in isolation. `license` listed in `dynamic`,
    backends not named here and setup.cfg's `license_files` are left alone.

    ## Why it matters
    The build stops with `configuration error: project.license must be string` or
    `InvalidConfigError: License classifiers have been superseded by license expressions`:
    nothing can be installed from the source, and a release job fails at the last step.
    PEP 639 lets backends refuse these forms, and most do.

    ## Example
    ```toml
    [project]
    license = { text = "MIT" }
    license-files = ["LICENSE"]
    classifiers = ["License :: OSI Approved :: MIT License"]
    ```

    ## Use instead
    ```toml
    [project]
    license = "MIT"
    license-files = ["LICENSE"]
    ```

    ## Fix
    Write the licence as an SPDX expression string (`license = "MIT"`), drop the `License ::`
    classifiers, and raise the backend's floor in `[build-system] requires` (`setuptools>=77`,
    `hatchling>=1.26`, `flit-core>=3.11`, `pdm-backend>=2.4`).
    """
    doc = p.repo.pyproject
    if doc is None or doc.error or not p.packaging.has_project_table:
        return
    backend = p.packaging.build_backend
    if backend not in BACKEND_DISTRIBUTIONS or "license" in p.packaging.dynamic:
        return
    meta = p.packaging.meta
    license_value, files = meta.get("license"), meta.get("license-files")
    if not (isinstance(license_value, str) or isinstance(files, list)):
        return  # the old table form alone, or no licence: every backend builds it
    dist = BACKEND_DISTRIBUTIONS[backend]
    requirement = _build_requirement(p, dist)
    name = f"{dist}{requirement}" if requirement else dist
    if (
        isinstance(license_value, dict)
        and isinstance(files, list)
        and dist in TABLE_WITH_FILES_REFUSED
        and _refuses(requirement, TABLE_WITH_FILES_REFUSED[dist])
    ):
        yield at_key(
            doc,
            f"{name} refuses `license-files` beside a `license` table: write `license` as an SPDX expression string",
            "project",
            "license",
        )
    if isinstance(license_value, str):
        yield from _expression_problems(p, doc, license_value, dist, requirement)
    if isinstance(files, list):
        since = LICENSE_FILES_SINCE.get(dist)
        if since is not None and not _admits_from(requirement, since):
            yield at_key(
                doc,
                f"`license-files` as an array needs {dist}>={_dotted(since)}, which {name} does not allow",
                "project",
                "license-files",
            )


def _expression_problems(
    p: Project, doc: TomlDoc, expression: str, dist: str, requirement: str
) -> Iterator[Violation]:
    """What the backend refuses about an SPDX `license` string and the classifiers beside it."""
    name = f"{dist}{requirement}" if requirement else dist
    since = SPDX_SINCE.get(dist)
    if since is not None and not _admits_from(requirement, since):
        yield at_key(
            doc,
            f"`license` is an SPDX expression, which {name} does not accept: it needs {dist}>={_dotted(since)}",
            "project",
            "license",
        )
        return
    classifiers = p.packaging.meta.get("classifiers")
    licence_classifiers = [
        c for c in classifiers or [] if isinstance(c, str) and c.startswith("License ::")
    ]
    if licence_classifiers and dist in CLASSIFIER_REFUSED:
        yield at_key(
            doc,
            f"{name} refuses `License ::` classifiers beside the SPDX `license`: drop {licence_classifiers[0]!r}",
            "project",
            "classifiers",
        )
    problem = _spdx_problem(expression, dist)
    if problem is not None:
        yield at_key(doc, f"{name} refuses `license`: {problem}", "project", "license")


def _refuses(requirement: str, since: tuple[int, ...] | None) -> bool:
    """True when the release an isolated build installs refuses the form (`since`: the first
    release that does; None: every release)."""
    return since is None or _admits_from(requirement, since)


def _dotted(release: tuple[int, ...]) -> str:
    return ".".join(map(str, release))


BUILD_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^;@]*)")


def _build_requirement(p: Project, dist: str) -> str:
    """The version specifier `[build-system] requires` gives the backend's distribution (empty
    without one: the newest release). Read with a pattern, not `packaging`, which this rule
    would otherwise import on every run."""
    doc = p.repo.pyproject
    requires = doc.get("build-system", "requires") if doc is not None else None
    for value in requires if isinstance(requires, list) else []:
        match = BUILD_REQUIREMENT.match(value) if isinstance(value, str) else None
        if match and re.sub(r"[-_.]+", "-", match.group(1)).lower() == dist:
            return match.group(2).strip().strip("()").replace(" ", "")
    return ""


def _admits_from(specifier: str, release: tuple[int, ...]) -> bool:
    """True when `specifier` allows some final release at or after `release`: the admitted
    versions change only at the versions the clauses name, so those, one step past each, and
    a far-off release are enough to ask."""
    clauses = plain_clauses(specifier)
    if clauses is not None:
        candidates = [release, (9999,)]
        for _, named, _ in clauses:
            candidates += [named, (*named, 1), (named[0] + 1,)]
        return any(c >= release and admits(clauses, c) for c in candidates)
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import Version

    try:
        spec = SpecifierSet(specifier)
    except InvalidSpecifier:
        return True  # PKG014 reports it
    floor = Version(_dotted(release))
    versions = [floor, Version("9999")]
    for clause in spec:
        written = Version(clause.version.removesuffix(".*"))
        versions += [
            written,
            Version(_dotted((*written.release, 1))),
            Version(f"{written.release[0] + 1}"),
        ]
    return any(v >= floor and spec.contains(v) for v in versions)


# Expressions of the most used identifiers, spelt as the SPDX list spells them, which every
# backend accepts: the rule answers them without loading the list.
COMMON_EXPRESSION = re.compile(
    r"^(?:MIT|Apache-2\.0|BSD-[23]-Clause|ISC|MPL-2\.0|Unlicense|0BSD|CC0-1\.0|PSF-2\.0|Zlib"
    r"|BSL-1\.0|(?:A|L)?GPL-[23]\.0-(?:only|or-later)|LGPL-2\.1-(?:only|or-later)|EUPL-1\.2)"
    r"(?: (?:AND|OR) (?:MIT|Apache-2\.0|BSD-[23]-Clause|ISC|MPL-2\.0))*$"
)


def _spdx_problem(expression: str, dist: str) -> str | None:
    """Why the backend refuses `expression` as an SPDX licence expression (None: it accepts)."""
    if dist not in INVALID_SPDX_REFUSED or COMMON_EXPRESSION.match(expression):
        return None
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    try:
        canonical = canonicalize_license_expression(expression)
    except InvalidLicenseExpression:
        return f"{expression!r} is not a valid SPDX license expression (an SPDX identifier such as `Apache-2.0`, or `LicenseRef-...`)"
    if dist != "uv-build":
        return None
    return _strict_spdx_problem(expression, canonical)


SPDX_TOKEN = re.compile(r"[A-Za-z0-9.+-]+")
SPDX_WORDS = frozenset({"AND", "OR", "WITH"})


def _strict_spdx_problem(expression: str, canonical: str) -> str | None:
    """uv_build reads the expression strictly: identifiers in the list's own case, none that
    the SPDX list deprecates (`GPL-3.0`, whose replacements are `GPL-3.0-only`/`-or-later`)."""
    try:
        from packaging.licenses._spdx import LICENSES
    except ImportError:  # pragma: no cover - a packaging without the list
        LICENSES = {}
    written = [t for t in SPDX_TOKEN.findall(expression) if t.upper() not in SPDX_WORDS]
    wanted = [t for t in SPDX_TOKEN.findall(canonical) if t.upper() not in SPDX_WORDS]
    for token, right in zip(written, wanted, strict=False):
        if token.startswith("LicenseRef-") or token.lower().startswith("licenseref-"):
            continue
        if token != right:
            return f"write the identifier `{token}` as the SPDX list does: `{right}`"
        entry = LICENSES.get(token.lower().removesuffix("+"))
        if entry is not None and entry["deprecated"]:
            return f"`{token}` is deprecated in the SPDX list: use its `-only` or `-or-later` form"
    return None


# A clause that puts a ceiling on the Python versions (`<3.13`, `<=3.12`, `~=3.10`, `==3.11.*`,
# poetry's `^3.9`); `!=3.9.*` leaves out one release and is no ceiling.
PYTHON_CAP = re.compile(r"^\s*(<=?|~=|===?|\^)\s*\d")


@rule(
    "PKG017",
    "requires-python-cap",
    kinds="L",
    severity="W",
    source="Should You Use Upper Bound Version Constraints?: https://iscinumpy.dev/post/bound-version-constraints/; sp-repo-review PP004",
    peers=("sp-repo-review:PP004",),
)
def requires_python_cap(p: Project) -> Iterator[Violation]:
    """A library caps the Python versions it installs on (`requires-python = ">=3.10,<3.13"`).

    ## What it does
    Reports a library whose `requires-python` (or poetry's `[tool.poetry.dependencies] python`)
    has an upper bound: `<`, `<=`, `~=`, `==3.11.*`, or poetry's `^` and `~`. A `!=` that leaves
    out one release is not a cap. Applications and services, which nothing depends on, are
    left alone, and so is a program whose README or installation page (`docs/installation.md`)
    installs it as a tool (`pipx install jrnl`, `uv tool install posting`) before any `pip
    install` of it: in an environment of its own, nothing depends on it either.

    ## Why it matters
    `requires-python` is not a statement of what was tested, it is what installers solve with.
    On a Python above the cap, pip does not fail: it goes back to the newest older release
    without the cap, which installs and then breaks. Locking resolvers (poetry, pdm) refuse a
    dependent project whose own range is wider, so every project that depends on the library
    has to copy the cap. Upper bounds on Python are almost never right (see "Should You Use
    Upper Bound Version Constraints?"): say what you test with classifiers, and fail with a
    clear message at import if a version is known to be broken.

    ## Example
    ```toml
    [project]
    requires-python = ">=3.10,<3.13"
    ```

    ## Use instead
    ```toml
    [project]
    requires-python = ">=3.10"
    classifiers = ["Programming Language :: Python :: 3.12"]
    ```

    ## Fix
    Keep only the lower bound (`>=3.10`); for poetry, `python = ">=3.10"`.
    """
    doc = p.repo.pyproject
    if doc is None or doc.error or p.packaging.tool_install_page:
        return
    keys: tuple[str, ...] = ("project", "requires-python")
    value = p.packaging.meta.get("requires-python") if p.packaging.has_project_table else None
    if value is None:
        keys = ("tool", "poetry", "dependencies", "python")
        value = doc.get(*keys)
    if not isinstance(value, str):
        return
    caps = [clause.strip() for clause in value.split(",") if PYTHON_CAP.match(clause)]
    if keys[0] == "tool":  # poetry's `~3.9` is `>=3.9,<3.10`; `||` joins ranges
        caps += [c.strip() for c in re.split(r",|\|\|", value) if re.match(r"^\s*~\d", c)]
    if caps:
        where = "requires-python" if keys[0] == "project" else "poetry's python"
        yield at_key(
            doc,
            f"{where} `{value}` caps Python with `{caps[0]}`: above it, installers fall back to an older release and dependents must copy the cap; keep only the lower bound",
            *keys,
        )
