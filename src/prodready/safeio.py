"""The one file layer every read and write of an audited repository goes through.

An audited repository is hostile (docs/security.md): its files may be links out of it, FIFOs,
devices or gigabytes. A read here resolves the path and keeps it inside the repository (a link
that points outside is refused, never followed), opens without blocking and without following a
last link, accepts regular files only, and reads at most a given size. Writes are in `atomic.py`
and check the same way that they stay inside.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

MAX_BYTES = 8 * 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class Unreadable(OSError):
    """A file that exists but cannot be used; the message says why, as a finding would."""


def inside(root: Path, path: Path) -> bool:
    """True when `path`, with every link resolved, is `root` or below it."""
    try:
        resolved = path.resolve(strict=False)
    except (OSError, RuntimeError):
        return False
    return resolved == root or resolved.is_relative_to(root)


# Folders already resolved during one audit, (root, folder) -> resolved folder, innermost
# audit last; empty outside `one_audit()`. Resolving every component of every path again was a
# third of reading a file; keys and values are strings, as `Path` objects cost as much again.
_FOLDERS: list[dict[tuple[str, str], str]] = []


@contextmanager
def one_audit() -> Iterator[None]:
    """Within: a folder of the repository is resolved once (its links followed and checked),
    then each file in it costs one `lstat`. The tree is taken as not changing during an audit."""
    _FOLDERS.append({})
    try:
        yield
    finally:
        _FOLDERS.pop()


def remember_folders() -> None:
    """Resolve folders once for the rest of this process (a worker that analyses one audit)."""
    _FOLDERS.append({})


def target(root: Path, relative: str) -> Path:
    """The file a repository path names, with links resolved, checked to be inside `root`
    (itself resolved); `Unreadable` when the path or a link on it leads outside."""
    return Path(_target(root, relative))


def _in_known_folder(root: Path, relative: str) -> str | None:
    """The path of a file whose folder this audit has resolved (resolving it now if need be),
    or None outside `one_audit()`; what the file itself is, is not checked."""
    if not relative or relative.startswith("/") or "\0" in relative:
        raise Unreadable("is not a path inside the repository")
    folder, _, name = relative.rpartition("/")
    if not (_FOLDERS and folder and name not in ("", ".", "..")):
        return None
    folders = _FOLDERS[-1]
    key = (os.fspath(root), folder)
    known = folders.get(key)
    if known is None:
        known = folders[key] = _target(root, folder)
    return os.path.join(known, name)


def _target(root: Path, relative: str) -> str:
    full = _in_known_folder(root, relative)
    if full is not None:
        try:
            if not stat.S_ISLNK(os.lstat(full).st_mode):
                return full
        except FileNotFoundError:
            raise Unreadable("does not exist") from None
        except OSError as exc:
            raise Unreadable(f"cannot be read ({_reason(exc)})") from None
    path = root / relative
    try:
        resolved = path.resolve(strict=True)
    except FileNotFoundError:
        raise Unreadable("does not exist") from None
    except (OSError, RuntimeError) as exc:
        raise Unreadable(f"cannot be read ({_reason(exc)})") from None
    if not (resolved == root or resolved.is_relative_to(root)):
        raise Unreadable("is a link to a file outside the repository")
    return str(resolved)


def read_bytes(root: Path, relative: str, limit: int = MAX_BYTES, *, whole: bool = True) -> bytes:
    """The bytes of a regular file inside the repository, at most `limit` of them (with
    `whole=False`, the first `limit` bytes of a larger file instead of refusing it)."""
    full = _in_known_folder(root, relative)
    if full is not None:
        try:  # opened without following a last link: a link is resolved and checked below
            return read_path(full, limit, whole=whole)
        except _LastLink:
            pass
    return read_path(_target(root, relative), limit, whole=whole)


class _LastLink(Unreadable):
    """The file asked for is itself a link (refused by `read_path`)."""


def read_path(path: Path | str, limit: int = MAX_BYTES, *, whole: bool = True) -> bytes:
    """The bytes of a regular file (not a FIFO, device or folder; a last link is not followed),
    at most `limit` of them; `Unreadable` says why not. With `whole=False` a larger file gives
    its first `limit` bytes (what a file's type is told by) instead of being refused."""
    try:
        fd = os.open(path, _OPEN_FLAGS | _NOFOLLOW)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _LastLink("is a link") from None
        if exc.errno == errno.ENOENT:
            raise Unreadable("does not exist") from None
        raise Unreadable(f"cannot be read ({_reason(exc)})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("is not a regular file")
        if info.st_size > limit and whole:
            raise Unreadable(f"is larger than {_size(limit)}")
        if not whole:
            return os.read(fd, limit)
        first = os.read(fd, min(info.st_size + 1, limit + 1))
        if len(first) == info.st_size:
            return first  # all the bytes the file had when opened: no second read to see its end
        chunks: list[bytes] = [first]
        total = len(first)
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise Unreadable(f"is larger than {_size(limit)}")
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(f"cannot be read ({_reason(exc)})") from None
    finally:
        os.close(fd)


def regular(path: str | Path) -> bool:
    """True when `path` itself (not what a link names) is a regular file."""
    return _is_a(path, stat.S_ISREG)


def real_folder(path: str | Path) -> bool:
    """True when `path` itself (not what a link names) is a folder."""
    return _is_a(path, stat.S_ISDIR)


def _is_a(path: str | Path, kind: Callable[[int], bool]) -> bool:
    try:
        return kind(os.lstat(path).st_mode)
    except OSError:
        return False


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _size(limit: int) -> str:
    return f"{limit // 2**20} MiB" if limit >= 2**20 else f"{limit} bytes"


def folder_inside(root: Path, relative: str) -> Path:
    """The folder a new or replaced repository file goes in, created (one level at a time) when
    missing, checked to be a real folder inside `root`: a linked folder is never written
    through. `Unreadable` says why not."""
    if not relative or relative.startswith("/") or ".." in relative.split("/"):
        raise Unreadable("is not a path inside the repository")
    folder = root
    for part in relative.split("/")[:-1]:
        folder = folder / part
        try:
            info = os.lstat(folder)
        except FileNotFoundError:
            os.mkdir(folder)
            continue
        if not stat.S_ISDIR(info.st_mode):
            raise Unreadable(f"is in {part}/, which is a link or not a folder")
    return folder
