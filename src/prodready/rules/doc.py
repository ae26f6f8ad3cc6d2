"""DOC: documentation — a README that gets people started, a changelog, a licence, a guide."""

from __future__ import annotations

import re
from collections.abc import Iterator

from prodready.findings import Violation, at_line
from prodready.project import Project
from prodready.rules import rule
from prodready.rules._tests import test_data_reader

README_NAMES = ("README.md", "README.rst", "README.txt", "README", "README.markdown", "readme.md")
CONTRIBUTING_NAMES = (
    "CONTRIBUTING.md",
    "CONTRIBUTING.rst",
    "CONTRIBUTING.txt",
    "CONTRIBUTING",
    ".github/CONTRIBUTING.md",
    ".github/CONTRIBUTING.rst",
    "docs/CONTRIBUTING.md",
    "docs/contributing.md",
    "docs/contributing.rst",
    "docs/development.md",
    "docs/development.rst",
    "docs/source/contributing.rst",
    "docs/src/contributing.md",
    "docs/contributing/index.md",
    "CONTRIBUTING.markdown",
)
CHANGELOG = re.compile(
    r"^(docs?/)?(source/)?(changelog|changes|history|news|release[-_]?notes|whatsnew)(\.\w+)?$",
    re.I,
)
LICENSE = re.compile(r"^(licen[cs]e|copying)([-_.]\w+)*$", re.I)
INSTALL = re.compile(
    r"pip install|uv (add|pip install|tool install)|pipx install|conda install|poetry add|\binstall",
    re.I,
)
USAGE = re.compile(
    r"usage|example|quick ?start|getting started|tutorial|>>> |\.\. code|documentation"
    r"|```(?:python|py|pycon|console|bash|sh|shell|yaml|yml|toml|ini)\b"
    r"|^#{1,6}[^\n]*\b(?:using|use|how to|running)\b",  # `# Using X as a GitHub Action`
    re.I | re.M,
)
TESTS = re.compile(r"pytest|\btox\b|\bnox\b|unittest|\btests?\b|make test|hatch test", re.I)


def readme_path(p: Project) -> str | None:
    """The README: the one `[project] readme` names, else where GitHub shows one from (the
    root, `.github/`, `docs/`), whatever its suffix."""
    declared = p.packaging.meta.get("readme")
    if isinstance(declared, dict):
        declared = declared.get("file")
    if isinstance(declared, str) and p.repo.exists(declared):
        return declared
    return p.repo.first(*README_NAMES) or p.repo.first(
        *(f"{folder}/{name}" for folder in (".github", "docs") for name in README_NAMES)
    )


LINK = re.compile(
    r"\]\(([^)#\s]+)[^)]*\)|<([^>\s]+\.(?:md|rst|txt))>|:doc:`([^`]+)`"
    r"|^\.\. _[^:\n]+:[ \t]*(\S+)"  # a reStructuredText link target
    r"|`[^`<]*<(https?://[^>\s]+)>`_",  # and an inline reStructuredText link
    re.M,
)
TESTING_NAMES = ("README.unittests.rst", "README.unittests.md", "TESTING.md", "TESTING.rst")
# the repository's instructions for coding agents, which say how to run the tests as well
AGENT_NAMES = ("AGENTS.md", "CLAUDE.md", ".github/copilot-instructions.md")


def _says_how_to_test(p: Project, readme: str, text: str) -> bool:
    """True when the README, the contributing guide, a testing guide at the root, the agents'
    instructions, or a local page one of them links to, says how to run the tests."""
    if TESTS.search(text):
        return True
    guides = sorted(
        p.repo.glob("docs/*contributing*.md", "docs/*contributing*.rst", "doc/*contributing*.rst"),
        key=len,
    )
    pages = [
        p.repo.first(*CONTRIBUTING_NAMES) or (guides[0] if guides else None),
        p.repo.first(*TESTING_NAMES),
        p.repo.first(*AGENT_NAMES),
    ]
    linked = [_linked(p, readme, text)]
    for page in filter(None, pages):
        body = p.repo.read(page) or ""
        if TESTS.search(body):
            return True
        linked.append(_linked(p, page, body))
    return any(TESTS.search(p.repo.read(page) or "") for pages in linked for page in pages[:10])


def _linked(p: Project, source: str, text: str) -> list[str]:
    """The repository's own pages a document links to (relative links, resolved)."""
    import posixpath

    folder = posixpath.dirname(source)
    found: list[str] = []
    for match in LINK.finditer(text):
        target = next(g for g in match.groups() if g)
        if "://" in target:
            found.extend(_hosted_source(p, target))
            continue
        if target.startswith("mailto:"):
            continue
        path = posixpath.normpath(posixpath.join(folder, target.lstrip("/")))
        candidates = (
            [path, f"{path}.rst", f"{path}.md"] if "." not in path.rsplit("/", 1)[-1] else [path]
        )
        found.extend(c for c in candidates if not c.startswith("..") and p.repo.exists(c))
    return found


DOCS_FOLDERS = ("docs", "doc", "docs/source", "docs/src", "doc/source")


HOSTING_PARTS = re.compile(r"^(?:en|latest|stable|main|master|v?\d+(?:\.\d+)*)$")


def _hosted_source(p: Project, address: str) -> list[str]:
    """The repository's source of a page of its hosted documentation: a link to
    `https://x.readthedocs.io/en/latest/development.html` is `docs/development.rst`, one to
    `https://x.org/community/contributing/` is `docs/community/contributing.md`."""
    import posixpath

    page = address.split("#", 1)[0].split("?", 1)[0].split("://", 1)[-1]
    parts = [part for part in page.split("/")[1:] if part and not HOSTING_PARTS.match(part)]
    if not parts:
        return []
    parts[-1] = posixpath.splitext(parts[-1])[0] if parts[-1].endswith(".html") else parts[-1]
    path = "/".join(parts)
    names = [
        f"{folder}/{path}{suffix}"
        for folder in DOCS_FOLDERS
        for suffix in (".rst", ".md", "/index.rst", "/index.md")
    ]
    found = [name for name in names if p.repo.exists(name)]
    # a section's index lists its pages (`toctree`): they are part of what the link shows
    sections = {posixpath.dirname(f) for f in found if posixpath.basename(f).startswith("index.")}
    for section in sorted(sections):
        found += p.repo.glob(f"{section}/*.rst", f"{section}/*.md")
    return found


@rule(
    "DOC001",
    "readme",
    source="Lesson: the docs drifted out of step with the code, and the README was refocused on getting started; sp-repo-review PY002",
    peers=("sp-repo-review:PY002",),
)
def readme(p: Project) -> Iterator[Violation]:
    """The README is missing, or does not say how to install, use and test the project.

    ## What it does
    Looks for the README (the file `[project] readme` names, else one at the root, in
    `.github/` or in `docs/`, where GitHub shows it from) and, in it, install instructions and
    usage (a section or a code example); test instructions, where there are tests, may be in
    the README, the contributing guide, a testing guide (`README.unittests.rst`, `TESTING.md`),
    the instructions for coding agents (`AGENTS.md`, `CLAUDE.md`), or a page of
    the repository one of those links to (directly, or through the address of the hosted
    documentation built from it: `…/en/latest/development.html` is `docs/development.rst`).

    ## Why it matters
    The README is the first page on the index and on the forge; a user who cannot install the
    package in a minute leaves, and a contributor who cannot run the tests does not contribute.

    ## Example
    ```markdown
    # example
    A library.
    ```

    ## Use instead
    ```markdown
    # example
    pip install example
    ## Usage
    ...
    ## Development
    pip install -e ".[dev]" && pytest
    ```

    ## Fix
    Add the three sections.
    """
    path = readme_path(p)
    if path is None:
        yield Violation("no README: say what the project does, how to install, use and test it")
        return
    text = p.repo.read(path)
    if text is None:
        yield at_line(path, f"{path} {p.repo.read_problems.get(path, 'cannot be read')}")
        return
    missing = [
        name
        for name, pattern in (("install", INSTALL), ("usage", USAGE))
        if not pattern.search(text)
    ]
    if p.packaging.test_files and not _says_how_to_test(p, path, text):
        missing.append("test")  # a project with no tests has none to explain (TEST001's)
    if missing:
        yield at_line(path, f"the README has no {'/'.join(missing)} instructions", 1)


@rule("DOC002", "changelog", severity="I", source="Keep a Changelog: https://keepachangelog.com/")
def changelog(p: Project) -> Iterator[Violation]:
    """The project keeps no changelog.

    ## What it does
    Looks for CHANGELOG, CHANGES, HISTORY, NEWS or release notes at the root or in `docs/`, and
    for towncrier's `changelog.d/`.

    ## Why it matters
    Users deciding whether to upgrade need to know what changed and what breaks.

    ## Example
    ```text
    (no CHANGELOG.md)
    ```

    ## Use instead
    ```markdown
    # Changelog
    ## [1.2.0] - 2026-01-10
    ### Fixed
    - ...
    ```

    ## Fix
    Start a CHANGELOG.md in the Keep a Changelog format.
    """
    found = any(CHANGELOG.match(f) for f in p.repo.files if f.count("/") <= 2)
    if not found and not any(
        d in p.repo.dir_set for d in ("changelog.d", "changes", "newsfragments", "docs/changelog")
    ):
        yield Violation("no CHANGELOG: record what each release changes")


def _members_licensed(p: Project) -> bool:
    """True when a member project of the repository has a licence file of its own."""
    members = tuple(f"{d}/" for d in p.repo.subproject_dirs)
    return any(LICENSE.match(f[len(m) :]) for f in p.repo.files for m in members if f.startswith(m))


@rule(
    "DOC003",
    "license",
    source="sp-repo-review PY003; OpenSSF Scorecard License; https://choosealicense.com/",
    peers=("sp-repo-review:PY003", "scorecard:License"),
)
def license_file(p: Project) -> Iterator[Violation]:
    """The repository has no LICENSE file.

    ## What it does
    Looks for LICENSE, LICENCE or COPYING at the root, or files named by `license-files`. A
    workspace root that is never built (a virtual uv project) and whose member projects carry
    their own licence files needs none.

    ## Why it matters
    Without a licence nobody may legally use, change or redistribute the code, and companies'
    dependency policies reject the package.

    ## Example
    ```text
    (no LICENSE)
    ```

    ## Use instead
    ```text
    LICENSE   (the MIT, Apache-2.0 or BSD text)
    ```

    ## Fix
    Add the licence text and `license = "MIT"` (an SPDX expression) in `[project]`.
    """
    if any(LICENSE.match(f) for f in p.repo.files if "/" not in f):
        return
    if p.packaging.not_packaged and _members_licensed(p):
        return  # a workspace root nobody installs: the members it publishes carry their own
    declared = p.packaging.meta.get("license-files")
    if isinstance(declared, list) and any(p.repo.glob(str(pattern)) for pattern in declared):
        return
    if any(
        LICENSE.match(f.rsplit("/", 1)[-1])
        for f in p.repo.files
        if f.startswith(("LICENSES/", "licenses/"))
    ):
        return
    licence = p.packaging.meta.get("license")
    if isinstance(licence, str) and licence.strip():
        # an SPDX expression says which licence; the text it requires is still not shipped
        yield Violation(
            f"no LICENSE file: `license = {licence.strip()!r}` names the licence, but its text "
            "(which most licences require with every copy) is not in the repository"
        )
        return
    yield Violation("no LICENSE file: nobody may legally reuse the code")


@rule(
    "DOC004",
    "contributing",
    severity="I",
    source="GitHub docs: https://docs.github.com/en/communities/setting-up-your-project-for-healthy-contributions/setting-guidelines-for-repository-contributors",
)
def contributing(p: Project) -> Iterator[Violation]:
    """The project has no contributing guide.

    ## What it does
    Looks for CONTRIBUTING at the root, in `.github/` or in `docs/`.

    ## Why it matters
    Contributors need to know how to set up, test and submit; without it maintainers answer the
    same questions in every pull request.

    ## Example
    ```text
    (no CONTRIBUTING.md)
    ```

    ## Use instead
    ```markdown
    # Contributing
    pip install -e ".[dev]"; pre-commit install; pytest
    ```

    ## Fix
    Add CONTRIBUTING.md.
    """
    if p.repo.first(*CONTRIBUTING_NAMES) is None:
        yield Violation("no CONTRIBUTING guide: say how to set up, test and submit changes")


@rule(
    "DOC005",
    "example-does-not-compile",
    source="Lesson: example scripts that did not work made a bad first impression until py_compile checked every example.",
)
def example_does_not_compile(p: Project) -> Iterator[Violation]:
    """An example script does not compile.

    ## What it does
    Parses (never runs) every Python file under `examples/`, `example/` or `docs/examples/`
    for the Pythons the project supports, with the syntax check CODE009 uses (the same
    verdict, cached with the file's other facts). Files the tests read as input are left
    alone.

    ## Why it matters
    Examples are what users copy first; one with a syntax error tells them the project is
    unmaintained.

    ## Example
    ```python
    print "hello"
    ```

    ## Use instead
    ```python
    print("hello")
    ```

    ## Fix
    Correct the example, and compile the examples in CI.
    """
    test_input = test_data_reader(p)
    examples = p.repo.glob("examples/*.py", "example/*.py", "docs/examples/*.py")
    for path, facts in p.sources.facts_for(examples):
        if facts.problem is not None and not test_input(path):
            yield at_line(path, f"does not compile: {facts.problem.message}", facts.problem.line)
