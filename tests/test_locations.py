"""A finding about the repository as a whole points at the file to edit: the first candidate
that exists (line 1), else the file to create (no line)."""

from __future__ import annotations

from tests.conftest import Audit

PROJECT = '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.11"\n'


def test_a_missing_audit_points_at_the_main_workflow(audit: Audit) -> None:
    files = {
        "pyproject.toml": PROJECT + 'dependencies = ["requests>=2"]\n',
        ".github/workflows/release.yml": "on: push\njobs: {}\n",
        ".github/workflows/tests.yml": "on: push\njobs: {}\n",
    }
    findings = audit(files, "SEC001")
    assert [(f.path, f.line) for f in findings] == [(".github/workflows/tests.yml", 1)]


def test_a_missing_file_is_the_file_to_create(audit: Audit) -> None:
    findings = audit({"pyproject.toml": PROJECT, "x/__init__.py": ""}, "DOC002")
    assert [(f.path, f.line) for f in findings] == [("CHANGELOG.md", None)]


def test_every_finding_has_a_path(audit: Audit) -> None:
    files = {
        "pyproject.toml": PROJECT,
        "x/__init__.py": "",
        "tests/test_x.py": "def test_a():\n    pass\n",
    }
    findings = audit(files, "ALL")
    assert findings
    assert all(f.path for f in findings), [f for f in findings if not f.path]
