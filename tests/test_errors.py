"""One error handler: every bad invocation is one line on stderr, exit 2, and creates nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from prodready import cli
from tests.conftest import write_tree

GOOD = {
    "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n',
    "tests/test_x.py": "def test_x():\n    assert 1\n",
}

# (name, arguments, files of the working folder); `{cwd}` is the working folder.
BAD = [
    ("missing path", ["check", "nope"], {}),
    ("output in a missing folder", ["check", ".", "-o", "missing/x.txt"], GOOD),
    ("output is a folder", ["check", ".", "-o", "out"], {**GOOD, "out/keep": ""}),
    ("a file as the root", ["check", "README.md"], {"README.md": "# x\n"}),
    ("unknown rule code", ["check", ".", "--select", "NOPE999"], GOOD),
    ("unknown ignore", ["check", ".", "--ignore", "ZZZ"], GOOD),
    ("bad kind", ["check", ".", "--kind", "banana"], GOOD),
    ("bad format", ["check", ".", "--format", "xml"], GOOD),
    ("bad fail-on", ["check", ".", "--fail-on", "fatal"], GOOD),
    (
        "config with a wrong type",
        ["check", "."],
        {"pyproject.toml": '[project]\nname = "x"\n[tool.prodready]\nkind = 3\n'},
    ),
    (
        "config with an unknown selector",
        ["check", "."],
        {"pyproject.toml": '[tool.prodready]\nselect = ["NOPE"]\n'},
    ),
    ("bad --history folder", ["history", ".", "--history", "typo/h.db"], GOOD),
    ("history is a folder", ["history", ".", "--history", "db"], {**GOOD, "db/keep": ""}),
    ("check --save to a bad history", ["check", ".", "--save", "--history", "typo/h.db"], GOOD),
    ("unknown rule", ["rule", "NOPE999"], {}),
    ("fix a missing path", ["fix", "nope"], {}),
    ("score a missing path", ["score", "nope", "--no-save"], {}),
    ("score an unknown tool", ["score", ".", "--only", "nope", "--no-save"], GOOD),
    ("score with missing targets", ["score", ".", "--targets", "t.toml", "--no-save"], GOOD),
    (
        "score isolated with an interpreter",
        ["score", ".", "--isolated", "--python", "python3", "--no-save"],
        GOOD,
    ),
    ("report to a missing folder", ["report", ".", "-o", "missing/r.html"], GOOD),
    ("new with a bad name", ["new", "../x", "--yes", "--no-git"], {}),
    ("update a missing path", ["update", "nope"], {}),
    ("unknown command", ["frobnicate"], {}),
]


def _listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.parametrize(("name", "args", "files"), BAD, ids=[b[0] for b in BAD])
def test_bad_invocation_is_one_line_and_exit_2(
    tmp_path: Path, name: str, args: list[str], files: dict[str, str]
) -> None:
    work = write_tree(tmp_path / "work", files) if files else tmp_path / "work"
    work.mkdir(exist_ok=True)
    home = tmp_path / "home"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "PRODREADY_CACHE_DIR": str(home / "cache"),
    }
    env.pop("PRODREADY_HISTORY", None)
    env.pop("VIRTUAL_ENV", None)
    before = _listing(work)
    done = subprocess.run(
        [sys.executable, "-m", "prodready", *args],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2, (name, done.returncode, done.stderr)
    assert len(lines) == 1, (name, lines)
    assert "Traceback" not in done.stderr
    assert lines[0].startswith("prodready"), lines
    assert _listing(work) == before, name
    assert not (home / "data").exists(), name


def test_unexpected_error_points_to_a_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PRODREADY_CACHE_DIR", str(tmp_path / "cache"))

    def broken(args: object) -> int:
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr("prodready.commands.rule.run", broken)
    assert cli.main(["rule", "PKG001"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "internal error" in err[0]
    assert "RuntimeError: something nobody expected" in err[0]
    log = Path(err[0].rsplit(" ", 1)[-1].rstrip(")"))
    assert log.is_file()
    assert "Traceback" in log.read_text(encoding="utf-8")
    assert "something nobody expected" in log.read_text(encoding="utf-8")
