"""`data/pins.json` comes from `scripts/pins.py`, which reads hook and action repositories' tags."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path
from types import ModuleType

from prodready.project import pins
from tests.conftest import git

ROOT = Path(__file__).resolve().parents[1]


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pins", ROOT / "scripts" / "pins.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def release(repo: Path, tag: str, hooks: list[str]) -> None:
    manifest = "".join(f"- id: {h}\n  name: {h}\n  entry: {h}\n  language: python\n" for h in hooks)
    (repo / ".pre-commit-hooks.yaml").write_text(manifest, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", tag)
    git(repo, "tag", tag)


def test_the_script_records_which_release_has_which_hook(tmp_path: Path) -> None:
    work = tmp_path / "hooks"
    work.mkdir()
    git(work, "init", "-q")
    (work / "README").write_text("no hooks yet\n", encoding="utf-8")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "start")
    git(work, "tag", "v0.0.1")  # no manifest: not a hook repository yet, left out
    release(work, "v0.1.0", ["lint"])
    release(work, "v0.2.0", ["lint", "format"])
    release(work, "v0.10.0", ["check", "format"])  # after v0.2.0 in version order
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)

    data = script().record(bare)

    assert [tag for tag, _, _ in data["tags"]] == ["v0.1.0", "v0.2.0", "v0.10.0"]
    assert data["hooks"] == {"check": [[2, 2]], "format": [[1, 2]], "lint": [[0, 1]]}


def test_the_shipped_data_covers_every_listed_repository() -> None:
    listed = [
        line.strip().lower()
        for line in (ROOT / "scripts" / "hook_repos.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    data = json.loads((ROOT / "src/prodready/data/pins.json").read_text(encoding="utf-8"))
    assert sorted(data["hook_repositories"]) == sorted(f"https://github.com/{n}" for n in listed)
    ruff = pins.known("https://github.com/astral-sh/ruff-pre-commit")
    assert ruff is not None
    first, _ = ruff.span("ruff-check") or (None, None)
    assert first is not None
    assert first.tag == "v0.11.10"
