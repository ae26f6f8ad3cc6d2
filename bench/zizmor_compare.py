"""prodready's workflow rules beside zizmor, audit by audit, on many repositories.

Usage:
    python bench/zizmor_compare.py [FOLDER] [--audits A,B] [--min-confidence medium] [--show]

For every repository of FOLDER (default /work/eco) that has `.github/workflows`, runs
`zizmor --offline --format json` (the zizmor beside this Python, else the one on PATH) and
`prodready check --format json` with every rule that names a zizmor peer selected, and maps zizmor's audits to prodready's codes
through the rules' `peers` (`prodready rule --all --format json`: a rule whose peers name
`zizmor:cache-poisoning` answers that audit). For each audit it prints how many findings zizmor
gives at or above the confidence asked, how many of those prodready reports at the same file with
a peer code (recall), and how many findings of the peer codes prodready gives at files where
zizmor has none of that audit at any confidence. `--show` lists the differences file by file.
Audits no rule names as a peer show as "no rule".
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CONFIDENCE = {"unknown": 0, "low": 1, "medium": 2, "high": 3}
Finding = dict[str, object]


def zizmor_program() -> str:
    beside = Path(sys.executable).with_name("zizmor")
    found = str(beside) if beside.exists() else shutil.which("zizmor")
    if not found:
        raise SystemExit("zizmor not found: pip install zizmor")
    return found


def peers() -> dict[str, list[str]]:
    """zizmor audit -> the prodready codes that name it as a peer."""
    done = subprocess.run(
        [sys.executable, "-m", "prodready", "rule", "--all", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    mapping: dict[str, list[str]] = defaultdict(list)
    for rule in json.loads(done.stdout):
        for peer in rule.get("peers", []):
            tool, _, check = peer.partition(":")
            if tool == "zizmor":
                mapping[check].append(rule["code"])
    return mapping


def zizmor(program: str, repo: Path) -> list[Finding]:
    """zizmor's findings on one repository: audit, confidence, file, line, what it says."""
    done = subprocess.run(
        [program, "--offline", "--format", "json", "--no-exit-codes", "."],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    try:
        raw = json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        return []  # no input zizmor could read (a workflow that is not YAML, say)
    found: list[Finding] = []
    for finding in raw:
        primary = next(
            (loc for loc in finding["locations"] if loc["symbolic"]["kind"] == "Primary"),
            finding["locations"][0],
        )
        key = primary["symbolic"]["key"]
        path = key.get("Local", {}).get("verbatim_path", "") if isinstance(key, dict) else ""
        found.append(
            {
                "audit": finding["ident"],
                "confidence": CONFIDENCE.get(
                    str(finding["determinations"]["confidence"]).lower(), 0
                ),
                "path": path.removeprefix("./"),
                "line": primary["concrete"]["location"]["start_point"]["row"] + 1,
                "says": primary["symbolic"].get("annotation", "") or finding["desc"],
            }
        )
    return found


def prodready(repo: Path, select: str) -> list[Finding]:
    command = [sys.executable, "-m", "prodready", "check", str(repo), "--select", select]
    done = subprocess.run(
        [*command, "--format", "json", "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if done.returncode not in (0, 1):
        print(f"{repo.name}: prodready exit {done.returncode}", file=sys.stderr)
        return []
    found: list[Finding] = []
    for repository in json.loads(done.stdout)["repositories"]:
        member = Path(repository["path"]).resolve().relative_to(repo.resolve()).as_posix()
        prefix = "" if member == "." else member + "/"
        for finding in repository["findings"]:
            path = finding.get("path") or ""
            found.append({**finding, "path": prefix + path if path else ""})
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="/work/eco", type=Path)
    parser.add_argument("--audits", default="", help="comma-separated zizmor audits (all seen)")
    parser.add_argument("--min-confidence", default="medium", choices=list(CONFIDENCE)[1:])
    parser.add_argument(
        "--select", default="", help="prodready codes to run (default: those with zizmor peers)"
    )
    parser.add_argument("--show", action="store_true", help="list the differences file by file")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    program = zizmor_program()
    mapping = peers()
    select = args.select or ",".join(sorted({c for codes in mapping.values() for c in codes}))
    repos = sorted(
        d for d in args.folder.iterdir() if d.is_dir() and (d / ".github/workflows").is_dir()
    )

    def run(repo: Path) -> tuple[str, list[Finding], list[Finding]]:
        return repo.name, zizmor(program, repo), prodready(repo, select)

    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        results = list(pool.map(run, repos))

    floor = CONFIDENCE[args.min_confidence]
    wanted = [a for a in args.audits.split(",") if a]
    audits = wanted or sorted({str(f["audit"]) for _, z, _ in results for f in z} | set(mapping))
    print(
        f"{len(repos)} repositories with workflows; zizmor findings of {args.min_confidence} "
        "confidence or more"
    )
    print(
        f"{'zizmor audit':28} {'prodready':16} {'zizmor':>6} {'same file':>9} {'recall':>7} "
        f"{'prodready only':>14}"
    )
    details: list[str] = []
    for audit in audits:
        codes = mapping.get(audit, [])
        total = matched = extra = 0
        for name, zfound, pfound in results:
            mine = [f for f in pfound if f["code"] in codes]
            theirs_all = [f for f in zfound if f["audit"] == audit]
            theirs = [f for f in theirs_all if int(str(f["confidence"])) >= floor]
            my_files = {f["path"] for f in mine}
            their_files = {f["path"] for f in theirs_all}
            for f in theirs:
                total += 1
                if f["path"] in my_files:
                    matched += 1
                elif codes:
                    details.append(
                        f"{audit}  zizmor only  {name}/{f['path']}:{f['line']}  {f['says']}"
                    )
            for f in mine:
                if f["path"] not in their_files:
                    extra += 1
                    details.append(
                        f"{audit}  prodready only  {name}/{f['path']}:{f.get('line')}  "
                        f"{f['code']} {f['message']}"
                    )
        if not total and not codes:
            continue
        recall = f"{matched / total:.0%}" if total and codes else "-"
        print(
            f"{audit:28} {','.join(codes) or 'no rule':16} {total:>6} "
            f"{matched if codes else '-':>9} {recall:>7} {extra if codes else '-':>14}"
        )
    if args.show:
        print()
        print("\n".join(sorted(details)))


if __name__ == "__main__":
    main()
