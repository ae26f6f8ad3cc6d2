"""What a fix run writes: only files that still parse, never over a file changed since it was
read, and never a half-written file, even when the process is killed mid-write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from prodready.cli import main
from prodready.edits.workspace import Workspace
from tests.conftest import Files, commit_all, write_tree

RUFF = '[project]\nname = "pkg"\nversion = "1"\nrequires-python = ">=3.10"\n\n[tool.ruff]\ntarget-version = "py38"\n'


def test_a_fix_that_would_not_parse_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(RUFF)
    ws = Workspace(tmp_path)
    ws.write("pyproject.toml", (ws.read("pyproject.toml") or "") + "[[broken\n")
    written, refused = ws.commit(ws.changes())
    assert not written
    assert [r.path for r in refused] == ["pyproject.toml"]
    assert "would not parse" in refused[0].reason
    assert (tmp_path / "pyproject.toml").read_text() == RUFF


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(RUFF)
    ws = Workspace(tmp_path)
    doc = ws.toml("pyproject.toml")
    doc["tool"]["ruff"]["target-version"] = "py310"
    (tmp_path / "pyproject.toml").write_text(RUFF + "# edited meanwhile\n")
    written, refused = ws.commit(ws.changes())
    assert not written
    assert "changed on disk" in refused[0].reason
    assert (tmp_path / "pyproject.toml").read_text().endswith("# edited meanwhile\n")


def test_fix_keeps_the_file_mode(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"pyproject.toml": RUFF, "src/pkg/__init__.py": ""})
    commit_all(root)
    (root / "pyproject.toml").chmod(0o640)
    main(["fix", "--select", "LINT003", str(root)])
    assert 'target-version = "py310"' in (root / "pyproject.toml").read_text()
    assert (root / "pyproject.toml").stat().st_mode & 0o777 == 0o640


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from prodready.edits.workspace import Workspace

    root = Path(sys.argv[1])
    contents = ["a = 1\\n" * 400_000, "b = 2\\n" * 400_000]
    turn = 0
    print("ready", flush=True)
    while True:
        ws = Workspace(root)
        ws.read("data.toml")
        ws.write("data.toml", contents[turn % 2])
        ws.commit(ws.changes())
        turn += 1
    """
)


def test_sigkill_mid_write_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    old, new = "a = 1\n" * 400_000, "b = 2\n" * 400_000
    (tmp_path / "data.toml").write_text(old)
    for attempt in range(12):
        with subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True
        ) as child:
            assert child.stdout is not None
            child.stdout.readline()
            time.sleep(0.05 + attempt * 0.037)
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        assert (tmp_path / "data.toml").read_text() in (old, new)


def test_a_fixer_that_meets_a_broken_file_is_reported_and_the_others_still_apply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files: Files = {
        "pyproject.toml": RUFF,
        "src/pkg/__init__.py": "",
        ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/pypa/pip-audit\n    rev: v2.7.3\n    hooks:\n      - id: pip-audit\n",
        ".gitignore": b"caf\xe9/\n",  # not UTF-8: the GIT001 fixer cannot read it
    }
    root = write_tree(tmp_path / "repo", files)
    commit_all(root)
    code = main(["fix", "--select", "LINT003,PC006,GIT001", str(root)])
    err = capsys.readouterr().err
    assert code == 2
    assert "GIT001: not fixed: UnicodeDecodeError" in err
    assert 'target-version = "py310"' in (root / "pyproject.toml").read_text()
    assert "stages: [pre-push]" in (root / ".pre-commit-config.yaml").read_text()
    assert (root / ".gitignore").read_bytes() == b"caf\xe9/\n"


def test_a_crlf_file_keeps_crlf_line_endings(tmp_path: Path) -> None:
    text = RUFF.replace("\n", "\r\n") + 'select = ["E"]\r\n'
    root = write_tree(
        tmp_path / "repo", {"pyproject.toml": text.encode(), "src/pkg/__init__.py": ""}
    )
    commit_all(root)
    main(["fix", "--select", "LINT002,LINT003", str(root)])
    data = (root / "pyproject.toml").read_bytes()
    assert b"[tool.ruff.lint]\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")
