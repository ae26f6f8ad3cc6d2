"""The one wrapper through which score runs a tool: in the project's folder, with a time limit
that stops the tool and every process it started."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

CANNOT_START = 127  # the shell's code for a program that could not be run


class Outcome(NamedTuple):
    returncode: int | None  # None: stopped at the time limit
    stdout: str
    stderr: str
    seconds: float


def run_tool(
    command: Sequence[str], cwd: Path, timeout: float, env: dict[str, str] | None = None
) -> Outcome:
    """Run a command without a shell; at the time limit its whole process group is killed."""
    start = time.monotonic()
    try:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            start_new_session=True,
            text=True,
            errors="replace",
        )
    except OSError as exc:
        return Outcome(CANNOT_START, "", f"cannot run {command[0]}: {exc.strerror or exc}", 0.0)
    with process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            out, err = process.communicate()
            return Outcome(None, out, err, time.monotonic() - start)
    return Outcome(process.returncode, out, err, time.monotonic() - start)
