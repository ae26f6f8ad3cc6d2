"""Is `prodready check --format json` the same bytes whatever the run?

Usage: python bench/determinism.py CORPUS_DIR [--runs 3]

Audits every repository of the folder in one invocation (a process pool over the repositories)
`--runs` times with the cache, `--runs` times without (`--no-cache`), each run with a different
`PYTHONHASHSEED`, then once per repository alone (no pool), and prints one digest per run. The
script exits 1 when the outputs differ, or when the per-repository reports differ from the pooled
ones.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path


def run(paths: list[str], seed: int, *extra: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run(
        [sys.executable, "-m", "prodready", "check", "--format", "json", *extra, *paths],
        capture_output=True,
        env=env,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr.decode(errors="replace"))
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    paths = sorted(str(p) for p in args.corpus.iterdir() if p.is_dir())
    outputs: dict[str, bytes] = {}
    for index in range(args.runs):
        outputs[f"cached, seed {index}"] = run(paths, index)
        outputs[f"no cache, seed {index + 100}"] = run(paths, index + 100, "--no-cache")
    for label, data in outputs.items():
        print(f"{hashlib.sha256(data).hexdigest()[:16]}  {len(data):>9} bytes  {label}")
    pooled = json.loads(next(iter(outputs.values())))["repositories"]
    alone = [json.loads(run([p], 7))["repositories"][0] for p in paths]
    same_alone = pooled == alone
    print(f"{len(paths)} repositories; each audited alone gives the pooled report: {same_alone}")
    identical = len(set(outputs.values())) == 1
    print("identical" if identical else "DIFFERENT")
    return 0 if identical and same_alone else 1


if __name__ == "__main__":
    sys.exit(main())
