"""Every kind of project, in a new virtual environment: install, tests, lint, format check, type
check, the documentation build (MkDocs, strict), the distributions (`python -m build`, `twine
check --strict`) and the nox sessions' definitions all work on the first run (slow: each installs
its dependencies)."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from prodready.cli import main


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["lib", "cli", "service", "ml"])
def test_a_new_project_is_green(tmp_path: Path, kind: str) -> None:
    root = tmp_path / "project"
    assert main(["new", f"green-{kind}", "--kind", kind, "--yes", "--dir", str(root)]) == 0
    venv.create(root / ".venv", with_pip=True)
    bindir = root / ".venv" / ("Scripts" if sys.platform == "win32" else "bin")

    def step(*command: str) -> None:
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"

    step(
        str(bindir / "python"), "-m", "pip", "install", "-q", "-e", ".[dev,docs]", "build", "twine"
    )
    step(str(bindir / "pytest"), "-q", "-p", "no:cacheprovider", "--cov")  # at its threshold
    step(str(bindir / "ruff"), "check", "--no-cache", ".")
    step(str(bindir / "ruff"), "format", "--no-cache", "--check", ".")
    step(str(bindir / "mypy"))
    step(str(bindir / "mkdocs"), "build", "--strict", "--site-dir", str(tmp_path / "site"))
    assert (tmp_path / "site" / "reference" / "index.html").is_file()
    step("git", "tag", "v0.3.0")  # the version comes from the tag
    step(str(bindir / "python"), "-m", "build", "--outdir", str(tmp_path / "dist"))
    assert {
        p.name.split("-")[1].removesuffix(".tar.gz") for p in (tmp_path / "dist").iterdir()
    } == {"0.3.0"}
    step(str(bindir / "twine"), "check", "--strict", *map(str, (tmp_path / "dist").iterdir()))
    archive = tmp_path / "archive"  # a source archive (GitHub's "Download ZIP") still builds
    archive.mkdir()
    tar = subprocess.run(
        ["git", "-C", str(root), "archive", "HEAD"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(archive)], input=tar.stdout, check=True)
    built = subprocess.run(
        [
            str(bindir / "python"),
            "-m",
            "build",
            "--sdist",
            "--outdir",
            str(tmp_path / "from-archive"),
        ],
        cwd=archive,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (sdist,) = (tmp_path / "from-archive").iterdir()
    assert sdist.name.endswith("-0.3.0.tar.gz")
    listed = subprocess.run(
        [str(bindir / "nox"), "--list"], cwd=root, capture_output=True, text=True, check=False
    )
    assert listed.returncode == 0, listed.stderr
    for session in ("tests", "lint", "typecheck", "docs", "build"):
        assert f"{session} ->" in listed.stdout or f"* {session}" in listed.stdout, listed.stdout


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["lib", "cli", "service", "ml"])
def test_uv_sync_then_uv_run_pytest_works(tmp_path: Path, kind: str) -> None:
    """The uv workflow: the dev tools are a PEP 735 group, which `uv sync` installs."""
    root = tmp_path / "project"
    assert main(["new", f"uv-{kind}", "--kind", kind, "--yes", "--dir", str(root)]) == 0
    uv = Path(sys.executable).with_name("uv")
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    for command in (
        ["sync", "--quiet"],
        ["run", "pytest", "-q", "-p", "no:cacheprovider", "--cov"],
    ):
        done = subprocess.run(
            [str(uv), *command], cwd=root, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"uv {' '.join(command)}:\n{done.stdout}\n{done.stderr}"
    assert (root / "uv.lock").is_file()
