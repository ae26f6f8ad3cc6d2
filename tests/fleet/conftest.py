"""Repositories built in tmp_path and served from local bare remotes (`file://`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from tests.conftest import commit_all, git, write_tree

pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")

LIBRARY = {
    "pyproject.toml": """
        [project]
        name = "{name}"
        version = "0.1.0"
        requires-python = ">=3.11"
        """,
    "src/{module}/__init__.py": '"""{name}."""\n',
    "README.md": "# {name}\n",
}


class Remote:
    """A work tree and the bare remote it pushes to."""

    def __init__(self, work: Path, bare: Path) -> None:
        self.work = work
        self.bare = bare

    @property
    def url(self) -> str:
        return self.bare.as_uri()

    def commit(self, files: Mapping[str, str], message: str = "change") -> None:
        """Add a commit and push it."""
        write_tree(self.work, files)
        git(self.work, "add", "-A")
        git(self.work, "commit", "-q", "-m", message)
        git(self.work, "push", "-q", str(self.bare), "HEAD:main")


MakeRemote = Callable[..., Remote]


@pytest.fixture
def make_remote(tmp_path: Path) -> MakeRemote:
    """`make_remote(name, extra_files)`: a small library, committed and pushed to a bare remote."""

    def make(name: str, extra: Mapping[str, str] | None = None) -> Remote:
        module = name.replace("-", "_")
        files = {
            path.format(module=module): text.format(name=name, module=module)
            for path, text in LIBRARY.items()
        }
        work = write_tree(tmp_path / "work" / name, {**files, **(extra or {})})
        commit_all(work)
        bare = tmp_path / "remotes" / f"{name}.git"
        bare.parent.mkdir(parents=True, exist_ok=True)
        git(tmp_path, "init", "-q", "--bare", str(bare))
        git(work, "push", "-q", str(bare), "HEAD:main")
        git(bare, "symbolic-ref", "HEAD", "refs/heads/main")
        return Remote(work, bare)

    return make


def url_list(path: Path, lines: list[str]) -> Path:
    path.write_text("# the fleet\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path
