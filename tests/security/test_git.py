"""git runs nothing the audited repository names: filters, hooks, fsmonitor, diff drivers."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.conftest import commit_all, git, write_tree
from tests.security.hostile import prodready


def hostile_git_repository(root: Path, marks: Path) -> Path:
    """A committed repository whose git configuration names programs that leave a mark."""
    marks.mkdir(parents=True, exist_ok=True)
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n',
            "src/x/__init__.py": "VALUE = 1\n",
            ".gitattributes": "* filter=evil diff=evil\n",
        },
    )
    commit_all(root)
    script = root.parent / f"{root.name}-evil.sh"
    script.write_text(f'#!/bin/sh\ntouch "{marks}/$(basename "$0")-$1-$$"\ncat\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    for key, value in {
        "filter.evil.clean": f"{script} clean",
        "filter.evil.smudge": f"{script} smudge",
        "filter.evil.process": f"{script} process",
        "diff.evil.textconv": f"{script} textconv",
        "diff.external": f"{script} external",
        "core.fsmonitor": f"{script} fsmonitor",
        "core.hooksPath": str(root / ".git" / "hooks"),
        "core.pager": f"{script} pager",
        "core.askPass": f"{script} askpass",
        "credential.helper": f"!{script} credential",
        "core.sshCommand": f"{script} ssh",
    }.items():
        git(root, "config", key, value)
    hooks = root / ".git" / "hooks"
    for hook in ("post-checkout", "pre-commit", "post-index-change", "reference-transaction"):
        (hooks / hook).write_text(f"#!/bin/sh\ntouch '{marks}/hook-{hook}'\n")
        (hooks / hook).chmod(0o755)
    # a changed file makes git re-read it, through the clean filter if it would run any
    (root / "src" / "x" / "__init__.py").write_text("VALUE = 2\n")
    return root


@pytest.mark.parametrize(
    "args",
    [
        ("check", ".", "--save"),
        ("fix", "."),
        ("report", ".", "-o", "../report.html"),
        ("score", ".", "--only", "ruff"),
    ],
    ids=["check-save", "fix", "report", "score"],
)
def test_git_runs_nothing_the_repository_names(tmp_path: Path, args: tuple[str, ...]) -> None:
    marks = tmp_path / "marks"
    root = hostile_git_repository(tmp_path / "repo", marks)
    run = prodready(*args, cwd=root, home=tmp_path / "home", timeout=120)
    assert run.code in (0, 1), run
    assert sorted(p.name for p in marks.iterdir()) == []


def _leads_out(root: Path, outside: Path) -> None:
    (outside / "objects").mkdir(parents=True, exist_ok=True)
    (outside / "secret.py").write_text('TOKEN = "AKIA' + 'ABCDEFGHIJKLMNOP"\n')


@pytest.mark.parametrize(
    "trap",
    ["fifo-commondir", "alternates-outside", "worktree-outside", "fifo-sparse-checkout"],
)
def test_git_is_not_run_where_it_would_leave_the_repository(tmp_path: Path, trap: str) -> None:
    import os

    root = write_tree(tmp_path / "repo", {"pyproject.toml": '[project]\nname = "x"\n'})
    commit_all(root)
    outside = tmp_path / "outside"
    _leads_out(root, outside)
    dot_git = root / ".git"
    if trap == "fifo-commondir":
        os.mkfifo(dot_git / "commondir")
    elif trap == "alternates-outside":
        (dot_git / "objects" / "info").mkdir(parents=True, exist_ok=True)
        (dot_git / "objects" / "info" / "alternates").write_text(f"{outside / 'objects'}\n")
    elif trap == "worktree-outside":
        git(root, "config", "core.worktree", str(outside))
    else:
        (dot_git / "info").mkdir(exist_ok=True)
        os.mkfifo(dot_git / "info" / "sparse-checkout")
    for args in (("check", ".", "--save"), ("fix", ".")):
        run = prodready(*args, cwd=root, home=tmp_path / "home", timeout=60)
        assert run.code in (0, 1), (args, run)
        assert run.seconds < 15, (args, run.seconds)
        assert "secret.py" not in run.out, args
