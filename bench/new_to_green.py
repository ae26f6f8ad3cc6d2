"""Time `prodready new` to green for every kind: create, new virtual environment, install with
the dev extra, run the tests. Usage: python bench/new_to_green.py [--kinds lib,cli,...]"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path


def green(kind: str, folder: Path) -> float:
    """Seconds from `prodready new` to passing tests."""
    root = folder / kind
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "prodready",
            "new",
            f"bench-{kind}",
            "--kind",
            kind,
            "--yes",
            "--dir",
            str(root),
        ],
        check=True,
        capture_output=True,
    )
    venv.create(root / ".venv", with_pip=True)
    python = root / ".venv" / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-e", ".[dev]"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    subprocess.run([str(python), "-m", "pytest", "-q"], cwd=root, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kinds", default="lib,cli,service,ml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'kind':10}{'seconds':>8}")
        for kind in args.kinds.split(","):
            print(f"{kind:10}{green(kind, Path(folder)):8.1f}", flush=True)


if __name__ == "__main__":
    main()
