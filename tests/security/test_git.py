"""git is never run on an audited repository (its index, HEAD and refs are read by prodready), so
nothing the repository's git configuration names runs, is read, or makes prodready wait."""

from __future__ import annotations

import os
import stat
import subprocess
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
    (outside / "secret.py").write_text('TOKEN = "ghp_' + 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"\n')


TRAPS = [
    "fifo-commondir",
    "alternates-outside",
    "worktree-outside",
    "fifo-sparse-checkout",
    "fifo-gitignore-in-node-modules",
    "include-on-a-section-line",
    "excludesfile-on-a-section-line",
    "nested-repository-with-fifo-head",
    "nested-gitdir-outside",
    "fifo-branch-ref",
    "fifo-commit-object",
    "fifo-shared-index",
]


def _set_trap(root: Path, outside: Path, trap: str) -> None:
    import os

    dot_git = root / ".git"
    fifo = root / "fifo"
    if trap == "fifo-commondir":
        os.mkfifo(dot_git / "commondir")
    elif trap == "alternates-outside":
        (dot_git / "objects" / "info").mkdir(parents=True, exist_ok=True)
        (dot_git / "objects" / "info" / "alternates").write_text(f"{outside / 'objects'}\n")
    elif trap == "worktree-outside":
        git(root, "config", "core.worktree", str(outside))
    elif trap == "fifo-sparse-checkout":
        (dot_git / "info").mkdir(exist_ok=True)
        os.mkfifo(dot_git / "info" / "sparse-checkout")
    elif trap == "fifo-gitignore-in-node-modules":
        (root / "node_modules").mkdir()
        os.mkfifo(root / "node_modules" / ".gitignore")
    elif trap in ("include-on-a-section-line", "excludesfile-on-a-section-line"):
        os.mkfifo(fifo)
        setting = (
            "[include] path = ../fifo" if trap.startswith("include") else "excludesfile = fifo"
        )
        with (dot_git / "config").open("a") as config:
            config.write(f"[core] {setting}\n")
    elif trap == "nested-repository-with-fifo-head":
        (root / "sub" / ".git" / "objects").mkdir(parents=True)
        (root / "sub" / ".git" / "refs").mkdir()
        os.mkfifo(root / "sub" / ".git" / "HEAD")
    elif trap == "nested-gitdir-outside":
        (root / "sub").mkdir()
        (root / "sub" / ".git").write_text(f"gitdir: {outside}\n")
    elif trap == "fifo-branch-ref":
        ref = dot_git / (dot_git / "HEAD").read_text().removeprefix("ref:").strip()
        ref.unlink()
        os.mkfifo(ref)
    elif trap == "fifo-commit-object":
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        commit = dot_git / "objects" / head[:2] / head[2:]
        commit.unlink(missing_ok=True)
        os.mkfifo(commit)
    else:
        git(root, "update-index", "--split-index")
        shared = next(dot_git.glob("sharedindex.*"))
        shared.unlink()
        os.mkfifo(shared)


@pytest.mark.parametrize("trap", TRAPS)
def test_git_traps_neither_lead_out_nor_block(tmp_path: Path, trap: str) -> None:
    root = write_tree(tmp_path / "repo", {"pyproject.toml": '[project]\nname = "x"\n'})
    commit_all(root)
    outside = tmp_path / "outside"
    _leads_out(root, outside)
    _set_trap(root, outside, trap)
    for args in (("check", ".", "--save"), ("fix", ".")):
        run = prodready(*args, cwd=root, home=tmp_path / "home", timeout=60)
        assert run.code in (0, 1), (args, run)
        assert run.seconds < 5, (args, run.seconds)
        assert "secret.py" not in run.out, args


def test_git_is_never_run_on_the_audited_repository(tmp_path: Path) -> None:
    marks = tmp_path / "marks"
    root = hostile_git_repository(tmp_path / "repo", marks)
    shim = tmp_path / "bin" / "git"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\ntouch "{marks}/git-ran"\nexit 1\n')
    shim.chmod(0o755)
    path = f"{shim.parent}:{os.environ['PATH']}"
    for args in (("check", ".", "--save"), ("fix", "."), ("report", ".", "-o", "../r.html")):
        run = prodready(*args, cwd=root, home=tmp_path / "home", env={"PATH": path}, timeout=60)
        assert run.code in (0, 1), (args, run)
    assert not (marks / "git-ran").exists()


def test_a_crafted_index_cannot_name_files_outside(tmp_path: Path) -> None:
    from prodready.project.gitdir import Unsupported, parse_index

    root = write_tree(tmp_path / "repo", {"pyproject.toml": '[project]\nname = "x"\n'})
    commit_all(root)
    data = (root / ".git" / "index").read_bytes()
    crafted = data.replace(b"pyproject.toml", b"../../etc/pass")
    with pytest.raises(Unsupported):
        parse_index(crafted)
    (root / ".git" / "index").write_bytes(crafted)
    run = prodready("check", ".", "--save", cwd=root, home=tmp_path / "home")
    assert run.code in (0, 1), run
