"""The one wrapper through which prodready runs any other program.

On POSIX it spawns with `os.posix_spawnp` and reads the pipes with `select.poll`: importing
`subprocess` costs a tenth of a whole audit of a small repository, and `check` runs git on every
audit. Elsewhere it falls back to `subprocess`.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping, Sequence
from typing import NamedTuple

SIGKILL = 9
CHUNK = 65536


class Completed(NamedTuple):
    """What a finished program left: its exit code and both streams, as bytes."""

    returncode: int
    stdout: bytes
    stderr: bytes


def run(
    cmd: Sequence[str],
    *,
    stdin: bytes | None = None,
    timeout: float = 60,
    env: Mapping[str, str] | None = None,
) -> Completed | None:
    """Run `cmd` without a shell (in `env`, else this process's environment); None when it
    cannot be started or outlives `timeout`."""
    environment = dict(os.environ if env is None else env)
    if sys.platform == "win32" or not hasattr(os, "posix_spawnp"):
        return _run_subprocess(cmd, stdin, timeout, environment)
    return _run_spawned(list(cmd), stdin or b"", timeout, environment)


def _run_subprocess(
    cmd: Sequence[str], stdin: bytes | None, timeout: float, env: dict[str, str]
) -> Completed | None:
    import subprocess

    try:
        done = subprocess.run(
            list(cmd), input=stdin, capture_output=True, check=False, timeout=timeout, env=env
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return Completed(done.returncode, done.stdout, done.stderr)


def _run_spawned(
    cmd: list[str], stdin: bytes, timeout: float, env: dict[str, str]
) -> Completed | None:
    in_read, in_write = os.pipe()
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    actions = [
        (os.POSIX_SPAWN_DUP2, in_read, 0),
        (os.POSIX_SPAWN_DUP2, out_write, 1),
        (os.POSIX_SPAWN_DUP2, err_write, 2),
    ]
    try:
        pid = os.posix_spawnp(cmd[0], cmd, env, file_actions=actions)
    except OSError:
        pid = 0
    for fd in (in_read, out_write, err_write):
        os.close(fd)
    if not pid:
        for fd in (in_write, out_read, err_read):
            os.close(fd)
        return None
    streams = _exchange(in_write, out_read, err_read, stdin, time.monotonic() + timeout)
    if streams is None:
        os.kill(pid, SIGKILL)
        os.waitpid(pid, 0)
        return None
    _, status = os.waitpid(pid, 0)
    return Completed(os.waitstatus_to_exitcode(status), *streams)


def _exchange(
    in_write: int, out_read: int, err_read: int, stdin: bytes, deadline: float
) -> tuple[bytes, bytes] | None:
    """Feed stdin and drain stdout and stderr until both close; None past the deadline."""
    import select

    poller = select.poll()
    chunks: dict[int, list[bytes]] = {out_read: [], err_read: []}
    for fd in chunks:
        poller.register(fd, select.POLLIN)
    pending = memoryview(stdin)
    feeding = bool(pending)
    if feeding:
        os.set_blocking(in_write, False)
        poller.register(in_write, select.POLLOUT)
    else:
        os.close(in_write)
    open_fds = len(chunks) + feeding
    try:
        while open_fds:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            for fd, _ in poller.poll(remaining * 1000):
                if fd == in_write:
                    written = _write_some(in_write, pending)
                    pending = pending[max(written, 0) :]
                    if not pending or written < 0:
                        poller.unregister(in_write)
                        os.close(in_write)
                        feeding = False
                        open_fds -= 1
                    continue
                data = os.read(fd, CHUNK)
                if data:
                    chunks[fd].append(data)
                else:
                    poller.unregister(fd)
                    open_fds -= 1
    finally:
        for fd in (out_read, err_read, *([in_write] if feeding else [])):
            os.close(fd)
    return b"".join(chunks[out_read]), b"".join(chunks[err_read])


def _write_some(fd: int, data: memoryview) -> int:
    """Write what the pipe takes now; -1 when the reader has gone."""
    try:
        return os.write(fd, data[:CHUNK])
    except BlockingIOError:
        return 0
    except BrokenPipeError:
        return -1
