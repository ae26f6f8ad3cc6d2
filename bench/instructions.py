"""Count the instructions a cold `prodready check` executes over a corpus, for two source trees.

Usage: python bench/instructions.py CORPUS_DIR BEFORE_SRC AFTER_SRC

On a shared or virtual machine wall and CPU times of the same run vary by a quarter, too much
to hold a change to "no more than 10% slower". The number of instructions executed does not
vary: each tree's `src` folder (for example two `git worktree`s, before and after a change) runs
`prodready check --no-cache` over every repository of CORPUS_DIR in one process under valgrind's
callgrind, and the ratio of the two counts is printed. Needs valgrind; takes about 50 times a
plain run, so the two trees run at once.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

COLLECTED = re.compile(rb"Collected : (\d+)")


def instructions(corpus: list[Path], src: Path) -> int:
    """Instructions executed by one cold audit of the corpus with prodready from `src`."""
    env = {**os.environ, "PYTHONPATH": str(src), "PRODREADY_WORKER": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, "-m", "prodready", "check", "--no-cache", *map(str, corpus)]
    subprocess.run(command, env=env, capture_output=True, check=False)  # compile the modules once
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        env=env,
        capture_output=True,
        check=False,
    )
    found = COLLECTED.search(done.stderr)
    if found is None:
        raise SystemExit(f"callgrind gave no count for {src}: {done.stderr[-300:]!r}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args()
    corpus = sorted(p for p in args.corpus.iterdir() if p.is_dir())
    with ThreadPoolExecutor(max_workers=2) as pool:
        before, after = pool.map(lambda src: instructions(corpus, src), [args.before, args.after])
    print(f"{len(corpus)} repositories")
    print(f"before {before / 1e9:8.2f} G instructions  ({args.before})")
    print(f"after  {after / 1e9:8.2f} G instructions  ({args.after})")
    print(f"ratio  {after / before:8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
