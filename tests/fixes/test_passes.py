"""A fix that makes another rule fire is followed by that rule's fix in the same run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prodready import Auditor
from prodready.cli import main
from tests.conftest import commit_all, write_tree
from tests.fixes.test_safe_fixes import snapshot


def test_fixes_run_until_nothing_more_changes(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "pkg"\nversion = "1"\nrequires-python = ">=3.10"\n\n[project.optional-dependencies]\ndev = ["pytest"]\n',
        "pytest.ini": "[pytest]\naddopts = -ra --cov=pkg --strict-markers\n",
        "src/pkg/__init__.py": "",
        "tests/test_a.py": "def test_a():\n    assert True\n",
    }
    root = write_tree(tmp_path / "repo", files)
    commit_all(root)
    # declaring pytest-cov (TEST003) makes the project use coverage, so GIT001 then also wants
    # `.coverage` and `htmlcov/` ignored
    main(["fix", "--select", "GIT001,TEST003", str(root)])
    findings = Auditor(select=["GIT001", "TEST003"], use_cache=False).check(root).findings
    assert findings == ()
    assert ".coverage\n" in (root / ".gitignore").read_text()
    after = snapshot(root)
    main(["fix", "--select", "GIT001,TEST003", str(root)])
    assert snapshot(root) == after


def test_check_fix_reports_what_remains_in_the_format_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "pkg"\nversion = "1"\nrequires-python = ">=3.10"\n\n[tool.ruff]\ntarget-version = "py38"\n',
        "src/pkg/__init__.py": "",
    }
    root = write_tree(tmp_path / "repo", files)
    commit_all(root)
    main(["check", "--fix", "--select", "LINT003,PKG005", "--format", "json", str(root)])
    report = json.loads(capsys.readouterr().out)
    codes = {f["code"] for r in report["repositories"] for f in r["findings"]}
    assert codes == {"PKG005"}  # LINT003 fixed; the unfixable one remains
