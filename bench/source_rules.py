"""Time `prodready check` over a whole corpus, cold and warm, against its peers, in wall and CPU
time; then one small repository, and a fleet of copies of one repository.

Usage: python bench/source_rules.py CORPUS_DIR [--runs N] [--small REPO] [--fleet REPO]
                                    [--copies 200]

Runs, in turn and N times each (medians reported):
- prodready cold: `prodready check --no-cache` over every repository, all rules on, every
  Python file parsed;
- prodready warm: `prodready check` with a cache filled by a previous run;
- repo-review: one `repo-review` invocation over the same folders (configuration only);
- deptry: `deptry .` in each repository, one after the other (imports only; its exit code is
  ignored, as are repositories it cannot read);
- ruff E9: `ruff check --isolated --select E9` over the corpus's Python files (the parser alone);
- the read-only floor: the time to read every tracked file of the corpus, in this process.
With `--small`, prodready cold against repo-review on that one repository (start-up
dominated). With `--fleet`, `--copies` copies of that repository, each a checkout of its own,
audited in one `prodready check` from an empty cache (the shared, content-addressed cache at
work) against one `repo-review` over the same copies. CPU time is the user and system time of
the program and every process it waited for. Prints ratios against repo-review.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from timing import clean_env, table

Timing = tuple[float, float]  # (wall, cpu) seconds


def tracked(repo: Path) -> list[Path]:
    listed = subprocess.run(
        ["git", "-C", str(repo), "ls-files", "-z"], capture_output=True, check=False
    )
    return [repo / p for p in listed.stdout.decode("utf-8", "replace").split("\0") if p]


def read_floor(files: list[Path]) -> Timing:
    start, cpu = time.perf_counter(), time.process_time()
    for path in files:
        try:
            path.read_bytes()
        except OSError:
            continue
    return time.perf_counter() - start, time.process_time() - cpu


def timed(cmd: list[str], env: dict[str, str], cwd: Path | None = None) -> Timing:
    """Wall and CPU seconds of one run (the CPU of the program and of its waited-for children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def summed(timings: list[Timing]) -> Timing:
    return sum(t[0] for t in timings), sum(t[1] for t in timings)


def medians(
    commands: dict[str, Callable[[], Timing]], runs: int
) -> dict[str, tuple[float, float, float, float]]:
    """Each command run in turn `runs` times: (median wall, median CPU, min wall, max wall)."""
    samples: dict[str, list[Timing]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(command())
    return {
        name: (
            statistics.median(t[0] for t in values),
            statistics.median(t[1] for t in values),
            min(t[0] for t in values),
            max(t[0] for t in values),
        )
        for name, values in samples.items()
    }


def report(title: str, results: dict[str, tuple[float, float, float, float]]) -> None:
    wall_base, cpu_base = results["repo-review"][:2]
    rows = [["tool", "wall s", "CPU s", "wall / repo-review", "CPU / repo-review", "wall spread"]]
    for name, (wall, cpu, low, high) in results.items():
        rows.append(
            [
                name,
                f"{wall:.2f}",
                f"{cpu:.2f}",
                f"{wall / wall_base:.2f}",
                f"{cpu / cpu_base:.2f}",
                f"{low:.2f}-{high:.2f}",
            ]
        )
    print(f"{title}\n{table(rows)}\n")


def tools() -> dict[str, str]:
    """The programs timed: this environment's, except `repo-review` when `REPO_REVIEW` names
    another (validate-pyproject, when installed beside it, adds its own check to repo-review:
    the configuration-only comparison runs it from an environment with sp-repo-review alone)."""
    bindir = Path(sys.executable).parent
    names = ("prodready", "repo-review", "deptry", "ruff")
    found = {name: shutil.which(name, path=str(bindir)) or name for name in names}
    found["repo-review"] = os.environ.get("REPO_REVIEW", found["repo-review"])
    return found


def corpus_run(repos: list[Path], runs: int, env: dict[str, str]) -> None:
    exe = tools()
    files = [f for repo in repos for f in tracked(repo)]
    python = [f for f in files if f.suffix == ".py"]
    megabytes = sum(f.stat().st_size for f in python if f.exists()) / 1e6
    paths = [str(r) for r in repos]
    timed([exe["prodready"], "check", *paths], env)  # fill the cache for the warm runs
    python_paths = [str(f) for f in python]
    ruff = [exe["ruff"], "check", "--isolated", "--no-cache", "--select", "E9", "--exit-zero"]
    results = medians(
        {
            "prodready cold": lambda: timed([exe["prodready"], "check", "--no-cache", *paths], env),
            "prodready warm": lambda: timed([exe["prodready"], "check", *paths], env),
            "repo-review": lambda: timed([exe["repo-review"], *paths], env),
            "deptry": lambda: summed([timed([exe["deptry"], "."], env, cwd=r) for r in repos]),
            "ruff E9": lambda: timed([*ruff, *python_paths], env),
            "read floor": lambda: read_floor(files),
        },
        runs,
    )
    report(
        f"corpus: {len(repos)} repositories, {len(files)} tracked files, {len(python)} Python "
        f"files, {megabytes:.1f} MB of Python; {os.cpu_count()} cores",
        results,
    )


def small_run(repo: Path, runs: int, env: dict[str, str]) -> None:
    exe = tools()
    results = medians(
        {
            "prodready cold": lambda: timed(
                [exe["prodready"], "check", "--no-cache", str(repo)], env
            ),
            "repo-review": lambda: timed([exe["repo-review"], str(repo)], env),
        },
        runs,
    )
    report(f"one small repository: {repo.name}", results)


def fleet_run(repo: Path, copies: int, runs: int, env: dict[str, str]) -> None:
    exe = tools()
    with tempfile.TemporaryDirectory(prefix="prodready-fleet-") as folder:
        paths = []
        for number in range(copies):
            copy = Path(folder) / f"{repo.name}-{number:03d}"
            shutil.copytree(repo, copy, symlinks=True)
            paths.append(str(copy))

        def prodready_fresh_cache() -> Timing:
            cache = tempfile.mkdtemp(prefix="prodready-fleet-cache-")
            try:
                return timed(
                    [exe["prodready"], "check", *paths], {**env, "PRODREADY_CACHE_DIR": cache}
                )
            finally:
                shutil.rmtree(cache, ignore_errors=True)

        results = medians(
            {
                "prodready, empty cache": prodready_fresh_cache,
                "repo-review": lambda: timed([exe["repo-review"], *paths], env),
            },
            runs,
        )
    report(f"fleet: {copies} copies of {repo.name}", results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--small", type=Path, help="a small repository, timed on its own")
    parser.add_argument("--fleet", type=Path, help="a medium repository, copied --copies times")
    parser.add_argument("--copies", type=int, default=200)
    args = parser.parse_args()
    env = clean_env()
    env["PRODREADY_CACHE_DIR"] = tempfile.mkdtemp(prefix="prodready-bench-")
    try:
        repos = sorted(p for p in args.corpus.iterdir() if p.is_dir())
        corpus_run(repos, args.runs, env)
        if args.small:
            small_run(args.small, args.runs, env)
        if args.fleet:
            fleet_run(args.fleet, args.copies, args.runs, env)
    finally:
        shutil.rmtree(env["PRODREADY_CACHE_DIR"], ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
