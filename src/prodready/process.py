"""The one wrapper through which prodready runs any other program."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Completed:
    """What a finished program left: its exit code and both streams, as bytes."""

    returncode: int
    stdout: bytes
    stderr: bytes


def run(
    cmd: Sequence[str],
    *,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    timeout: float = 60,
) -> Completed | None:
    """Run `cmd` without a shell; None when it cannot be started or outlives `timeout`."""
    try:
        done = subprocess.run(
            list(cmd), cwd=cwd, input=stdin, capture_output=True, check=False, timeout=timeout
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return Completed(done.returncode, done.stdout, done.stderr)
