"""Every kind of project, in a new virtual environment: install, tests, lint, format check, type
check, the documentation build (MkDocs, strict), the distributions (`python -m build`, `twine
check --strict`) and the nox sessions' definitions all work on the first run (slow: each installs
its dependencies)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
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


@pytest.mark.slow
def test_the_service_image_installs_its_hash_pinned_lock(tmp_path: Path) -> None:
    """The Dockerfile's own install steps, run in a new virtual environment: the lock installs
    under `--require-hashes` with nothing missing, the service imports and answers, and the
    refresh command the lock's header names reproduces it from `pyproject.toml` (what the
    generated CI's `lock` job checks)."""
    root = tmp_path / "project"
    assert main(["new", "img-svc", "--kind", "service", "--yes", "--dir", str(root)]) == 0
    venv.create(root / ".venv", with_pip=True)
    bindir = root / ".venv" / "bin"
    installs = [
        line.removeprefix("RUN ").split()
        for line in (root / "Dockerfile").read_text(encoding="utf-8").splitlines()
        if line.startswith("RUN pip install")
    ]
    assert any("--require-hashes" in step for step in installs), installs
    for step in installs:
        done = subprocess.run(
            [str(bindir / "python"), "-m", *step],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, f"{step}:\n{done.stdout}\n{done.stderr}"
    checked = subprocess.run(
        [str(bindir / "python"), "-m", "pip", "check"], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout
    port = _free_port()
    server = subprocess.Popen(  # the image's CMD
        [str(bindir / "python"), "-m", "img_svc"],
        env={**os.environ, "IMG_SVC_PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert _answers(f"http://127.0.0.1:{port}/ready"), "the service never became ready"
    finally:
        server.terminate()
        logged = server.communicate(timeout=30)[0].decode()
    assert json.loads(logged.splitlines()[0])  # the server's own log lines are JSON
    header = (root / "requirements.txt").read_text(encoding="utf-8").splitlines()[1]
    refresh = header.strip("# ").split()
    assert refresh[:3] == ["uv", "pip", "compile"]
    before = (root / "requirements.txt").read_bytes()
    uv = Path(sys.executable).with_name("uv")
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    done = subprocess.run(
        [str(uv), *refresh[1:], "--quiet"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (root / "requirements.txt").read_bytes() == before


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str, seconds: float = 30.0) -> bool:
    """True once `url` answers 200 within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                return bool(response.status == 200)
        except OSError:
            time.sleep(0.2)
    return False
