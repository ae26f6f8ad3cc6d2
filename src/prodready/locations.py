"""Where a finding about the repository as a whole points: the file the user should edit.

A rule that reports something missing ("no changelog", "nothing audits the dependencies")
names no file itself. Editors, code scanning and `path:line` output all need one, so each such
rule has candidates here, most specific first: the first that exists is the place (line 1); when
none exists, the last one is the file to create (no line).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from prodready.findings import Finding

WORKFLOWS = "<workflow>"  # the first CI workflow file, whichever system the project uses
PYPROJECT = ("pyproject.toml", "setup.cfg", "setup.py")

FILE_TO_EDIT: dict[str, tuple[str, ...]] = {
    "APP002": (".env.example",),
    "CI001": (WORKFLOWS, ".github/workflows/ci.yml"),
    "CI003": (WORKFLOWS, ".github/workflows/ci.yml"),
    "CI004": (WORKFLOWS, ".github/workflows/ci.yml"),
    "CI005": (WORKFLOWS, ".github/workflows/ci.yml"),
    "CI006": (WORKFLOWS, ".github/workflows/ci.yml"),
    "CI007": (
        ".github/dependabot.yml",
        "renovate.json",
        ".github/renovate.json",
        ".github/dependabot.yml",
    ),
    "DOC001": ("README.md", "README.rst", "README.txt", "README", "README.md"),
    "DOC002": ("CHANGELOG.md", "CHANGES.md", "CHANGELOG.rst", "CHANGES.rst", "CHANGELOG.md"),
    "DOC003": ("LICENSE", "LICENSE.txt", "LICENSE.md", "COPYING", "LICENSE"),
    "DOC004": ("CONTRIBUTING.md", ".github/CONTRIBUTING.md", "CONTRIBUTING.rst", "CONTRIBUTING.md"),
    "GIT001": (".gitignore",),
    "PC001": (".pre-commit-config.yaml",),
    "SEC001": (WORKFLOWS, ".pre-commit-config.yaml", ".github/workflows/ci.yml"),
    "SEC002": (*PYPROJECT, "ruff.toml", ".ruff.toml", "pyproject.toml"),
    "TEST002": ("pytest.ini", *PYPROJECT, "pyproject.toml"),
    "TEST006": (".coveragerc", *PYPROJECT, "tox.ini", "pyproject.toml"),
}
DEFAULT = (*PYPROJECT, "pyproject.toml")


MAIN_WORKFLOW_WORDS = ("ci", "test", "check", "main", "build", "lint")


def _main_first(path: str) -> tuple[bool, str]:
    """The workflow most likely to be the project's CI first (`ci.yml`, `tests.yml`), then the
    others by name."""
    stem = path.rsplit("/", 1)[-1].split(".", maxsplit=1)[0].lower()
    return (not any(word in stem for word in MAIN_WORKFLOW_WORDS), path)


def placed(
    findings: Sequence[Finding], exists: Callable[[str], bool], workflows: Sequence[str]
) -> list[Finding]:
    """The findings, each one without a file given the file to edit."""
    return [f if f.path is not None else _place(f, exists, workflows) for f in findings]


def _place(finding: Finding, exists: Callable[[str], bool], workflows: Sequence[str]) -> Finding:
    candidates = FILE_TO_EDIT.get(finding.code, DEFAULT)
    main = min(workflows, key=_main_first) if workflows else WORKFLOWS
    for candidate in candidates:
        path = main if candidate == WORKFLOWS else candidate
        if path != WORKFLOWS and exists(path):
            return finding._replace(path=path, line=1, column=1)
    return finding._replace(path=candidates[-1])
