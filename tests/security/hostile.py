"""Helpers for the hostile-repository tests: run prodready as a user would, in its own process,
with a private home, and tell whether anything escaped."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple


class Run(NamedTuple):
    """What one prodready process did."""

    code: int | None  # None: it did not finish in time
    out: str
    err: str
    seconds: float

    @property
    def one_line_error(self) -> bool:
        lines = [line for line in self.err.splitlines() if line.strip()]
        return self.code == 2 and len(lines) == 1 and "Traceback" not in self.err


def environment(home: Path) -> dict[str, str]:
    """The user's environment with a private home, cache and history."""
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PRODREADY_CACHE_DIR": str(home / "cache" / "prodready"),
        "PRODREADY_HISTORY": str(home / "history.sqlite3"),
    }
    for name in ("VIRTUAL_ENV", "PYTHONPATH"):
        env.pop(name, None)
    return env


def prodready(
    *args: str,
    cwd: Path,
    home: Path,
    timeout: float = 30,
    module: bool = False,
    env: dict[str, str] | None = None,
) -> Run:
    """Run `prodready ARGS` (or `python -m prodready ARGS`) in `cwd`, with `env` added to the
    private environment."""
    home.mkdir(parents=True, exist_ok=True)
    command = (
        [sys.executable, "-m", "prodready", *args]
        if module
        else [str(Path(sys.executable).with_name("prodready")), *args]
    )
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            env={**environment(home), **(env or {})},
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else ""
        return Run(None, out, "timed out", time.perf_counter() - start)
    return Run(done.returncode, done.stdout, done.stderr, time.perf_counter() - start)
