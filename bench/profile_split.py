"""Where a cold `prodready check` spends its CPU, by stage, in one process.

Usage: python bench/profile_split.py CORPUS_DIR [--warm]

Runs `prodready check --no-cache` (or, with `--warm`, a second run over a filled cache) over
every repository of the folder in this process (no worker pool, so every function is seen),
under cProfile, and adds each function's own time to the stage its module belongs to: start-up
and imports, file listing, reading, the text analysis of source files (by analyser), the
syntax check (ruff runs in a thread; its own process's CPU is not in this profile), rules,
rendering and the cache. cProfile slows small functions more than large ones, so the split is
a guide to where to look, not a timing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
from contextlib import redirect_stdout
from pathlib import Path

# (stage, substrings of a function's file or name), first match wins
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cache", ("source/cache.py", "sqlite3", "records.py", "json/")),
    ("syntax check", ("source/syntax.py", "process.py")),
    ("analysis: imports", ("source/imports.py",)),
    ("analysis: secrets", ("source/secrets.py",)),
    ("analysis: tests", ("source/testquality.py",)),
    ("analysis: versions", ("source/versions.py",)),
    ("analysis: text model", ("source/text.py",)),
    ("analysis: other", ("source/",)),
    (
        "configuration parsing",
        ("yaml/", "tomlkit/", "tomllib/", "configparser", "yamldoc.py", "tomldoc.py"),
    ),
    ("regex compiling", ("re/_parser", "re/_compiler", "re/__init__", "sre_")),
    ("reading", ("safeio.py", "posix.read", "posix.open", "posix.lstat", "posix.fstat")),
    (
        "file listing",
        ("project/files.py", "project/gitdir.py", "project/ignores.py", "walk", "pathspec/"),
    ),
    ("rules", ("rules/", "project/")),
    ("rendering", ("report/", "display.py", "findings.py", "summary.py", "locations.py")),
    ("start-up and imports", ("importlib", "<frozen", "registry.py", "plugin.py")),
)


def stage_of(filename: str, name: str) -> str:
    where = f"{filename}:{name}"
    for stage, needles in STAGES:
        if any(needle in where for needle in needles):
            return stage
    return "other"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--warm", action="store_true")
    args = parser.parse_args()
    repos = [str(p) for p in sorted(args.corpus.iterdir()) if p.is_dir()]
    os.environ["PRODREADY_WORKER"] = "1"  # one process: the pool would hide the analysis
    os.environ["PRODREADY_CACHE_DIR"] = tempfile.mkdtemp(prefix="prodready-profile-")
    from prodready.cli import main as prodready

    command = ["check", *repos] if args.warm else ["check", "--no-cache", *repos]
    if args.warm:
        with redirect_stdout(io.StringIO()):
            prodready(["check", *repos])
    profile = cProfile.Profile()
    with redirect_stdout(io.StringIO()):
        profile.runcall(prodready, command)
    stats = pstats.Stats(profile)
    shares: dict[str, float] = {}
    table = stats.stats  # type: ignore[attr-defined]
    for (filename, _, name), (_, _, own, _, callers) in table.items():
        if filename != "~" or not callers:
            stage = stage_of(filename, name)
            shares[stage] = shares.get(stage, 0.0) + own
            continue
        # a built-in (`re.Pattern.search`, `str.count`): its time goes to its callers' stages
        for (caller_file, _, caller_name), (_, _, spent, _) in callers.items():
            stage = stage_of(caller_file, caller_name)
            shares[stage] = shares.get(stage, 0.0) + spent
    total = sum(shares.values())
    print(f"{'warm' if args.warm else 'cold'} run over {len(repos)} repositories, one process")
    for stage, seconds in sorted(shares.items(), key=lambda item: -item[1]):
        print(f"{stage:24} {seconds / total:6.1%}")
    if os.environ.get("PROFILE_OTHER"):
        others = sorted(
            (
                (own, f"{f}:{n}")
                for (f, _, n), (_, _, own, _, _) in table.items()
                if stage_of(f, n) == "other" and f != "~"
            ),
            reverse=True,
        )
        for own, where in others[:25]:
            print(f"  {own:.3f} {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
