"""Time `prodready fleet scan` over N distinct repositories served from local bare remotes, cold
and after 5% of them gained a commit, with the process pool and with Dask in the same run.

Usage: python bench/fleet.py [CORPUS_DIR] [-n 200] [--changed 0.05] [--jobs N]
                             [--executors local,dask] [--full-history] [--keep]

Builds N bare remotes in a temporary folder from the git checkouts of CORPUS_DIR (default
/work/eco), in name order, cycling when N is larger than the corpus. Each remote borrows the
checkout's objects (a git `alternates` file, read only: the corpus is never written) and holds
one branch `main`: by default a root commit with the checkout's HEAD tree and, on top, a commit of
its own adding `.fleet-bench` (its name), so every remote is distinct even when the corpus
cycles; `--full-history` keeps the checkout's whole history under that commit instead (the
mirror then clones all of it). The scan reads them as `file://` URLs from a list file.

For each executor, in turn, from an empty mirror, results and facts cache
(`PRODREADY_CACHE_DIR`):
- cold: `prodready fleet scan` of every remote;
- re-scan: 5% of the remotes (chosen by `--seed`) gain a commit, then the same scan again: every
  mirror is fetched, only the changed ones are audited (checked from the `scans` table).
Each scan is one process; the figures are its wall time, its CPU time (user + system, its own
and every process it waited for: workers, git), the peak of the summed resident memory of its
process tree (sampled every 0.1 s with psutil when installed) and the largest single process's
peak (`wait4`'s `ru_maxrss`). Repositories per core-minute divide by the wall time times the
cores the scan may use (`--jobs`, default every core); per CPU-minute by the CPU time measured.
The load average (`os.getloadavg`) before and after each scan is printed beside it: on a shared
machine the wall time stretches with it, the CPU time much less.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from timing import clean_env, table

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "fleet bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "fleet bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
}


class Run(NamedTuple):
    executor: str
    phase: str
    wall: float
    cpu: float
    tree_rss: float  # MiB, summed over the process tree, sampled
    max_rss: float  # MiB, the largest single process
    repositories: int
    audited: int
    cached: int
    failed: int
    load_before: float
    load_after: float


def git(
    *args: str, git_dir: Path | None = None, stdin: str | None = None, index: Path | None = None
) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | GIT_ENV
    if index is not None:
        env["GIT_INDEX_FILE"] = str(index)
    command = ["git", *([f"--git-dir={git_dir}"] if git_dir else []), *args]
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


def corpus(folder: Path) -> list[Path]:
    """The git checkouts directly in `folder`, by name."""
    return sorted(p for p in folder.iterdir() if (p / ".git").exists() and p.is_dir())


def objects_of(checkout: Path) -> Path:
    common = git("rev-parse", "--git-common-dir", git_dir=checkout / ".git")
    return (
        (checkout / ".git" / common).resolve() / "objects"
        if common != ".git"
        else (checkout / ".git" / "objects")
    )


def add_file(remote: Path, parent: str, path: str, text: str, message: str) -> str:
    """A commit on `parent` whose tree adds (or replaces) `path` with `text`."""
    blob = git("hash-object", "-w", "--stdin", git_dir=remote, stdin=text)
    index = remote / "bench-index"
    try:
        git("read-tree", f"{parent}^{{tree}}", git_dir=remote, index=index)
        git(
            "update-index",
            "--add",
            "--cacheinfo",
            f"100644,{blob},{path}",
            git_dir=remote,
            index=index,
        )
        tree = git("write-tree", git_dir=remote, index=index)
    finally:
        index.unlink(missing_ok=True)
    return git("commit-tree", tree, "-p", parent, "-m", message, git_dir=remote)


def build_remotes(checkouts: Sequence[Path], n: int, where: Path, full_history: bool) -> list[Path]:
    """N bare remotes under `where`, each distinct by a commit of its own on `main`."""
    remotes = []
    for i in range(n):
        source = checkouts[i % len(checkouts)]
        name = source.name if i < len(checkouts) else f"{source.name}-{i // len(checkouts)}"
        remote = where / f"{name}.git"
        git("init", "--quiet", "--bare", str(remote))
        (remote / "objects" / "info" / "alternates").write_text(
            f"{objects_of(source)}\n", encoding="utf-8"
        )
        head = git("rev-parse", "HEAD^{commit}", git_dir=source / ".git")
        if full_history:
            shallow = source / ".git" / "shallow"
            if shallow.exists():  # a shallow checkout's boundary travels with its objects
                shutil.copyfile(shallow, remote / "shallow")
            base = head
        else:
            base = git("commit-tree", f"{head}^{{tree}}", "-m", f"{name} at {head}", git_dir=remote)
        own = add_file(remote, base, ".fleet-bench", f"{name}\n", f"fleet bench: {name}")
        git("update-ref", "refs/heads/main", own, git_dir=remote)
        git("symbolic-ref", "HEAD", "refs/heads/main", git_dir=remote)
        remotes.append(remote)
    return remotes


def change(remotes: Sequence[Path], fraction: float, rng: random.Random, round_: int) -> int:
    """A new commit on `main` in `fraction` of the remotes; how many changed."""
    count = max(1, round(len(remotes) * fraction))
    for remote in rng.sample(list(remotes), count):
        parent = git("rev-parse", "refs/heads/main", git_dir=remote)
        text = f"{remote.name} change {round_}\n"
        commit = add_file(remote, parent, ".fleet-bench", text, f"fleet bench: change {round_}")
        git("update-ref", "refs/heads/main", commit, git_dir=remote)
    return count


class TreeMemory(threading.Thread):
    """The peak of the summed RSS of a process and its descendants, sampled (psutil)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            import psutil  # type: ignore[import-untyped]
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.stop.is_set():
            total = 0
            try:
                processes = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            for process in processes:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            self.stop.wait(0.1)


def scan(
    prodready: str, listing: Path, work: Path, executor: str, jobs: int | None
) -> tuple[float, float, float, float]:
    """One scan: wall s, CPU s, tree peak MiB, single-process peak MiB."""
    command = [
        prodready, "fleet", "scan", str(listing), "--quiet", "--executor", executor,
        "--results", str(work / "results"), "--cache", str(work / "mirrors"),
    ]  # fmt: skip
    if jobs:
        command += ["--jobs", str(jobs)]
    env = clean_env() | {"PRODREADY_CACHE_DIR": str(work / "cache")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    sampler = TreeMemory(process.pid)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    sampler.stop.set()
    sampler.join()
    single = max([usage.ru_maxrss, *(u.ru_maxrss for u in reap_orphans())])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode not in (0, 2):
        sys.exit(f"prodready fleet scan exited {process.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, sampler.peak / 2**20, single / 1024


def subreaper() -> bool:
    """Become the reaper of orphaned descendants (Linux), so the CPU time of a process whose
    parent exited first (the process pool's fork server) is still counted."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(36, 1, 0, 0, 0) == 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def reap_orphans(patience: float = 30.0) -> list[resource.struct_rusage]:
    """Wait for the descendants left behind by a scan (they were reparented to this process)."""
    usages: list[resource.struct_rusage] = []
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        try:
            pid, _, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return usages  # none left
        if pid:
            usages.append(usage)
        else:
            time.sleep(0.05)
    print("  warning: a process of the scan is still running; its CPU time is not counted")
    return usages


def last_scan(prodready: str, work: Path) -> dict[str, Any]:
    sql = "SELECT repositories, audited, cached, failed FROM scans ORDER BY started_at DESC LIMIT 1"
    out = subprocess.run(
        [prodready, "fleet", "query", sql, "--format", "json", "--results", str(work / "results")],
        capture_output=True,
        text=True,
        check=True,
        env=clean_env(),
    ).stdout
    row: dict[str, Any] = json.loads(out)[0]
    return row


def measure(
    prodready: str, listing: Path, work: Path, executor: str, *, phase: str, jobs: int | None
) -> Run:
    before = os.getloadavg()[0]
    wall, cpu, tree, single = scan(prodready, listing, work, executor, jobs)
    after = os.getloadavg()[0]
    row = last_scan(prodready, work)
    run = Run(
        executor, phase, wall, cpu, tree, single,
        row["repositories"], row["audited"], row["cached"], row["failed"], before, after,
    )  # fmt: skip
    print(
        f"  {executor} {phase}: {wall:.1f} s wall, {cpu:.1f} s CPU, {row['audited']} audited, "
        f"{row['cached']} cached, {row['failed']} failed (load {before:.2f} -> {after:.2f})",
        flush=True,
    )
    return run


def report(runs: Sequence[Run], cores: int) -> str:
    rows = [
        [
            "executor", "scan", "repos", "audited", "cached", "failed", "wall s", "CPU s",
            "repos/core-min", "repos/CPU-min", "wall s/audited", "tree peak MiB",
            "process peak MiB", "load",
        ]
    ]  # fmt: skip
    for r in runs:
        rows.append(
            [
                r.executor, r.phase, str(r.repositories), str(r.audited), str(r.cached),
                str(r.failed), f"{r.wall:.1f}", f"{r.cpu:.1f}",
                f"{r.repositories / (r.wall / 60 * cores):.1f}",
                f"{r.repositories / (r.cpu / 60):.1f}" if r.cpu else "-",
                f"{r.wall / r.audited:.2f}" if r.audited else "-",
                f"{r.tree_rss:.0f}" if r.tree_rss else "-", f"{r.max_rss:.0f}",
                f"{r.load_before:.1f}-{r.load_after:.1f}",
            ]
        )  # fmt: skip
    lines = [table(rows), ""]
    by = {(r.executor, r.phase): r for r in runs}
    for executor in dict.fromkeys(r.executor for r in runs):
        cold, again = by.get((executor, "cold")), by.get((executor, "re-scan"))
        if cold and again:
            lines.append(
                f"{executor}: re-scan / cold wall {again.wall / cold.wall:.2f}, "
                f"CPU {again.cpu / cold.cpu:.2f}"
            )
    if ("local", "cold") in by and ("dask", "cold") in by:
        for phase in ("cold", "re-scan"):
            local, dask = by.get(("local", phase)), by.get(("dask", phase))
            if local and dask:
                lines.append(
                    f"{phase}: dask / local wall {dask.wall / local.wall:.2f}, "
                    f"CPU {dask.cpu / local.cpu:.2f}, tree peak "
                    f"{dask.tree_rss / local.tree_rss if local.tree_rss else 0:.2f}"
                )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=Path("/work/eco"))
    parser.add_argument("-n", "--repositories", type=int, default=200)
    parser.add_argument("--changed", type=float, default=0.05, help="fraction for the re-scan")
    parser.add_argument("--jobs", type=int, help="workers (default: one per core)")
    parser.add_argument("--executors", default="local,dask")
    parser.add_argument("--full-history", action="store_true")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--prodready", default=shutil.which("prodready") or "prodready", help="the program"
    )
    args = parser.parse_args()
    checkouts = corpus(args.corpus)
    if not checkouts:
        parser.error(f"{args.corpus}: no git checkouts")
    cores = args.jobs or os.cpu_count() or 1
    if not subreaper():
        print("warning: not a subreaper; CPU time may miss the pool's workers")
    rng = random.Random(args.seed)  # noqa: S311 - a reproducible choice, not a secret
    top = Path(tempfile.mkdtemp(prefix="prodready-fleet-bench-"))
    try:
        started = time.perf_counter()
        remotes = build_remotes(checkouts, args.repositories, top / "remotes", args.full_history)
        listing = top / "repositories.txt"
        listing.write_text("".join(f"{r.as_uri()}\n" for r in remotes), encoding="utf-8")
        print(
            f"{len(remotes)} remotes from {args.corpus} ({len(checkouts)} checkouts) in "
            f"{time.perf_counter() - started:.1f} s; {cores} cores; "
            f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
            flush=True,
        )
        runs: list[Run] = []
        for round_, executor in enumerate(args.executors.split(","), 1):
            work = top / executor
            runs.append(
                measure(args.prodready, listing, work, executor, phase="cold", jobs=args.jobs)
            )
            changed = change(remotes, args.changed, rng, round_)
            run = measure(args.prodready, listing, work, executor, phase="re-scan", jobs=args.jobs)
            if run.audited != changed or run.cached != len(remotes) - changed:
                print(f"  warning: {changed} changed, but {run.audited} audited", flush=True)
            runs.append(run)
        print()
        print(report(runs, cores))
    finally:
        if args.keep:
            print(f"kept {top}")
        else:
            shutil.rmtree(top, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
