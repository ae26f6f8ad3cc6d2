"""Time `prodready new` to green for every kind, phase by phase, on both paths a README gives:
pip (new virtual environment, `pip install -e ".[dev]"`, `pytest`) and uv (`uv sync`, `uv run
pytest`). Each path starts from its own fresh project and an empty package cache, so the
downloads are counted; the figures show which phase dominates.

Usage: python bench/new_to_green.py [--kinds lib,cli,...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Callable
from pathlib import Path

UV = str(Path(sys.executable).with_name("uv"))


def timed(action: Callable[[], object]) -> float:
    """Seconds `action` takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def run(*command: str, cwd: Path, env: dict[str, str]) -> None:
    """Run a command that must succeed."""
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)


def new(kind: str, root: Path, env: dict[str, str]) -> float:
    """Seconds `prodready new` takes."""
    args = ["new", f"bench-{kind}", "--kind", kind, "--yes", "--dir", str(root)]
    return timed(lambda: run(sys.executable, "-m", "prodready", *args, cwd=root.parent, env=env))


def pip_path(kind: str, folder: Path, env: dict[str, str]) -> list[float]:
    """new, venv, install, tests, in seconds."""
    root = folder / f"pip-{kind}"
    python = root / ".venv" / "bin" / "python"
    return [
        new(kind, root, env),
        timed(lambda: venv.create(root / ".venv", with_pip=True)),
        timed(
            lambda: run(
                str(python), "-m", "pip", "install", "-q", "-e", ".[dev]", cwd=root, env=env
            )
        ),
        timed(lambda: run(str(python), "-m", "pytest", "-q", cwd=root, env=env)),
    ]


def uv_path(kind: str, folder: Path, env: dict[str, str]) -> list[float]:
    """new, sync, tests, in seconds."""
    root = folder / f"uv-{kind}"
    return [
        new(kind, root, env),
        timed(lambda: run(UV, "sync", "--quiet", cwd=root, env=env)),
        timed(lambda: run(UV, "run", "pytest", "-q", cwd=root, env=env)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kinds", default="lib,cli,service,ml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
        env |= {
            "PIP_CACHE_DIR": str(folder / "pip-cache"),
            "UV_CACHE_DIR": str(folder / "uv-cache"),
        }
        print(
            f"{'kind':8}{'pip: new':>9}{'venv':>7}{'install':>9}{'tests':>7}{'total':>8}"
            f"{'uv: new':>9}{'sync':>7}{'tests':>7}{'total':>8}"
        )
        for kind in args.kinds.split(","):
            pip = pip_path(kind, folder, env)
            uv = uv_path(kind, folder, env)
            cells = "".join(f"{s:>{w}.1f}" for s, w in zip(pip, (9, 7, 9, 7), strict=True))
            cells += f"{sum(pip):8.1f}"
            cells += "".join(f"{s:>{w}.1f}" for s, w in zip(uv, (9, 7, 7), strict=True))
            print(f"{kind:8}{cells}{sum(uv):8.1f}", flush=True)


if __name__ == "__main__":
    main()
