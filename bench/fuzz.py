"""A long fuzz run: mutants of real configuration files through every rule and every fixer.

Usage: python bench/fuzz.py [--mutants 5000] [--seed 1] [--budget 5] [CORPUS_DIR ...]

The seeds are the configuration files of prodready's fixtures and templates, this repository,
and of every repository in the folders given. Each mutant is audited in this process with every
rule on (no cache) and planned for fixing with the unsafe fixes; the run counts tracebacks
(an exception out of the audit or a fixer bug), rule crashes ("internal error"), and mutants
slower than the budget, and prints the first of each. Exit 1 when any was found.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.security.mutate import fuzz, seeds  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="*", type=Path)
    parser.add_argument("--mutants", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--budget", type=float, default=5.0, help="seconds per mutant")
    args = parser.parse_args()
    templates = Path(str(resources.files("prodready") / "templates"))
    pool = seeds(ROOT / "tests" / "fixtures", templates, ROOT / ".github", *args.corpus)
    for name in ("pyproject.toml", ".pre-commit-config.yaml"):
        pool.setdefault(name, []).append((ROOT / name).read_text(encoding="utf-8"))
    rng = random.Random(args.seed)  # noqa: S311 - reproducible mutants, not secrets
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="prodready-fuzz-") as scratch:
        outcome = fuzz(rng, pool, args.mutants, args.budget, Path(scratch))
    total = time.perf_counter() - started
    print(f"seed files: {sum(len(v) for v in pool.values())} ({', '.join(sorted(pool))})")
    print(
        f"mutants: {args.mutants} in {total:.0f} s; configuration errors (exit 2): "
        f"{outcome.config_errors}; slowest {outcome.slowest:.2f} s"
    )
    found = (
        ("tracebacks", outcome.tracebacks),
        ("rule crashes", outcome.crashes),
        ("hangs", outcome.slow),
    )
    for label, lines in found:
        print(f"{label}: {len(lines)}")
        for line in lines[:5]:
            print(f"  {line}")
    return 1 if any(lines for _, lines in found) else 0


if __name__ == "__main__":
    sys.exit(main())
