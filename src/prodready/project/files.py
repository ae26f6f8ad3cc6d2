"""Which files a repository holds: git's view when it is a work tree, a careful walk otherwise."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from prodready.project.gitdir import Index, read_index
from prodready.project.ignores import MAX_WALK_PATTERNS, GitignoreMatcher
from prodready.safeio import Unreadable, read_bytes

SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "node_modules"})


class FileList(NamedTuple):
    """The repository's files as POSIX paths relative to its root, which ones git tracks, and
    what git's index records of them (`Stamp`: content id, size, modification time)."""

    files: tuple[str, ...]
    tracked: frozenset[str] | None
    ids: Mapping[str, Stamp] = MappingProxyType({})


class Stamp(NamedTuple):
    """What git's index knows of a regular file: its content's id, valid while the file keeps
    the size and modification time recorded beside it."""

    blob: str
    size: int
    mtime_ns: int


def list_files(root: Path) -> FileList:
    """List the files of the repository at `root`: tracked (read from git's index) and
    untracked-but-not-ignored, as `git ls-files --cached --others --exclude-standard` would,
    without running git (see `gitdir`)."""
    index = read_index(root)
    if index is None:
        return FileList(tuple(sorted(_walk(root, in_git=False))), None)
    tracked = frozenset(entry.path for entry in index.entries)
    listed = tuple(sorted(tracked.union(_walk(root, True, tracked))))
    return FileList(listed, tracked, _stamps(root, index))


def _stamps(root: Path, index: Index) -> dict[str, Stamp]:
    """The content ids of the index's regular files whose recorded time is older than the
    index itself: a file changed in the same instant as git wrote the index ("racily clean",
    git's own rule) may differ from what its id says, so git re-reads those, and so does
    prodready."""
    try:
        written = os.stat(root / ".git" / "index").st_mtime_ns
    except OSError:
        return {}
    return {
        entry.path: Stamp(entry.blob, entry.size, entry.mtime_ns)
        for entry in index.entries
        if entry.mode & 0o170000 == 0o100000 and 0 <= entry.mtime_ns < written
    }


def _walk(root: Path, in_git: bool, tracked: frozenset[str] = frozenset()) -> list[str]:
    """Walk `root` without following directory links, honouring every `.gitignore` met (and,
    in a git work tree, `.git/info/exclude`, and not entering nested repositories). Tracked
    files are listed whatever the ignore files say, so only the others are matched."""
    found: list[str] = []
    rules = IgnoreRules(root, in_git)
    for current, dirs, names in os.walk(root, followlinks=False, onerror=None):
        rel_dir = os.path.relpath(current, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        if ".gitignore" in names:
            rules.add(rel_dir)
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in SKIP_DIRS
            and not (in_git and os.path.lexists(os.path.join(current, d, ".git")))
            and not rules.ignored(_join(rel_dir, d) + "/")
        )
        found.extend(
            path
            for name in names
            if (path := _join(rel_dir, name)) not in tracked and not rules.ignored(path)
        )
    return found


class IgnoreRules:
    """The ignore files of a work tree, as git weighs them: a deeper `.gitignore` speaks over a
    shallower one, `.git/info/exclude` last; the user's own excludes file is left out (other
    clones lack it). Pattern counts are bounded over the whole tree (`MAX_WALK_PATTERNS`)."""

    def __init__(self, root: Path, in_git: bool) -> None:
        self.root = root
        self.budget = MAX_WALK_PATTERNS
        self.matchers: dict[str, GitignoreMatcher] = {}
        self.exclude = self._matcher(".git/info/exclude") if in_git else None

    def add(self, folder: str) -> None:
        """Read the `.gitignore` of `folder` (relative, "" for the root), once."""
        if folder not in self.matchers:
            self.matchers[folder] = self._matcher(_join(folder, ".gitignore"))

    def _matcher(self, relative: str) -> GitignoreMatcher:
        matcher = GitignoreMatcher(_read_small(self.root, relative), self.budget)
        self.budget -= len(matcher.lines)
        return matcher

    def ignored(self, path: str) -> bool:
        """True when git would ignore `path` (a folder ends with `/`) given the ignore files
        added so far: the deepest file that speaks decides."""
        verdict = self.exclude.match(path) if self.exclude is not None else None
        for base, matcher in self.matchers.items():
            if _is_under(path.rstrip("/"), base) and path.rstrip("/") != base:
                hit = matcher.match(path[len(base) + 1 :] if base else path)
                if hit is not None:
                    verdict = hit
        return bool(verdict)

    def ignored_anywhere(self, path: str) -> bool:
        """True when `path` or a folder above it is ignored, reading every ignore file on the
        way (`git check-ignore --no-index`)."""
        parts = path.rstrip("/").split("/")
        for depth in range(len(parts)):
            folder = "/".join(parts[:depth])
            self.add(folder)
            if depth and self.ignored(folder + "/"):
                return True
        return self.ignored(path)


def _join(base: str, name: str) -> str:
    return f"{base}/{name}" if base else name


def _is_under(path: str, base: str) -> bool:
    return base in ("", path) or path.startswith(base + "/")


def _read_small(root: Path, relative: str) -> str:
    """An ignore file: a regular file inside the repository of at most 1 MB, else nothing."""
    try:
        return read_bytes(root, relative, 1_000_000).decode("utf-8", errors="replace")
    except Unreadable:
        return ""
