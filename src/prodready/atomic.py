"""Writing files so a crash leaves either the old content or the new, never half of either."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from prodready.errors import UsageError


def write_atomic(path: Path, text: str | bytes) -> None:
    """Replace `path` with `text` (or bytes) through a temporary file in the same folder and a
    rename.

    The file keeps its permission bits; a new file gets the usual ones (0o666 less the umask).
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def check_writable(path: Path) -> None:
    """Raise a one-line `UsageError` unless `path` can be written as a regular file: its
    folder exists and it is not a folder or a special file. Checked before any work, so a bad
    path costs nothing and creates nothing."""
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
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{path}: cannot write: it is not a regular file")
