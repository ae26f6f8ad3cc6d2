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
import re
import shutil
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prodready.auditor import Auditor  # noqa: E402
from prodready.edits.engine import plan  # noqa: E402
from prodready.errors import ProdreadyError  # noqa: E402
from tests.conftest import write_tree  # noqa: E402
from tests.security.mutate import mutant, seeds  # noqa: E402

BUG = re.compile(r"\b(AttributeError|KeyError|IndexError|TypeError|NameError)\b")


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
    auditor = Auditor(use_cache=False)
    tracebacks: list[str] = []
    crashes: list[str] = []
    slow: list[str] = []
    config_errors = 0
    slowest = 0.0
    start_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="prodready-fuzz-") as scratch:
        for number in range(args.mutants):
            root = Path(scratch) / f"m{number}"
            files = mutant(rng, pool)
            write_tree(root, {name: text.replace("<<", "{{") for name, text in files.items()})
            start = time.perf_counter()
            try:
                audit = auditor.audit(root)
                fixes = plan(audit.project, audit.report.findings, unsafe=True)
            except ProdreadyError:
                config_errors += 1
                shutil.rmtree(root)
                continue
            except Exception as exc:
                tracebacks.append(f"mutant {number}: {type(exc).__name__}: {exc}")
                shutil.rmtree(root)
                continue
            seconds = time.perf_counter() - start
            slowest = max(slowest, seconds)
            crashes += [f"mutant {number}: {e}" for e in audit.report.errors]
            tracebacks += [f"mutant {number}: {f}" for f in fixes.failures if BUG.search(f)]
            if seconds > args.budget:
                slow.append(f"mutant {number}: {seconds:.1f} s")
            shutil.rmtree(root)
    total = time.perf_counter() - start_all
    print(f"seed files: {sum(len(v) for v in pool.values())} ({', '.join(sorted(pool))})")
    print(
        f"mutants: {args.mutants} in {total:.0f} s; configuration errors (exit 2): "
        f"{config_errors}; slowest {slowest:.2f} s"
    )
    for label, found in (("tracebacks", tracebacks), ("rule crashes", crashes), ("hangs", slow)):
        print(f"{label}: {len(found)}")
        for line in found[:5]:
            print(f"  {line}")
    return 1 if tracebacks or crashes or slow else 0


if __name__ == "__main__":
    sys.exit(main())
