"""Baselines: a run on a real git repository fails only on what is new since the baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prodready.cli import main
from tests.conftest import commit_all, write_tree

WORKFLOW = ".github/workflows/audit.yml"
BEFORE = """\
name: audit
on: push
permissions: {}
jobs:
  audit:
    runs-on: ubuntu-latest
    steps:
      - run: pip-audit || true
      - run: pip-audit -r requirements.txt || true
"""
AFTER = """\
name: audit
on: push
permissions: {}
jobs:
  audit:
    # the audit may fail while advisories are triaged
    runs-on: ubuntu-latest
    steps:
      - run: pip-audit || true
      - run: pip-audit -r requirements.txt
      - run: pip-audit --strict || true
"""


def check(*args: str) -> int:
    return main(["check", ".", "--select", "SEC005", "--format", "concise", *args])


def test_only_new_findings_fail_and_fixed_ones_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = write_tree(tmp_path / "repo", {WORKFLOW: BEFORE})
    commit_all(repo)
    monkeypatch.chdir(repo)
    assert check("--baseline", "baseline.json", "--update-baseline") == 0
    written = json.loads(Path("baseline.json").read_text(encoding="utf-8"))
    assert [(f["code"], f["line"]) for f in written["findings"]] == [("SEC005", 8), ("SEC005", 9)]
    capsys.readouterr()

    Path(WORKFLOW).write_text(AFTER, encoding="utf-8")
    assert check("--baseline", "baseline.json") == 1
    out, err = capsys.readouterr()
    new = [line for line in out.splitlines() if "SEC005" in line]
    assert new == [
        f"{WORKFLOW}:11:1: SEC005 the audit's failure is discarded (`|| true`): "
        "ignore named advisories instead"
    ]
    assert "1 finding of the baseline fixed" in err
    assert f"fixed: {WORKFLOW}:9: SEC005" in err

    assert check("--baseline", "baseline.json", "--update-baseline", "-q") == 0
    rewritten = json.loads(Path("baseline.json").read_text(encoding="utf-8"))
    assert [f["line"] for f in rewritten["findings"]] == [9, 11]


def test_without_the_baseline_every_finding_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = write_tree(tmp_path / "repo", {WORKFLOW: BEFORE})
    monkeypatch.chdir(repo)
    assert check() == 1
    assert check("--exit-zero") == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist: write it with `--update-baseline`"),
        ("{", "cannot be read"),
        ('{"findings": []}', "is not a prodready baseline"),
        ('{"prodready-baseline": 1, "findings": [{"path": 3}]}', "malformed entry"),
    ],
)
def test_a_bad_baseline_is_a_one_line_error(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    content: str | None,
    message: str,
) -> None:
    repo = write_tree(tmp_path / "repo", {WORKFLOW: BEFORE})
    monkeypatch.chdir(repo)
    if content is not None:
        Path("baseline.json").write_text(content, encoding="utf-8")
    assert check("--baseline", "baseline.json") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert message in err[0]


def test_update_baseline_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--update-baseline"]) == 2
    assert "--update-baseline needs --baseline FILE" in capsys.readouterr().err


def test_a_baseline_matches_from_any_working_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = write_tree(tmp_path / "repo", {WORKFLOW: BEFORE})
    monkeypatch.chdir(repo)
    assert check("--baseline", "baseline.json", "--update-baseline") == 0
    monkeypatch.chdir(tmp_path)
    args = ["check", "repo", "--select", "SEC005", "--baseline", "repo/baseline.json"]
    assert main(args) == 0
    assert "fixed" not in capsys.readouterr().err


def test_updating_for_one_repository_keeps_the_others_and_says_what_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "b"):
        write_tree(tmp_path / name, {WORKFLOW: BEFORE})
    monkeypatch.chdir(tmp_path)
    select = ["--select", "SEC005", "--baseline", "base.json", "--update-baseline"]
    assert main(["check", "a", "b", *select]) == 0
    Path("a", WORKFLOW).write_text(AFTER, encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "a", *select]) == 0
    assert "(1 added, 1 dropped)" in capsys.readouterr().err
    saved = json.loads(Path("base.json").read_text(encoding="utf-8"))["findings"]
    assert sorted({f["repository"] for f in saved}) == ["a", "b"]
    assert len(saved) == 4


def test_a_line_added_at_the_top_keeps_a_whole_file_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = write_tree(tmp_path / "repo", {"README.md": "# demo\n\nA tool.\n"})
    monkeypatch.chdir(repo)
    args = ["check", ".", "--select", "DOC001", "--baseline", "b.json"]
    assert main([*args, "--update-baseline"]) == 0
    assert json.loads(Path("b.json").read_text(encoding="utf-8"))["findings"]
    Path("README.md").write_text("![badge](x.svg)\n# demo\n\nA tool.\n", encoding="utf-8")
    assert main(args) == 0
