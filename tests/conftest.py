"""Shared fixtures: repositories built from inline files, audited through the public API."""

from __future__ import annotations

import subprocess
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from prodready import Auditor, Finding

Files = dict[str, str | bytes]


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `files` (relative path -> text or bytes) under `root`; text is dedented."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def git(root: Path, *args: str) -> None:
    """Run git in `root` with a fixed identity."""
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=root,
        check=True,
        capture_output=True,
    )


def commit_all(root: Path) -> None:
    """Initialise a repository in `root` and commit every file (ignored ones excluded)."""
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", "initial")


Audit = Callable[..., list[Finding]]


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own cache folder: tests never touch the user's cache."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("PRODREADY_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def audit(tmp_path: Path) -> Audit:
    """Build a repository from files and return the findings of the selected rules."""

    def run(
        files: Files, select: str, *, kind: str | None = None, use_git: bool = False
    ) -> list[Finding]:
        root = write_tree(tmp_path / "repo", files)
        if use_git:
            commit_all(root)
        report = Auditor(select=[select], kind=kind).check(root)
        assert not report.repositories[0].errors, report.repositories[0].errors
        return list(report.findings)

    return run
