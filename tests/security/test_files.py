"""Reads stay inside the repository, open regular files only, never block; writes never go
through a link, never replace anything but a regular file, and never lose a concurrent edit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from prodready.edits.workspace import Workspace
from tests.conftest import commit_all, write_tree
from tests.security.hostile import prodready

PROJECT = {
    "pyproject.toml": '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.11"\n',
    "src/x/__init__.py": "",
}


def test_fix_does_not_copy_a_file_from_outside(tmp_path: Path) -> None:
    secret = tmp_path / "outside.txt"
    secret.write_text("root:x:0:0:secret\n")
    root = write_tree(tmp_path / "repo", PROJECT)
    (root / ".gitignore").symlink_to(secret)
    commit_all(root)
    run = prodready("fix", ".", "--select", "GIT001", cwd=root, home=tmp_path / "h")
    assert (root / ".gitignore").is_symlink()
    assert secret.read_text() == "root:x:0:0:secret\n"
    assert "root:x:0:0" not in run.out + run.err
    assert run.code in (1, 2), run


@pytest.mark.parametrize("name", ["settings.py", "config.json", "deploy.yaml"])
def test_check_does_not_read_links_out_of_the_repository(tmp_path: Path, name: str) -> None:
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(
        'password = "hunter2hunter2"\n' + "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5\n"
    )
    root = write_tree(tmp_path / "repo", PROJECT)
    (root / name).symlink_to(outside)
    commit_all(root)
    run = prodready("check", ".", "--select", "SEC003", cwd=root, home=tmp_path / "h")
    assert "SEC003" not in run.out, run.out
    assert run.code == 0, run


@pytest.mark.parametrize(
    "name",
    [".gitignore", "py.typed", "pyproject.toml", "src/x/py.typed", ".pre-commit-config.yaml"],
)
@pytest.mark.parametrize("use_git", [True, False])
def test_a_fifo_never_blocks(tmp_path: Path, name: str, use_git: bool) -> None:
    root = write_tree(tmp_path / "repo", PROJECT)
    if use_git:
        commit_all(root)
    target = root / name
    if target.exists():
        target.unlink()
    os.mkfifo(target)
    for args in (
        ("check", "."),
        ("fix", "."),
        ("fix", ".", "--diff"),
        ("report", ".", "-o", "../r.html"),
    ):
        run = prodready(*args, cwd=root, home=tmp_path / "h", timeout=20)
        assert run.code is not None, (args, "hung")
        assert run.seconds < 10, (args, run.seconds)
        assert "Traceback" not in run.err, run.err


def test_a_fifo_as_the_git_index_never_blocks(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", PROJECT)
    commit_all(root)
    (root / ".git" / "index").unlink()
    os.mkfifo(root / ".git" / "index")
    run = prodready("check", ".", "--save", cwd=root, home=tmp_path / "h", timeout=20)
    assert run.code in (0, 1), run
    assert run.seconds < 10


def test_a_fifo_as_the_template_record_never_blocks(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    assert (
        prodready(
            "new",
            "demo",
            "--yes",
            "--no-git",
            "--dir",
            str(root),
            cwd=tmp_path,
            home=tmp_path / "h",
        ).code
        == 0
    )
    (root / ".prodready-template.toml").unlink()
    os.mkfifo(root / ".prodready-template.toml")
    run = prodready("update", ".", cwd=root, home=tmp_path / "h", timeout=20)
    assert run.one_line_error, run


@pytest.mark.parametrize("name", ["big.py", "pyproject.toml", ".gitignore", "notes.txt"])
def test_a_link_to_dev_zero_is_not_read(tmp_path: Path, name: str) -> None:
    root = write_tree(tmp_path / "repo", PROJECT)
    (root / name).unlink(missing_ok=True)
    (root / name).symlink_to("/dev/zero")
    run = prodready("check", ".", cwd=root, home=tmp_path / "h", timeout=20)
    assert run.code in (0, 1), run
    assert run.seconds < 10


def test_output_never_replaces_a_link_or_a_device(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", PROJECT)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n")
    (tmp_path / "out.json").symlink_to(victim)
    run = prodready(
        "check", ".", "--format", "json", "-o", "../out.json", cwd=root, home=tmp_path / "h"
    )
    assert run.one_line_error, run
    assert victim.read_text() == "keep\n"
    assert (tmp_path / "out.json").is_symlink()
    run = prodready("check", ".", "-o", "/dev/null", cwd=root, home=tmp_path / "h")
    assert run.one_line_error, run


def test_a_concurrent_edit_at_the_rename_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prodready import atomic

    root = write_tree(tmp_path, {"pyproject.toml": "[tool.ruff]\nline-length = 100\n"})
    ws = Workspace(root)
    ws.write("pyproject.toml", "[tool.ruff]\nline-length = 88\n")
    real = atomic._swap

    def edited_meanwhile(temp: str, target: str) -> None:
        Path(target).write_text("[tool.ruff]\nline-length = 120  # the user's edit\n")
        real(temp, target)

    monkeypatch.setattr(atomic, "_swap", edited_meanwhile)
    written, refused = ws.commit(ws.changes())
    assert not written
    assert "changed" in refused[0].reason
    assert (root / "pyproject.toml").read_text().endswith("# the user's edit\n")
    assert sorted(p.name for p in root.iterdir()) == ["pyproject.toml"]  # no temporary left


def test_fix_keeps_a_byte_order_mark(tmp_path: Path) -> None:
    text = '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.11"\n\n[tool.ruff]\ntarget-version = "py38"\n'
    root = write_tree(tmp_path / "repo", {"pyproject.toml": b"\xef\xbb\xbf" + text.encode()})
    commit_all(root)
    run = prodready("fix", ".", "--select", "LINT003", cwd=root, home=tmp_path / "h")
    assert run.code == 0, run
    data = (root / "pyproject.toml").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b'target-version = "py311"' in data


def test_a_new_script_is_executable_and_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    import stat

    from prodready.atomic import write_atomic

    script = tmp_path / "noxfile.py"
    write_atomic(script, "#!/usr/bin/env python\n", expect=None, executable=True)
    assert script.stat().st_mode & stat.S_IXUSR
    plain = tmp_path / "notes.txt"
    plain.write_text("a\n")
    plain.chmod(0o600)
    write_atomic(plain, "b\n", executable=True)  # an existing file's mode is the user's
    assert stat.S_IMODE(plain.stat().st_mode) == 0o600
