"""The few questions prodready asks git, asked so a hostile repository cannot run anything, read
anything outside itself, or make git wait forever.

Before git runs in a repository, `usable` checks what git would open there: `.git` must be a
folder (a `gitdir:` file points outside), its index, configuration and exclude files regular
files (a FIFO blocks git), the configuration free of includes and of file settings that name
other files, and no `.gitignore` or `.gitattributes` in the work tree a FIFO or a device. When
any of this fails, prodready lists files itself (`files.py`), as outside git.

Every call then neutralises what git would execute (see `NEUTRAL`): the file-system monitor,
hooks, the pager, external diff, credential helpers, SSH and network transports, and prompts.
Filters (`filter.*.clean` / `smudge` / `process`) and diff drivers run only when git reads file
contents through them; prodready never asks git to (no `status`, `diff`, `add` or `checkout` on
an audited repository): whether a work tree has changes is decided by hashing files here.
"""

from __future__ import annotations

import os
import re
import stat
from functools import lru_cache
from pathlib import Path

from prodready.process import run
from prodready.safeio import Unreadable, read_path

# `-c` settings on every git call: nothing the repository configures runs.
NEUTRAL = (
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.untrackedCache=false",
    "-c",
    "core.pager=cat",
    "-c",
    "core.sshCommand=false",
    "-c",
    "core.askPass=",
    "-c",
    "credential.helper=",
    "-c",
    "diff.external=",
    "-c",
    "protocol.allow=never",
    "-c",
    "uploadpack.packObjectsHook=",
)
ENVIRONMENT = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_ASKPASS": "",
    "SSH_ASKPASS": "",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_PAGER": "cat",
    "GIT_EXTERNAL_DIFF": "",
}
TIMEOUT = 10.0
# Files git opens in `.git`; each must be a regular file when present.
GIT_FILES = (
    "index",
    "config",
    "config.worktree",
    "HEAD",
    "packed-refs",
    "info/exclude",
    "info/attributes",
    "info/sparse-checkout",
    "shallow",
)
# Files whose presence makes git read another repository's objects or work tree.
LEADS_OUT = ("commondir", "objects/info/alternates", "objects/info/http-alternates")
# Settings of the repository's own configuration that make git read files the repository names.
READS_FILES = re.compile(
    r"^\s*(?:\[\s*include|excludesfile\b|attributesfile\b|worktree\b)", re.I | re.M
)
SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "node_modules"})


def git(root: Path, *args: str, stdin: str | None = None, ok: tuple[int, ...] = (0,)) -> str | None:
    """Output of one git command run in `root`, or None when git fails, is missing, or the
    repository is not one git can be run in safely."""
    if not usable(root) or root in _TIMED_OUT:
        return None
    done = run(
        ["git", "--no-pager", *NEUTRAL, "-C", str(root), *args],
        stdin=None if stdin is None else stdin.encode("utf-8", "surrogateescape"),
        timeout=TIMEOUT,
        env={**os.environ, **ENVIRONMENT},
    )
    if done is None:
        _TIMED_OUT.add(root)  # once git stalled here, do not wait for it again
        return None
    if done.returncode not in ok:
        return None
    return done.stdout.decode("utf-8", "surrogateescape")


_TIMED_OUT: set[Path] = set()


@lru_cache(maxsize=64)
def usable(root: Path) -> bool:
    """True when git can run in `root` without reading outside it or blocking (see above)."""
    dot_git = root / ".git"
    try:
        if not stat.S_ISDIR(os.lstat(dot_git).st_mode):
            return False
    except OSError:
        return True  # not a repository: git says so itself, reading nothing of ours
    for name in GIT_FILES:
        try:
            if not stat.S_ISREG(os.lstat(dot_git / name).st_mode):
                return False
        except FileNotFoundError:
            continue
        except OSError:
            return False
    if any(os.path.lexists(dot_git / name) for name in LEADS_OUT):
        return False
    if any(_not_a_folder(dot_git / name) for name in ("objects", "refs")):
        return False
    for name in ("config", "config.worktree"):
        try:
            config = read_path(dot_git / name, 1_000_000).decode("utf-8", "replace")
        except Unreadable as exc:
            if str(exc) == "does not exist":
                continue
            return False
        if READS_FILES.search(config):
            return False
    return not _special_ignore_files(root)


def _not_a_folder(path: Path) -> bool:
    """True when `path` exists and is not a real folder (a link could lead out)."""
    try:
        return not stat.S_ISDIR(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False
    except OSError:
        return True


def _special_ignore_files(root: Path) -> bool:
    """True when a `.gitignore` or `.gitattributes` of the work tree is not a regular file."""
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in SKIP_DIRS:
                        stack.append(entry.path)
                elif entry.name in (".gitignore", ".gitattributes") and not entry.is_file(
                    follow_symlinks=False
                ):
                    return not entry.is_symlink() or not _regular_inside(root, entry.path)
            except OSError:
                continue
    return False


def _regular_inside(root: Path, path: str) -> bool:
    """A linked ignore file is fine when it names a regular file of the repository."""
    try:
        resolved = Path(path).resolve(strict=True)
        return resolved.is_relative_to(root) and stat.S_ISREG(os.stat(resolved).st_mode)
    except (OSError, RuntimeError):
        return False


def ls_files(root: Path) -> tuple[list[str], set[str]] | None:
    """All files git shows (tracked, and untracked but not ignored) and the tracked subset."""
    out = git(root, "ls-files", "-z", "-t", "--cached", "--others", "--exclude-standard")
    if out is None:
        return None
    files: list[str] = []
    tracked: set[str] = set()
    for entry in out.split("\0"):
        if len(entry) < 3:
            continue
        tag, path = entry[0], entry[2:]
        files.append(path)
        if tag != "?":
            tracked.add(path)
    return files, tracked


def check_ignore(root: Path, paths: list[str]) -> set[str] | None:
    """The subset of `paths` git would ignore in `root`, tracked or not; None without git.

    The user's global excludes file is left out: other clones of the repository lack it.
    """
    out = git(
        root,
        "-c",
        "core.excludesFile=/dev/null",
        "check-ignore",
        "--no-index",
        "-z",
        "--stdin",
        stdin="\0".join(paths) + "\0",
        ok=(0, 1),
    )
    return None if out is None else {p for p in out.split("\0") if p}


def revision(root: Path) -> str:
    """The commit checked out, with `+` when a tracked file differs from it; "" outside git.

    Changes are found by hashing the work tree's files as git would and comparing them with the
    index, instead of `git status`, which would run the repository's filters.
    """
    root = root.resolve()
    head = git(root, "rev-parse", "--short=12", "HEAD")
    if head is None:
        return ""
    # the index against HEAD (blob ids only, no file read): None when they differ
    staged = git(root, "diff-index", "--cached", "--quiet", "HEAD", "--")
    listed = git(root, "ls-files", "-s", "-z")
    dirty = staged is None or listed is None or _work_tree_differs(root, listed)
    return head.strip() + ("+" if dirty else "")


def _work_tree_differs(root: Path, listed: str) -> bool:
    """True when a tracked file's content (or link) is not what the index records."""
    import hashlib

    for entry in listed.split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if len(parts) != 3:
            continue
        mode, blob, _stage = parts
        full = root / path
        try:
            if mode == "120000":
                data = os.fsencode(os.readlink(full))
            elif mode in ("100644", "100755"):
                data = read_path(full, 256 * 2**20)
            else:
                continue
        except (OSError, Unreadable):
            return True
        header = f"blob {len(data)}\0".encode()
        algorithm = hashlib.sha256 if len(blob) == 64 else hashlib.sha1
        if algorithm(header + data, usedforsecurity=False).hexdigest() != blob:
            return True
    return False
