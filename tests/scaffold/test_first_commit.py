"""`pre-commit run --all-files` for real, on every kind of new project and on this repository:
the hooks at their pinned releases, installed from the package index (see `offline_hooks.py`
for how without GitHub). Slow: pre-commit builds an environment per hook repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from prodready.cli import main
from tests.conftest import git
from tests.scaffold.offline_hooks import offline

ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
DEPENDENCY = {"cli": "typer", "service": "fastapi"}  # one run-time dependency of the kind


@pytest.fixture(scope="module")
def hooks_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache and one set of rebuilt hook repositories for the module, so the
    environments are built once."""
    return tmp_path_factory.mktemp("pre-commit")


def run_hooks(root: Path, home: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    config = root / ".pre-commit-config.yaml"
    if str(home / "mirrors") not in config.read_text(encoding="utf-8"):  # not rewritten yet
        assert offline(config, home / "mirrors")
    git(root, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(home / "cache"), "SKIP": ""}
    # local `language: system` hooks (prodready, pytest) find this interpreter's tools
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return subprocess.run(
        [*PRE_COMMIT, "run", "--all-files", "--show-diff-on-failure", *extra],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["lib", "cli", "service", "ml"])
def test_the_first_commit_of_a_new_project_passes_its_hooks(kind: str, hooks_home: Path) -> None:
    root = hooks_home / f"new-{kind}"
    assert main(["new", f"first-{kind}", "--kind", kind, "--yes", "--dir", str(root)]) == 0
    done = run_hooks(root, hooks_home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout
    if kind in DEPENDENCY:  # the pre-push audit reads the project's dependencies, not its own
        audited = run_hooks(root, hooks_home, "--verbose", "--hook-stage", "pre-push", "pip-audit")
        assert audited.returncode == 0, audited.stdout + audited.stderr
        assert DEPENDENCY[kind] in audited.stdout, audited.stdout


@pytest.mark.slow
def test_this_repository_passes_its_own_hooks(hooks_home: Path) -> None:
    root = hooks_home / "self"
    tracked = (
        subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, tracked):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    git(root, "init", "-q")
    done = run_hooks(root, hooks_home)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
