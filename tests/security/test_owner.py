"""A fixed file keeps its owner and group (checked where the test can give a file away)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from prodready.edits.workspace import Workspace


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_a_fixed_file_keeps_its_owner(tmp_path: Path) -> None:
    target = tmp_path / "pyproject.toml"
    target.write_text("[tool.ruff]\nline-length = 100\n")
    os.chown(target, 4321, 4322)
    target.chmod(0o640)
    ws = Workspace(tmp_path)
    ws.write("pyproject.toml", "[tool.ruff]\nline-length = 88\n")
    written, refused = ws.commit(ws.changes())
    assert [c.path for c in written] == ["pyproject.toml"], refused
    info = target.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (4321, 4322, 0o640)
    assert target.read_text() == "[tool.ruff]\nline-length = 88\n"
