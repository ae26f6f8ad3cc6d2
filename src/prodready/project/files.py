"""Which files a repository holds: git's view when it is a work tree, a careful walk otherwise."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from prodready.project.git import ls_files
from prodready.project.ignores import MAX_WALK_PATTERNS, GitignoreMatcher
from prodready.safeio import Unreadable, read_path

SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "node_modules"})


class FileList(NamedTuple):
    """The repository's files as POSIX paths relative to its root, and which ones git tracks."""

    files: tuple[str, ...]
    tracked: frozenset[str] | None


def list_files(root: Path) -> FileList:
    """List the files of the repository at `root`: tracked and untracked-but-not-ignored."""
    listed = ls_files(root)
    if listed is None:
        return FileList(tuple(sorted(_walk(root))), None)
    files, tracked = listed
    return FileList(tuple(sorted(set(files))), frozenset(tracked))


def _walk(root: Path) -> list[str]:
    """Walk `root` without following directory links, honouring every `.gitignore` met."""
    found: list[str] = []
    matchers: dict[str, GitignoreMatcher] = {}
    budget = MAX_WALK_PATTERNS
    for current, dirs, names in os.walk(root, followlinks=False, onerror=None):
        rel_dir = os.path.relpath(current, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        if ".gitignore" in names:
            text = _read_small(Path(current) / ".gitignore")
            matchers[rel_dir] = GitignoreMatcher(text, budget)
            budget -= len(matchers[rel_dir].lines)
        active = [(base, m) for base, m in matchers.items() if _is_under(rel_dir, base)]
        dirs[:] = sorted(
            d for d in dirs if d not in SKIP_DIRS and not _ignored(_join(rel_dir, d) + "/", active)
        )
        found.extend(path for name in names if not _ignored(path := _join(rel_dir, name), active))
    return found


def _join(base: str, name: str) -> str:
    return f"{base}/{name}" if base else name


def _is_under(path: str, base: str) -> bool:
    return base in ("", path) or path.startswith(base + "/")


def _ignored(path: str, active: list[tuple[str, GitignoreMatcher]]) -> bool:
    verdict = False
    for base, matcher in active:
        rel = path[len(base) + 1 :] if base else path
        hit = matcher.match(rel)
        if hit is not None:
            verdict = hit
    return verdict


def _read_small(path: Path) -> str:
    """A `.gitignore` met in the walk: a regular file of at most 1 MB, else nothing."""
    try:
        return read_path(path, 1_000_000).decode("utf-8", errors="replace")
    except Unreadable:
        return ""
