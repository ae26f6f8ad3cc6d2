"""Time one `prodready check` over a whole corpus, cold and warm, against repo-review and deptry.

Usage: python bench/source_rules.py CORPUS_DIR [--runs N]

Runs, in turn and N times each (medians reported):
- prodready cold: `prodready check --no-cache` over every repository, all rules on;
- prodready warm: `prodready check` with a cache filled by a previous run;
- repo-review: one `repo-review` invocation over the same folders (configuration only);
- deptry: `deptry .` in each repository, one after the other (imports only; its exit code is
  ignored, as are repositories it cannot read);
- the read-only floor: the time to read every tracked file of the corpus, in this process.
The corpus size (files, MB of Python) and the ratios against repo-review are printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import clean_env, table


def tracked(repo: Path) -> list[Path]:
    listed = subprocess.run(
        ["git", "-C", str(repo), "ls-files", "-z"], capture_output=True, check=False
    )
    return [repo / p for p in listed.stdout.decode("utf-8", "replace").split("\0") if p]


def read_floor(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        try:
            path.read_bytes()
        except OSError:
            continue
    return time.perf_counter() - start


def timed(cmd: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    repos = sorted(p for p in args.corpus.iterdir() if p.is_dir())
    bindir = Path(sys.executable).parent
    prodready = shutil.which("prodready", path=str(bindir)) or "prodready"
    review = shutil.which("repo-review", path=str(bindir)) or "repo-review"
    deptry = shutil.which("deptry", path=str(bindir)) or "deptry"
    files = [f for repo in repos for f in tracked(repo)]
    python = [f for f in files if f.suffix == ".py"]
    megabytes = sum(f.stat().st_size for f in python if f.exists()) / 1e6
    env = clean_env()
    env["PRODREADY_CACHE_DIR"] = tempfile.mkdtemp(prefix="prodready-bench-")
    paths = [str(r) for r in repos]
    timed([prodready, "check", *paths], env)  # fill the cache for the warm runs
    samples: dict[str, list[float]] = {
        "prodready cold": [],
        "prodready warm": [],
        "repo-review": [],
        "deptry": [],
        "read floor": [],
    }
    for _ in range(args.runs):
        samples["prodready cold"].append(timed([prodready, "check", "--no-cache", *paths], env))
        samples["prodready warm"].append(timed([prodready, "check", *paths], env))
        samples["repo-review"].append(timed([review, *paths], env))
        samples["deptry"].append(sum(timed([deptry, "."], env, cwd=r) for r in repos))
        samples["read floor"].append(read_floor(files))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    base = medians["repo-review"]
    rows = [["tool", "median s", "/ repo-review"]]
    rows += [[name, f"{value:.2f}", f"{value / base:.2f}"] for name, value in medians.items()]
    print(
        f"corpus: {len(repos)} repositories, {len(files)} tracked files, {len(python)} Python files, {megabytes:.1f} MB of Python; {os.cpu_count()} cores\n"
    )
    print(table(rows))
    shutil.rmtree(env["PRODREADY_CACHE_DIR"], ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
