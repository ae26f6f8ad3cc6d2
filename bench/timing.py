"""Shared timing helpers for the benchmarks: interleaved runs, medians, one table."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path


def clean_env() -> dict[str, str]:
    """The environment with byte-code writing on, as users have it."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def wall(cmd: Sequence[str], cwd: Path | None = None) -> float:
    """Seconds one run of `cmd` takes; its exit code is ignored (findings exit non-zero)."""
    start = time.perf_counter()
    subprocess.run(
        list(cmd),
        cwd=cwd,
        env=clean_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - start


def interleaved(
    commands: dict[str, Sequence[str]], runs: int, cwd: Path | None = None
) -> dict[str, float]:
    """Median wall time per command, running them in turn so load changes hit all alike."""
    for cmd in commands.values():
        wall(cmd, cwd)  # warm the page cache and byte-code
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            samples[name].append(wall(cmd, cwd))
    return {name: statistics.median(values) for name, values in samples.items()}


def table(rows: list[list[str]]) -> str:
    """A plain aligned text table."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows
    )
