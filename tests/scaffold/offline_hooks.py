"""Run a pre-commit configuration for real without GitHub: each well-known hook repository is
rebuilt locally from what `data/pins.json` records of its newest release (its manifest, read from
the repository's `.pre-commit-hooks.yaml` at that tag, and what installing it installs from the
package index: `ruff==X` for ruff-pre-commit, `mypy==X` for mirrors-mypy, the package itself for
pre-commit-hooks and pip-audit). pre-commit then installs every hook from the package index, as
it would from the real repository at that release.

Only repositories pinned to the release the data records are rebuilt (any other pin would not
be the same hooks); the rest of the configuration is left as written.
"""

from __future__ import annotations

import json
import subprocess
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from prodready.project import pins
from tests.conftest import git

SETUP = """\
from setuptools import setup

setup(name="hook-mirror", version="0.0.0", install_requires={requirements!r}, py_modules=[])
"""


def newest(url: str) -> dict[str, Any] | None:
    data = json.loads(files("prodready").joinpath("data/pins.json").read_text("utf-8"))
    entry = data["hook_repositories"].get(pins.normalise(url))
    return entry["newest"] if entry else None


def head(folder: Path) -> str:
    """The commit a local repository's HEAD names."""
    done = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def local_repository(folder: Path, release: dict[str, Any]) -> None:
    """A git repository holding the release's manifest and an installable stand-in that
    requires what the release installs."""
    folder.mkdir(parents=True)
    (folder / ".pre-commit-hooks.yaml").write_text(
        yaml.safe_dump(release["manifest"], sort_keys=False), encoding="utf-8"
    )
    (folder / "setup.py").write_text(
        SETUP.format(requirements=release["requirements"]), encoding="utf-8"
    )
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", release["tag"])


def offline(config: Path, mirrors: Path) -> list[str]:
    """Point the configuration's hook repositories at local rebuilds; returns the addresses
    rebuilt. A repository pinned to another release than the data's newest is an error: the
    test would not be running the configured hooks."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    rebuilt = []
    for entry in data["repos"]:
        url = entry["repo"]
        if url in ("local", "meta"):
            continue
        release = newest(url)
        assert release is not None, f"{url}: not in data/pins.json"
        assert str(entry["rev"]) == release["tag"], f"{url}: pinned {entry['rev']}"
        folder = mirrors / pins.normalise(url).removeprefix("https://github.com/")
        if not folder.exists():
            local_repository(folder, release)
        entry["repo"], entry["rev"] = str(folder), head(folder)
        rebuilt.append(url)
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return rebuilt
