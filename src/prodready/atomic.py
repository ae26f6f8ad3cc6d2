"""Writing files so a crash leaves either the old content or the new, never half of either, and a
concurrent edit is never lost.

The new content goes to a temporary file in the same folder, which then takes the target's
place. When the caller says what it read (`expect`), the swap is a compare-and-swap: on Linux
the two files are exchanged atomically (`renameat2(RENAME_EXCHANGE)`) and the displaced one is
compared with what was read; if someone changed it meanwhile, it is swapped back and the write
refused. A new file is created only if no other appeared (`RENAME_NOREPLACE`). Elsewhere the
check happens just before the rename. A target that is not a regular file (a link, a device, a
folder) is never replaced, and a replaced file keeps its mode and owner.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Final

from prodready.errors import UsageError

ANY: Final = object()  # `expect`: write whatever is there now (reports, caches)
AT_FDCWD = -100
RENAME_NOREPLACE, RENAME_EXCHANGE = 1, 2


class Changed(OSError):
    """The file was changed (or created) by someone else since it was read: not written."""


class Refused(OSError):
    """The target is not something prodready replaces (a link, a device, a folder)."""


def write_atomic(
    path: Path, text: str | bytes, *, expect: object = ANY, executable: bool = False
) -> None:
    """Replace `path` with `text` (or bytes). `expect` is the content read before (bytes), None
    when the file must not exist yet, or `ANY`. A new file is `executable` if asked (a script
    with a shebang); an existing one keeps its mode."""
    path = Path(path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    before = _current(path)
    if expect is not ANY and expect is None and before is not None:
        raise Changed(errno.EEXIST, "the file appeared since it was read", str(path))
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_mode_and_owner(temp, before, executable)
        _put(temp, str(path), expect)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _current(path: Path) -> os.stat_result | None:
    """The target's own stat (a link is not followed), refusing what is not a regular file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        raise Refused(errno.EPERM, "is a link; prodready does not write through links", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise Refused(errno.EPERM, "is not a regular file", str(path))
    if not info.st_mode & 0o222 or not os.access(path, os.W_OK, follow_symlinks=False):
        raise Refused(errno.EACCES, "is read-only; prodready does not replace it", str(path))
    return info


def _keep_mode_and_owner(temp: str, before: os.stat_result | None, executable: bool) -> None:
    if before is None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, (0o777 if executable else 0o666) & ~umask)
        return
    os.chmod(temp, stat.S_IMODE(before.st_mode))
    mine = os.stat(temp)
    if (mine.st_uid, mine.st_gid) != (before.st_uid, before.st_gid):
        try:
            os.chown(temp, before.st_uid, before.st_gid)
        except PermissionError:
            raise Refused(errno.EPERM, "belongs to another user, who would lose it", temp) from None


def _put(temp: str, target: str, expect: object) -> None:
    """Move the temporary file into place, as a compare-and-swap when `expect` says what the
    target held."""
    if expect is ANY:
        os.replace(temp, target)
        return
    if expect is None:
        try:
            _rename2(temp, target, RENAME_NOREPLACE)
        except FileExistsError:
            raise Changed(errno.EEXIST, "the file appeared since it was read", target) from None
        except NotImplementedError:
            if os.path.lexists(target):
                raise Changed(errno.EEXIST, "the file appeared since it was read", target) from None
            os.replace(temp, target)
        return
    if not isinstance(expect, bytes):
        raise TypeError("expect is the bytes read, None or ANY")
    try:
        _swap(temp, target)
    except FileNotFoundError:
        raise Changed(errno.ENOENT, "the file was removed since it was read", target) from None
    except NotImplementedError:
        if _content(target) != expect:
            raise Changed(errno.EAGAIN, "the file changed since it was read", target) from None
        os.replace(temp, target)
        return
    if _content(temp) != expect:  # `temp` now holds what was in place at the swap
        _swap(temp, target)
        raise Changed(errno.EAGAIN, "the file changed since it was read", target)
    os.unlink(temp)


def _swap(first: str, second: str) -> None:
    """Exchange two files atomically."""
    _rename2(first, second, RENAME_EXCHANGE)


def _content(path: str) -> bytes | None:
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _rename2(source: str, target: str, flags: int) -> None:
    """Linux's `renameat2`; NotImplementedError where the system or file system lacks it."""
    function = _renameat2()
    if function is None:
        raise NotImplementedError
    import ctypes

    if function(AT_FDCWD, os.fsencode(source), AT_FDCWD, os.fsencode(target), flags) == 0:
        return
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        raise NotImplementedError
    raise OSError(code, os.strerror(code), target)


_RENAMEAT2: list[Callable[..., int] | None] = []


def _renameat2() -> Callable[..., int] | None:
    if not _RENAMEAT2:
        function = None
        if os.uname().sysname == "Linux":
            import ctypes

            with contextlib.suppress(OSError, AttributeError):
                libc = ctypes.CDLL(None, use_errno=True)
                function = libc.renameat2
                function.argtypes = [
                    ctypes.c_int,
                    ctypes.c_char_p,
                    ctypes.c_int,
                    ctypes.c_char_p,
                    ctypes.c_uint,
                ]
                function.restype = ctypes.c_int
        _RENAMEAT2.append(function)
    return _RENAMEAT2[0]


def check_writable(path: Path) -> None:
    """Raise a one-line `UsageError` unless `path` can be written as a regular file: its
    folder exists and it is not a folder, a link or a special file. Checked before any work, so
    a bad path costs nothing and creates nothing."""
    path = Path(path)
    if not path.parent.is_dir():
        raise UsageError(f"{path}: cannot write: the folder {path.parent} does not exist")
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{path}: cannot write: it is a folder")
    if stat.S_ISLNK(info.st_mode):
        raise UsageError(
            f"{path}: cannot write: it is a link (prodready does not write through links)"
        )
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{path}: cannot write: it is not a regular file")
