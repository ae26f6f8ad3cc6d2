"""Three-way merges of one file: the user's version, the old render and the new render."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import NamedTuple

from prodready.errors import UsageError
from prodready.process import run


class Merged(NamedTuple):
    text: str
    conflicts: int


def merge(mine: str, base: str, theirs: str, path: str) -> Merged:
    """Merge the template's change (base -> theirs) into the user's file with `git merge-file`;
    conflicting hunks get the usual markers."""
    with tempfile.TemporaryDirectory(prefix="prodready-merge-") as folder:
        files = []
        for label, text in (("mine", mine), ("base", base), ("theirs", theirs)):
            file = Path(folder) / label
            file.write_text(text, encoding="utf-8")
            files.append(str(file))
        done = run(
            [
                "git",
                "-C",
                folder,  # not the project: its configuration has no say in a merge of text
                "merge-file",
                "-p",
                "-L",
                f"{path} (yours)",
                "-L",
                f"{path} (template before)",
                "-L",
                f"{path} (template now)",
                *files,
            ]
        )
    if done is None or done.returncode < 0 or done.returncode > 127:
        raise UsageError("git merge-file is needed to merge template changes (is git installed?)")
    return Merged(done.stdout.decode("utf-8"), done.returncode)
