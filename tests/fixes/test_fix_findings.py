"""`fix` acts on the audit's own findings, with the settings `check` uses, and counts honestly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prodready.cli import main
from tests.conftest import commit_all, write_tree

SERVICE = {
    "pyproject.toml": (
        '[project]\nname = "app"\nversion = "1"\nrequires-python = ">=3.11"\n\n'
        '[tool.prodready]\nkind = "service"\n'
    ),
    ".gitignore": "__pycache__/\ndist/\n.venv/\n",
    "src/app/__init__.py": "",
}


def _codes(out: str) -> list[str]:
    report = json.loads(out)
    return [f["code"] for r in report["repositories"] for f in r["findings"]]


@pytest.mark.parametrize("where", ["config", "option"])
def test_fix_uses_the_kind_check_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    files = dict(SERVICE)
    options = ["--select", "GIT001"]
    if where == "option":
        files["pyproject.toml"] = files["pyproject.toml"].split("[tool.prodready]")[0]
        options += ["--kind", "service"]
    root = write_tree(tmp_path / "repo", files)
    commit_all(root)
    assert main(["check", str(root), *options, "--format", "json"]) == 1
    assert _codes(capsys.readouterr().out) == ["GIT001"]
    assert main(["fix", str(root), *options]) == 0
    err = capsys.readouterr().err
    assert "Fixed 1 finding (GIT001), 0 remaining." in err
    assert ".env\n" in (root / ".gitignore").read_text()


def test_a_finding_still_reported_is_not_counted_as_fixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hooks = "".join(f"      - id: hook{i}\n" for i in range(16))
    config = (
        "repos:\n  - repo: local\n    hooks:\n"
        + hooks
        + "      - id: pip-audit\n        name: pip-audit\n        entry: pip-audit\n"
        "        language: system\n        pass_filenames: false\n"
    )
    root = write_tree(
        tmp_path / "repo",
        {
            ".pre-commit-config.yaml": config,
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n',
        },
    )
    commit_all(root)
    assert main(["fix", str(root), "--select", "PC006,PC008"]) == 0  # PC008 is info
    captured = capsys.readouterr()
    assert "PC008" in captured.out  # 16 hooks still run on commit
    summary = captured.err.strip().splitlines()[-1]
    assert summary == "Fixed 1 finding (PC006), 1 remaining.", summary


def test_fix_names_what_it_could_not_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(
        tmp_path / "repo",
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n',
            ".gitignore": b"\xff\xfe not utf-8\n",
        },
    )
    commit_all(root)
    assert main(["fix", str(root), "--select", "GIT001"]) == 2
    err = capsys.readouterr().err
    assert "not fixed" in err
    assert "GIT001" in err.strip().splitlines()[-1]
