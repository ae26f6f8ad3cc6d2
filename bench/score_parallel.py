"""Does `prodready score` run its tools in parallel? Times each tool alone, then all at once,
on one project, and prints the ratio of the whole run to the slowest tool (target: <= 1.2).

Usage: python bench/score_parallel.py PROJECT [--python PATH] [--only pytest,mypy,...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

TOOLS = "pytest,ruff,mypy,pip-audit,bandit,build,install,importtime"


def wall(project: str, python: str, only: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "prodready",
            "score",
            project,
            "--python",
            python,
            "--only",
            only,
            "--no-save",
        ],
        capture_output=True,
        check=False,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--only", default=TOOLS)
    args = parser.parse_args()
    alone = {tool: wall(args.project, args.python, tool) for tool in args.only.split(",")}
    together = wall(args.project, args.python, args.only)
    for tool, seconds in sorted(alone.items(), key=lambda item: -item[1]):
        print(f"{tool:12}{seconds:8.1f} s alone")
    slowest = max(alone.values())
    print(f"{'all':12}{together:8.1f} s together; {together / slowest:.2f} x the slowest tool")


if __name__ == "__main__":
    main()
