"""The canary repository: every place a repository can hide code that a careless tool would run
leaves a mark when run. Every command but `score` runs on it and leaves none."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.conftest import commit_all, git, write_tree
from tests.security.hostile import prodready


def _mark(marks: Path, name: str) -> str:
    return f"open({str(marks / name)!r}, 'w').close()\n"


def canary(root: Path, marks: Path) -> Path:
    """A repository in which running anything leaves a file in `marks`."""
    marks.mkdir(parents=True, exist_ok=True)
    script = root.parent / "canary.sh"
    script.write_text(f'#!/bin/sh\ntouch "{marks}/shell-$1"\ncat\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    write_tree(
        root,
        {
            "pyproject.toml": (
                "[build-system]\nrequires = []\nbuild-backend = 'backend'\nbackend-path = ['.']\n\n"
                "[project]\nname = 'canary'\nversion = '1'\nrequires-python = '>=3.11'\n"
                "dependencies = ['pydantic>=2']\n\n"
                "[project.entry-points.'prodready.rules']\ncanary = 'canary'\n\n"
                "[tool.ruff]\ntarget-version = 'py38'\n\n[tool.pytest.ini_options]\naddopts = '--cov'\n"
            ),
            "backend.py": _mark(marks, "build-backend"),
            "setup.py": _mark(marks, "setup.py"),
            "conftest.py": _mark(marks, "conftest"),
            "noxfile.py": _mark(marks, "noxfile"),
            "sitecustomize.py": _mark(marks, "sitecustomize"),
            "usercustomize.py": _mark(marks, "usercustomize"),
            "canary.pth": f"import os; {_mark(marks, 'pth')}",
            "canary/__init__.py": _mark(marks, "package"),
            "canary/__main__.py": _mark(marks, "main"),
            "src/canary2/__init__.py": _mark(marks, "src-package")
            + "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pathlib import Path\n"
            + "from pydantic import BaseModel\nclass M(BaseModel):\n    p: Path\n",
            "tests/test_canary.py": _mark(marks, "test-module") + "def test_x():\n    pass\n",
            "json.py": _mark(marks, "shadow-json"),
            "yaml.py": _mark(marks, "shadow-yaml"),
            "tomllib.py": _mark(marks, "shadow-tomllib"),
            "canary-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: canary\nVersion: 1.0\n",
            "canary-1.0.dist-info/entry_points.txt": "[prodready.rules]\ncanary = canary\n",
            ".gitattributes": "* filter=canary diff=canary\n",
            ".pre-commit-config.yaml": (
                "repos:\n  - repo: local\n    hooks:\n      - id: canary\n        name: canary\n"
                f"        entry: {script} pre-commit-hook\n        language: system\n"
            ),
            ".prodready-template.toml": (
                "version = 1\nkind = 'lib'\n[answers]\nname = 'canary'\npackage = 'canary'\n"
                "description = \"<< cycler.__init__.__globals__.os.system('touch "
                + str(marks / "template-description")
                + "') >>\"\nauthor = 'a'\nemail = 'a@example.org'\n"
                f"license = '{root.parent / 'licence.txt'}'\nyear = 2026\nurl = 'https://example.org'\n"
            ),
        },
    )
    (root.parent / "licence.txt").write_text(
        f"<< cycler.__init__.__globals__.os.system('touch {marks}/template-licence') >>\n"
    )
    commit_all(root)
    for key, value in {
        "filter.canary.clean": f"{script} clean",
        "filter.canary.smudge": f"{script} smudge",
        "filter.canary.process": f"{script} process",
        "diff.canary.textconv": f"{script} textconv",
        "diff.external": f"{script} diff",
        "core.fsmonitor": f"{script} fsmonitor",
        "core.pager": f"{script} pager",
    }.items():
        git(root, "config", key, value)
    for hook in ("pre-commit", "post-checkout", "post-index-change", "pre-push", "post-merge"):
        path = root / ".git" / "hooks" / hook
        path.write_text(f"#!/bin/sh\ntouch '{marks}/hook-{hook}'\n")
        path.chmod(0o755)
    (root / "canary" / "__init__.py").write_text(_mark(marks, "package") + "# changed\n")
    return root


COMMANDS = [
    ("check", "."),
    ("check", ".", "--save", "--format", "sarif"),
    ("check", ".", "--fix", "--unsafe-fixes"),
    ("fix", ".", "--diff", "--unsafe-fixes"),
    ("fix", ".", "--unsafe-fixes"),
    ("rule", "--all"),
    ("history", "."),
    ("report", ".", "-o", "../report.html"),
    ("update", ".", "--diff"),
    ("update", "."),
]


@pytest.mark.parametrize("module", [False, True], ids=["command", "python-m"])
def test_no_command_but_score_runs_anything(tmp_path: Path, module: bool) -> None:
    marks = tmp_path / "marks"
    root = canary(tmp_path / "repo", marks)
    for args in COMMANDS:
        run = prodready(*args, cwd=root, home=tmp_path / "home", module=module, timeout=120)
        assert run.code is not None, args
        assert "Traceback" not in run.err, (args, run.err)
        assert sorted(p.name for p in marks.iterdir()) == [], args
