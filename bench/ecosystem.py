"""The ecosystem check: prodready over many real repositories, every finding held against labels.

Usage:
    python bench/ecosystem.py check FOLDER [--labels DIR] [--show-unlabelled] [--show-false]
    python bench/ecosystem.py unlabelled FOLDER REPO [--labels DIR]

FOLDER holds one checked-out repository per sub-folder, named as in `bench/ecosystem/repos.txt`
(`name owner/repository commit`). Labels are JSON lines, one file per repository
(`bench/ecosystem/labels/NAME.jsonl`), each a finding read by hand:

    {"code": "DEP008", "path": "pyproject.toml", "line": 12, "message": "...",
     "verdict": "TRUE" | "FALSE" | "DEBATABLE", "reason": "one line"}

A label matches a finding with the same code, path and line, and the same message when several
findings share those. `check` runs prodready on every repository (one process each), prints the
precision of each rule (TRUE / (TRUE + FALSE); DEBATABLE counted apart), then every finding with
no label (new) and every TRUE label no longer reported (vanished: recall lost); a TRUE label whose
finding is now reported at `info` is counted apart (`(info)`), still reported. It exits 1 when
an error or warning is unlabelled, so a change is read before it lands. `unlabelled` prints the
findings of one repository that still need a label, as label lines with an empty verdict.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).parent / "ecosystem"
LABELLED = ("error", "warning")
Key = tuple[str, str, int]


def findings(repo: Path) -> list[dict[str, object]]:
    """prodready's findings on one repository (a fresh process, no cache)."""
    command = [sys.executable, "-m", "prodready", "check", str(repo), "--format", "json"]
    done = subprocess.run(
        [*command, "--no-cache"], capture_output=True, text=True, check=False, timeout=900
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"{repo.name}: exit {done.returncode}: {done.stderr.strip()[-300:]}")
    found: list[dict[str, object]] = []
    for repository in json.loads(done.stdout)["repositories"]:
        # a workspace member's findings are relative to its folder: label them from the root
        member = os.path.relpath(repository["path"], repo).replace(os.sep, "/")
        prefix = "" if member == "." else member + "/"
        for finding in repository["findings"]:
            path = finding.get("path")
            found.append({**finding, "path": prefix + path if path else (prefix or None)})
    return found


def labels(directory: Path, name: str) -> list[dict[str, object]]:
    path = directory / f"{name}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def key(record: dict[str, object]) -> Key:
    line = record.get("line")
    return (
        str(record["code"]),
        str(record.get("path") or ""),
        line if isinstance(line, int) else 0,
    )


def match(
    found: list[dict[str, object]], known: list[dict[str, object]]
) -> tuple[list[tuple[dict[str, object], dict[str, object] | None]], list[dict[str, object]]]:
    """Pair each finding with its label (or None); also return the labels nothing matched."""
    by_key: dict[Key, list[dict[str, object]]] = defaultdict(list)
    for label in known:
        by_key[key(label)].append(label)
    pairs: list[tuple[dict[str, object], dict[str, object] | None]] = []
    for finding in found:
        candidates = by_key.get(key(finding), [])
        exact = [c for c in candidates if c.get("message") == finding["message"]]
        chosen = next(iter(exact or candidates), None)
        if chosen is not None:
            candidates.remove(chosen)
        pairs.append((finding, chosen))
    left = [label for rest in by_key.values() for label in rest]
    return pairs, left


def check(folder: Path, label_dir: Path, show_unlabelled: bool, show_false: bool = False) -> int:
    verdicts: dict[str, Counter[str]] = defaultdict(Counter)
    unread = 0
    for repo in sorted(p for p in folder.iterdir() if p.is_dir()):
        pairs, vanished = match(findings(repo), labels(label_dir, repo.name))
        for finding, label in pairs:
            if finding["severity"] not in LABELLED:
                if label is not None and label["verdict"] == "TRUE":
                    verdicts[f"{finding['code']} (info)"]["TRUE"] += 1  # reported, as advice
                continue
            code = f"{finding['code']} ({finding['severity']})"
            if label is None:
                unread += 1
                verdicts[code]["unlabelled"] += 1
                if show_unlabelled:
                    where = f"{repo.name}/{finding.get('path') or ''}:{finding.get('line') or ''}"
                    print(f"+ {finding['code']} {where} {finding['message']}")
                continue
            verdicts[code][str(label["verdict"])] += 1
            if show_false and label["verdict"] == "FALSE":
                where = f"{repo.name}/{finding.get('path') or ''}:{finding.get('line') or ''}"
                print(f"x {finding['code']} {where} {label.get('reason')}")
        for label in vanished:
            if label["verdict"] == "TRUE":
                verdicts[f"{label['code']} (vanished)"]["TRUE"] += 1
                print(
                    f"- {label['code']} {repo.name}/{label.get('path') or ''}:{label.get('line')}"
                )
    _table(verdicts)
    return 1 if unread else 0


def _table(verdicts: dict[str, Counter[str]]) -> None:
    total: Counter[str] = Counter()
    print(f"\n{'rule':<22}{'true':>6}{'false':>7}{'debat.':>8}{'unread':>8}{'precision':>11}")
    for code in sorted(verdicts):
        counts = verdicts[code]
        total.update(counts)
        print(_row(code, counts))
    print(_row("all", total))


def _row(name: str, counts: Counter[str]) -> str:
    true, false = counts["TRUE"], counts["FALSE"]
    precision = f"{true / (true + false):.0%}" if true + false else "-"
    return (
        f"{name:<22}{true:>6}{false:>7}{counts['DEBATABLE']:>8}{counts['unlabelled']:>8}"
        f"{precision:>11}"
    )


def unlabelled(folder: Path, name: str, label_dir: Path) -> int:
    pairs, _ = match(findings(folder / name), labels(label_dir, name))
    for finding, label in pairs:
        if label is None and finding["severity"] in LABELLED:
            record = {k: finding.get(k) for k in ("code", "path", "line", "message")}
            print(json.dumps({**record, "verdict": "", "reason": ""}))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("check")
    run.add_argument("folder", type=Path)
    run.add_argument("--labels", type=Path, default=HERE / "labels")
    run.add_argument("--show-unlabelled", action="store_true")
    run.add_argument("--show-false", action="store_true", help="print the false findings")
    one = commands.add_parser("unlabelled")
    one.add_argument("folder", type=Path)
    one.add_argument("repo")
    one.add_argument("--labels", type=Path, default=HERE / "labels")
    args = parser.parse_args()
    if args.command == "check":
        return check(args.folder, args.labels, args.show_unlabelled, args.show_false)
    return unlabelled(args.folder, args.repo, args.labels)


if __name__ == "__main__":
    sys.exit(main())
