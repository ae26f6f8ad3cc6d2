"""prodready's own reading of `.git` agrees with git: tracked files, listing, ignores, revision."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from prodready.project.files import list_files
from prodready.project.gitdir import read_index, revision
from prodready.project.repository import Repository
from tests.conftest import commit_all, git, write_tree

FILES = {
    "pyproject.toml": '[project]\nname = "x"\n',
    "src/x/__init__.py": "",
    "src/x/deep/er/mod.py": "",
    "docs/index.md": "# x\n",
    ".gitignore": "build/\n*.log\n!keep.log\ndocs/**/draft*\n",
    "build/out.txt": "",
    "a.log": "",
    "keep.log": "",
    "docs/one/draft1.md": "",
    "src/.gitignore": "deep/\n",
    "link": "",
}


def _git_out(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=True)
    return done.stdout.decode()


@pytest.mark.parametrize("version", ["2", "3", "4"])
def test_listing_and_tracking_agree_with_git(tmp_path: Path, version: str) -> None:
    root = write_tree(tmp_path / "repo", FILES)
    commit_all(root)
    git(root, "add", "-f", "build/out.txt")  # tracked although ignored
    git(root, "update-index", "--index-version", version)
    (root / "untracked.py").write_text("")
    (root / "src" / "deep").mkdir()
    (root / "src" / "deep" / "hidden.py").write_text("")
    (root / ".git" / "info" / "exclude").write_text("untracked-too.py\n")
    (root / "untracked-too.py").write_text("")
    listed = _git_out(
        root, "-c", "core.excludesFile=/dev/null", "ls-files", "-z", "-co", "--exclude-standard"
    )
    tracked = _git_out(root, "ls-files", "-z")
    files = list_files(root)
    assert set(files.files) == {p for p in listed.split("\0") if p}
    assert files.tracked == frozenset(p for p in tracked.split("\0") if p)
    asked = ["a.log", "keep.log", "build/", "docs/one/draft1.md", "src/deep/x.py", "src/x/"]
    expected = subprocess.run(
        ["git", "-C", str(root), "check-ignore", "--no-index", "-z", "--stdin"],
        input="\0".join(asked).encode(),
        capture_output=True,
        check=False,
    ).stdout.decode()
    assert Repository(root).ignored(asked) == {p for p in expected.split("\0") if p}


def test_revision_marks_staged_and_changed_files(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", FILES)
    commit_all(root)
    head = _git_out(root, "rev-parse", "--short=12", "HEAD").strip()
    assert revision(root) == head
    (root / "docs" / "index.md").write_text("# changed\n")
    assert revision(root) == head + "+"
    git(root, "add", "docs/index.md")
    assert revision(root) == head + "+"
    git(root, "commit", "-qm", "second")
    second = _git_out(root, "rev-parse", "--short=12", "HEAD").strip()
    assert revision(root) == second
    git(root, "reset", "-q", "--soft", "HEAD~")
    assert revision(root) == head + "+"
    assert revision(tmp_path) == ""


def test_a_split_index_is_listed_as_a_folder(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", FILES)
    commit_all(root)
    git(root, "update-index", "--split-index")
    assert read_index(root) is None
    files = list_files(root)
    assert files.tracked is None
    assert "pyproject.toml" in files.files
