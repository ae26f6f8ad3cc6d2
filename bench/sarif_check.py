"""SARIF of real repositories against the SARIF 2.1.0 schema and GitHub's code-scanning rules.

Usage: python bench/sarif_check.py CORPUS_DIR [--limit N]

Runs `prodready check --format sarif` in each repository of the folder (from its root, as CI
would), validates the log against the schema in `tests/fixtures/sarif-schema-2.1.0.json` and
against GitHub's documented requirements (`tests/report/github_sarif.py`), and prints one line
per repository and the totals. Exits 1 when any log fails either.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.report.github_sarif import problems  # noqa: E402

SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def check(repo: Path) -> tuple[int, list[str]]:
    """(results in the log, what is wrong with it)."""
    run = subprocess.run(
        [sys.executable, "-m", "prodready", "check", "--format", "sarif", "--exit-zero", "."],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        return 0, [f"exit {run.returncode}: {run.stderr.strip()[:200]}"]
    log = json.loads(run.stdout)
    wrong = [error.message[:200] for error in jsonschema.Draft7Validator(SCHEMA).iter_errors(log)]
    return sum(len(r["results"]) for r in log["runs"]), wrong + problems(log)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    repos = sorted(p for p in args.corpus.iterdir() if p.is_dir())
    repos = repos[: args.limit] if args.limit else repos
    failed = total = 0
    for repo in repos:
        results, wrong = check(repo.resolve())
        total += results
        failed += bool(wrong)
        print(f"{repo.name:40} {results:5} results  {'ok' if not wrong else wrong[0]}")
    print(f"{len(repos) - failed} of {len(repos)} logs valid and accepted; {total} results")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
