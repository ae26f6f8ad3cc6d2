"""The few questions prodready asks git, asked so a hostile repository cannot run anything."""

from __future__ import annotations

from pathlib import Path

from prodready.process import run

# A repository's own git config may name programs to run (fsmonitor, hooks); never let it.
GIT_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null")


def git(root: Path, *args: str, stdin: str | None = None, ok: tuple[int, ...] = (0,)) -> str | None:
    """Output of one git command run in `root`, or None when git fails or is missing."""
    done = run(
        ["git", *GIT_SAFE, "-C", str(root), *args],
        stdin=None if stdin is None else stdin.encode("utf-8", "surrogateescape"),
    )
    if done is None or done.returncode not in ok:
        return None
    return done.stdout.decode("utf-8", "surrogateescape")


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
