"""GIT: repository hygiene — ignore what is generated, commit nothing that is built."""

from __future__ import annotations

import re
from collections.abc import Iterator

from prodready.findings import Kind, Violation, at_line
from prodready.project import Project
from prodready.project.paths import in_template, in_test_folder
from prodready.project.requirements import names_in_requirements_text
from prodready.rules import rule

SECRETS_IN_ENV = frozenset(
    {"python-dotenv", "pydantic-settings", "django-environ", "environs", "dynaconf"}
)


def _entries_for(p: Project) -> list[tuple[str, str]]:
    """The entries this project needs, each with a path the entry must cover.

    Only what the project's own tools produce: coverage data when coverage runs (`htmlcov/` when
    something makes the HTML report), `.venv/` unless the environment ignores itself (uv,
    virtualenv, and `venv` from Python 3.13 write their own `.gitignore`), `build/` and
    `*.egg-info/` with setuptools, `.env` where settings come from the environment. The caches of
    pytest, mypy and ruff write their own `.gitignore` when created, so they need no entry.
    """
    entries = [
        ("__pycache__/", "pkg/__pycache__/mod.cpython-312.pyc"),
        ("*.py[cod]", "pkg/mod.pyc"),
    ]
    if _builds_distributions(p):
        entries.append(("dist/", "dist/example-1.0.tar.gz"))
    if not _venv_ignores_itself(p):
        entries.append((".venv/", ".venv/bin/python"))
    if p.tools.uses("coverage"):
        if not COVERAGE_FILE.search(_coverage_texts(p)):
            entries.append((".coverage", ".coverage"))
        if _html_coverage(p) and not HTML_DIRECTORY.search(_coverage_texts(p)):
            entries.append(("htmlcov/", "htmlcov/index.html"))
    if p.repo.exists("setup.py") or (p.packaging.build_backend or "").startswith("setuptools"):
        # setuptools keeps the name's case (`PyMySQL.egg-info`), other characters become `_`
        declared = p.packaging.declared.get("name")
        name = re.sub(r"[^A-Za-z0-9.]+", "_", declared if isinstance(declared, str) else "example")
        base = (
            "src/" if any(d.startswith("src/") for d in p.packaging.package_dirs.values()) else ""
        )
        entries += [
            ("build/", "build/lib/example.py"),
            ("*.egg-info/", f"{base}{name}.egg-info/PKG-INFO"),
        ]
    if p.kind is Kind.SERVICE or _reads_env_file(p):
        entries.append((".env", ".env"))
    return [(_anchored(p, entry), sample) for entry, sample in entries]


ENV_EXAMPLES = (".env.example", "*/.env.example", ".env.sample", ".env.template")
COMPOSE_FILES = ("docker-compose*.y*ml", "compose*.y*ml")  # compose reads `.env` beside them


def _reads_env_file(p: Project) -> bool:
    """True when something reads a `.env` file: a library that loads one (python-dotenv,
    pydantic-settings, django-environ, environs, dynaconf), docker compose at the root of an
    application, or an example `.env` to copy. An application that only reads its environment
    (direnv's `.envrc`, the platform's variables) writes none."""
    declared = {d.name for d in p.packaging.runtime_deps}
    declared |= names_in_requirements_text(p.repo.read("requirements.txt") or "")
    # a template's files (`{{cookiecutter.app_name}}/.env.example`) are another project's
    composed = p.kind is not Kind.LIBRARY and _outside_templates(p.repo.glob(*COMPOSE_FILES))
    examples = _outside_templates(p.repo.glob(*ENV_EXAMPLES))
    return bool(SECRETS_IN_ENV & declared or examples or composed)


def _outside_templates(paths: list[str]) -> list[str]:
    return [path for path in paths if not in_template(path)]


ROOT_OUTPUT = ("dist/", "build/", "htmlcov/")


def _anchored(p: Project, entry: str) -> str:
    """`/dist/` instead of `dist/` when the repository keeps files in a folder of that name
    deeper down (a web component's bundled `dist/`): the tools write only the root one, and the
    unanchored entry would hide new files of the others."""
    if entry not in ROOT_OUTPUT:
        return entry
    nested = f"/{entry}"
    return (
        nested
        if any(nested in f"/{path}" and not path.startswith(entry) for path in p.repo.files)
        else entry
    )


HTML_COVERAGE = re.compile(
    r"""cov-report["',= ]+html|coverage["', ]+html\b|\[(?:tool\.coverage\.|coverage:)?html\]|htmlcov""",
    re.I,
)
# the HTML report written elsewhere: `[tool.coverage.html] directory = "parts/htmlcov"`
HTML_DIRECTORY = re.compile(
    r"\[(?:tool\.coverage\.html|coverage:html|html)\][^\[]*?^[ \t]*directory[ \t]*="
    # or on the command line: `coverage html -d {work_dir}/htmlcov`, `--cov-report=html:out`
    # (in a TOML list too: `["coverage", "html", "-d", ...]`, `"--cov-report", "html:out"`)
    r"""|coverage["', \t]+html\b[^\n]*?["' \t](?:-d|--directory)\b|cov-report["',= \t]+html:""",
    re.M | re.S,
)
COVERAGE_FILES = (
    ".coveragerc",
    "setup.cfg",
    "tox.ini",
    "tox.toml",
    "noxfile.py",
    "Makefile",
    "pyproject.toml",
)


# coverage's data file moved elsewhere (`COVERAGE_FILE={toxworkdir}/.coverage`, `data_file`)
COVERAGE_FILE = re.compile(r"COVERAGE_FILE|^[ \t]*data_file[ \t]*=", re.M)


def _coverage_texts(p: Project) -> str:
    """The automation and the files that configure or run coverage, as one text."""
    files = (p.repo.read(f) or "" for f in COVERAGE_FILES if p.repo.exists(f))
    return "\n".join([p.automation.text, *files])


def _html_coverage(p: Project) -> bool:
    """True when something makes coverage's HTML report (`htmlcov/`)."""
    return HTML_COVERAGE.search(_coverage_texts(p)) is not None


def _builds_distributions(p: Project) -> bool:
    """True when the project can be built into a wheel or sdist (which land in `dist/`): it has
    a `[build-system]` or `[project]` table, a setup.py, or a setup.cfg with package metadata.
    An application run from its requirements and its source builds nothing."""
    return not p.packaging.not_packaged and bool(
        p.packaging.has_project_table
        or p.packaging.build_backend
        or p.repo.exists("setup.py")
        or SETUP_CFG_METADATA.search(p.repo.read("setup.cfg") or "")
    )


# a setup.cfg that describes a package (not one that only configures flake8 or pytest)
SETUP_CFG_METADATA = re.compile(r"^\[(?:metadata|options)\]", re.M)


def _venv_ignores_itself(p: Project) -> bool:
    """True when the virtual environment the project makes writes its own `.gitignore`: uv
    and virtualenv always do, and `python -m venv` from Python 3.13 on."""
    oldest = p.packaging.min_python
    uses_uv = p.repo.exists("uv.lock") or re.search(r"\buv (sync|venv|run)\b", p.automation.text)
    return bool(uses_uv) or (oldest is not None and oldest >= (3, 13))


def missing_entries(p: Project) -> list[str]:
    """The entries the project needs that its ignore files do not cover (all without a file)."""
    entries = _entries_for(p)
    if not p.repo.exists(".gitignore"):
        return [entry for entry, _ in entries if entry != "*.py[cod]"]
    ignored = p.repo.ignored([sample for _, sample in entries])
    missing = [entry for entry, sample in entries if sample not in ignored]
    if "__pycache__/" not in missing and "*.py[cod]" in missing:
        missing.remove("*.py[cod]")  # Python 3 writes byte code only inside __pycache__/
    return missing


FIXTURE = re.compile(r"(^|/)(tests?|testing|fixtures|testdata|test_data)/")
ARTEFACT = re.compile(
    r"(^|/)(__pycache__/|[^/]+\.py[co]$|[^/]+\.egg-info/|\.coverage$|\.coverage\.[^/]+$)|^(dist|htmlcov)/"
)


@rule(
    "GIT001",
    "gitignore-entries",
    fix="safe",
    source="Lesson: without a proper .gitignore, git add . committed __pycache__, .pytest_cache and caches; https://github.com/github/gitignore/blob/main/Python.gitignore",
)
def gitignore_entries(p: Project) -> Iterator[Violation]:
    """`.gitignore` is missing, or lacks common Python entries.

    ## What it does
    Asks the repository's ignore rules whether byte code and `.venv/` would be ignored, and,
    where the project produces them, `dist/` (when it has packaging metadata to build), coverage
    data (when coverage runs and writes it to the default `.coverage`), `build/` and
    `*.egg-info/` (with setuptools) and `.env` (services, and wherever something reads one:
    python-dotenv, pydantic-settings, django-environ, environs or dynaconf, docker compose, or
    an example `.env` to copy). The HTML report counts only when written to `htmlcov/`
    (not with `[html] directory`, `coverage html -d`, `--cov-report=html:DIR`). Where the
    repository keeps files in a deeper folder of the same name (a component's bundled `dist/`),
    the entry asked for is anchored to the root (`/dist/`), so it hides nothing of theirs.

    ## Why it matters
    Without them `git add .` commits caches, build output and secrets.

    ## Example
    ```text
    # .gitignore
    *.log
    ```

    ## Use instead
    ```text
    __pycache__/
    *.py[cod]
    .coverage
    htmlcov/
    dist/
    build/
    *.egg-info/
    .env
    .venv/
    ```

    ## Fix
    Safe: appends the missing entries.
    """
    if p.packaging.only_members:
        return  # the Python lives in member projects, each with its own ignore rules
    missing = tuple(missing_entries(p))
    if not p.repo.exists(".gitignore"):
        yield Violation("no .gitignore: caches, builds and secrets will be committed", data=missing)
    elif missing:
        message = f".gitignore does not cover {', '.join(missing)}"
        yield Violation(message, ".gitignore", 1, 1, data=missing)


@rule(
    "GIT002",
    "artefacts-tracked",
    source="Lesson: git add . committed __pycache__, .pytest_cache and TensorRT engine caches into the repository.",
)
def artefacts_tracked(p: Project) -> Iterator[Violation]:
    """Build or cache artefacts are tracked by git.

    ## What it does
    Reports tracked `__pycache__/`, `*.pyc`, `*.egg-info/`, `.coverage`, `dist/` and `htmlcov/`
    files.

    ## Why it matters
    They change on every run, bloat the history, cause merge conflicts, and can ship stale code.

    ## Example
    ```text
    src/example/__pycache__/core.cpython-312.pyc   (tracked)
    ```

    ## Use instead
    ```text
    (ignored, never committed)
    ```

    ## Fix
    `git rm -r --cached` them and add the entries to `.gitignore`.
    """
    if p.repo.tracked is None:
        return
    found = sorted(
        path for path in p.repo.tracked if ARTEFACT.search(path) and not FIXTURE.search(path)
    )
    for path in found[:20]:
        yield at_line(path, f"{path} is a generated artefact tracked by git")
    if len(found) > 20:
        yield Violation(f"{len(found) - 20} more generated artefacts are tracked by git")


# The compiled files OpenSSF Scorecard's Binary-Artifacts check counts (less `.pyc`/`.pyo`,
# which GIT002 reports), with the Python ones it lacks: `.pyd` (an extension module for
# Windows), static libraries, `.war` and `.egg`.
BINARY_SUFFIX = re.compile(
    r"\.(?:crx|deb|dex|dey|elf|o|so(?:\.\d+)*|iso|class|jar|war|bundle|dylib|lib|a|msi|dll"
    r"|drv|efi|exe|ocx|par|rpm|whl|egg|pyd)$",
    re.IGNORECASE,
)
GRADLE_WRAPPER = "gradle/wrapper/gradle-wrapper.jar"
# Native code, which runs when loaded; the other suffixes are archives and packages.
NATIVE_SUFFIX = re.compile(
    r"\.(?:exe|dll|so(?:\.\d+)*|dylib|pyd|o|a|lib|elf|efi|drv|ocx)$", re.IGNORECASE
)


@rule(
    "GIT003",
    "binary-artefacts",
    severity="W",
    source="OpenSSF Scorecard Binary-Artifacts: https://github.com/ossf/scorecard/blob/main/docs/checks.md#binary-artifacts",
    peers=("scorecard:Binary-Artifacts",),
)
def binary_artefacts(p: Project) -> Iterator[Violation]:
    """An executable or compiled file is committed to the repository.

    ## What it does
    Reports tracked files with the suffixes Scorecard's Binary-Artifacts check counts
    (`.exe .dll .so .dylib .o .a .lib .class .jar .war .whl .egg .pyd .msi .deb .rpm` and the
    like) whose content is binary, not text: a Git LFS pointer or a text file so named is not
    reported. Byte code and `dist/` are GIT002's; `gradle/wrapper/gradle-wrapper.jar` is left
    alone when a workflow validates it (`gradle/actions/wrapper-validation`), as Scorecard does.
    Under test folders (`tests/`, `fixtures/`) only native code is reported (`.so .dll .exe
    .dylib .pyd` and the like), since a library a test loads runs in CI like any other code;
    the wheels, eggs and archives an installer's tests install or unpack are their input
    (Scorecard reports those too).
    Scorecard also reads the content of every file for a binary's signature; prodready goes by
    the suffix, so an extensionless executable is not seen.

    ## Why it matters
    Nobody can review a compiled file: what it does is whatever the person who built it put
    in, and it runs with the permissions of whoever uses it, CI and its secrets included. A
    compromised account or a careless commit hides there best. Binaries also bloat every clone.

    ## Example
    ```text
    libs/fastmath.so   (committed)
    ```

    ## Use instead
    ```text
    build it from source in CI, or download a released file and check its hash
    ```

    ## Fix
    `git rm --cached` the file, build it from its source (or fetch a pinned, checksummed
    release), and ignore it.
    """
    if p.repo.tracked is None:
        return
    validated = "wrapper-validation" in p.automation.text
    found = []
    for path in sorted(p.repo.tracked):
        if not BINARY_SUFFIX.search(path) or ARTEFACT.search(path):
            continue
        if path.endswith(GRADLE_WRAPPER) and validated:
            continue
        if in_test_folder(path) and not NATIVE_SUFFIX.search(path):
            continue  # a wheel or an archive a test installs or unpacks is its input
        head = p.repo.head(path)
        if head and _binary(head):
            found.append(path)
    for path in found[:20]:
        what = "compiled code" if NATIVE_SUFFIX.search(path) else "a binary package"
        yield at_line(path, f"{path} is {what} committed to git: no diff shows what it holds")
    if len(found) > 20:
        yield Violation(f"{len(found) - 20} more binaries are committed to git")


def _binary(head: bytes) -> bool:
    """True when the start of a file is not text: a NUL byte, or bytes that are not UTF-8."""
    if b"\0" in head:
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start < len(head) - 4  # a character cut at the end of the sample is text
    return False
