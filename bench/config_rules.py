"""Time `prodready check` against `repo-review` (sp-repo-review) on the same repositories.

Usage: python bench/config_rules.py CORPUS_DIR [--runs N]

CORPUS_DIR holds one checked-out repository per folder. Each tool runs on each repository in
turn (interleaved, after one warm-up run), and the table gives the median wall times and the
ratio prodready / repo-review. Both tools must be installed in the running environment
(`pip install -e ".[bench]"`).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from timing import interleaved, table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    prodready = shutil.which("prodready", path=str(bindir)) or "prodready"
    review = shutil.which("repo-review", path=str(bindir)) or "repo-review"
    rows = [["repository", "prodready s", "repo-review s", "ratio"]]
    ratios = []
    for repo in sorted(p for p in args.corpus.iterdir() if p.is_dir()):
        times = interleaved(
            {"prodready": [prodready, "check", str(repo)], "review": [review, str(repo)]}, args.runs
        )
        ratio = times["prodready"] / times["review"]
        ratios.append(ratio)
        rows.append(
            [repo.name, f"{times['prodready']:.3f}", f"{times['review']:.3f}", f"{ratio:.2f}"]
        )
    print(table(rows))
    if ratios:
        print(f"\nmedian ratio prodready / repo-review: {sorted(ratios)[len(ratios) // 2]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
