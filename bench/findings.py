"""Dump every finding prodready gives over a corpus, or compare two dumps.

Usage:
    python bench/findings.py dump CORPUS_DIR OUT.jsonl [--no-cache]
    python bench/findings.py diff BEFORE.jsonl AFTER.jsonl

`dump` runs `prodready check --format json` on every repository folder of CORPUS_DIR (one
process per repository, so a crash in one is seen) and writes one sorted JSON line per finding:
repository, code, severity, path, line, column, message. `diff` prints the findings only one side
has, grouped by rule, and a count per rule: what a change did to the corpus, as ruff's ecosystem
check shows it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

FIELDS = ("code", "severity", "path", "line", "column", "message")


def dump(corpus: Path, out: Path, no_cache: bool) -> int:
    """Audit every repository of the corpus and write its findings as sorted JSON lines."""
    lines: list[str] = []
    for repo in sorted(p for p in corpus.iterdir() if p.is_dir()):
        command = [sys.executable, "-m", "prodready", "check", str(repo), "--format", "json"]
        done = subprocess.run(
            command + (["--no-cache"] if no_cache else []),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode not in (0, 1):
            sys.stderr.write(f"{repo.name}: exit {done.returncode}: {done.stderr.strip()[-300:]}\n")
            continue
        for repository in json.loads(done.stdout)["repositories"]:
            for finding in repository["findings"]:
                record = {"repo": repo.name, **{k: finding[k] for k in FIELDS}}
                lines.append(json.dumps(record, sort_keys=True))
    out.write_text("".join(f"{line}\n" for line in sorted(lines)), encoding="utf-8")
    sys.stderr.write(f"{len(lines)} findings written to {out}\n")
    return 0


def diff(before: Path, after: Path) -> int:
    """Print what only one side has; exit 1 when the sides differ."""
    old = set(before.read_text(encoding="utf-8").splitlines())
    new = set(after.read_text(encoding="utf-8").splitlines())
    gone, came = sorted(old - new), sorted(new - old)
    for sign, lines in (("-", gone), ("+", came)):
        for line in lines:
            record = json.loads(line)
            where = f"{record['repo']}/{record['path'] or ''}:{record['line'] or ''}"
            print(f"{sign} {record['code']} {where} {record['message']}")
    counts = Counter(json.loads(line)["code"] for line in gone)
    added = Counter(json.loads(line)["code"] for line in came)
    for code in sorted(set(counts) | set(added)):
        print(f"{code}: -{counts[code]} +{added[code]}")
    print(f"before {len(old)}, after {len(new)}, vanished {len(gone)}, new {len(came)}")
    return 1 if gone or came else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    d = commands.add_parser("dump")
    d.add_argument("corpus", type=Path)
    d.add_argument("out", type=Path)
    d.add_argument("--no-cache", action="store_true")
    c = commands.add_parser("diff")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        return dump(args.corpus, args.out, args.no_cache)
    return diff(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
