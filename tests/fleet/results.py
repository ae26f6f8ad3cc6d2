"""A fleet's results folder written as `prodready fleet scan` writes it (the Parquet schema of
the fleet contract), for the tests of what reads it: three weekly scans of 21 repositories with
findings of several families that fall week by week, one repository that cannot be cloned, one
whose name and messages are hostile HTML, a re-scan that reuses cached results, and the
organisation policy's opt-outs (one without a reason), and the pull requests of two `fleet fix`
runs (one left open, one whose later run failed, one with a hostile address, a dry run)."""

from __future__ import annotations

import datetime
import hashlib
import random
from pathlib import Path
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.parquet as pq

from prodready.fleet.results import schema

UTC = datetime.UTC
HOSTILE = "acme/<script>alert('x')</script>&amp;"
GONE = "acme/gone"
# real rules, with their family, severity and fix
RULES = (
    ("PKG001", "PKG", "warning", "none"),
    ("PKG008", "PKG", "error", "safe"),
    ("SEC001", "SEC", "warning", "none"),
    ("SEC003", "SEC", "warning", "none"),
    ("GHA001", "GHA", "error", "safe"),
    ("GHA004", "GHA", "warning", "none"),
    ("CI001", "CI", "warning", "none"),
    ("PC001", "PC", "info", "none"),
    ("LINT001", "LINT", "warning", "safe"),
    ("TEST001", "TEST", "warning", "none"),
    ("DEP001", "DEP", "error", "unsafe"),
    ("TYPE001", "TYPE", "info", "unsafe"),
    ("DOC001", "DOC", "info", "none"),
)
SCANS = (
    ("20240501T090000Z-a1f3c9", datetime.datetime(2024, 5, 1, 9, 0, tzinfo=UTC)),
    ("20240508T090000Z-b27d40", datetime.datetime(2024, 5, 8, 9, 0, tzinfo=UTC)),
    ("20240515T090000Z-c9e812", datetime.datetime(2024, 5, 15, 9, 0, tzinfo=UTC)),
)
KINDS = ("library", "application", "service")

# The tables as `fleet scan` writes them: one schema, the writer's own.
REPOSITORIES = schema("repositories")
FINDINGS = schema("findings")
SCAN_TABLE = schema("scans")
OPTOUTS = schema("optouts")
CHANGES = schema("changes")
RUNS = (
    ("20240510T120000Z-d00d01", datetime.datetime(2024, 5, 10, 12, 0, tzinfo=UTC)),
    ("20240517T120000Z-d00d02", datetime.datetime(2024, 5, 17, 12, 0, tzinfo=UTC)),
)
HOSTILE_URL = "javascript:alert(1)//<script>"


class Fleet(NamedTuple):
    """What was written, for the tests to check the page against."""

    root: Path
    scans: list[str]  # scan ids, oldest first
    repositories: dict[str, list[dict[str, Any]]]  # per scan
    findings: dict[str, list[dict[str, Any]]]  # per scan
    optouts: list[dict[str, Any]]  # the latest scan's
    changes: list[dict[str, Any]]  # every fix run's


def names() -> list[str]:
    """The fleet's repositories: 19 ordinary ones, a hostile name and one that is gone."""
    return [f"acme/service-{i:02d}" for i in range(1, 20)] + [HOSTILE, GONE]


def _commit(*parts: str) -> str:
    return hashlib.sha1("/".join(parts).encode(), usedforsecurity=False).hexdigest()


def _write(
    root: Path,
    table: str,
    scan_id: str,
    rows: list[dict[str, Any]],
    schema: Any,
    *,
    level: str = "scan",
) -> None:
    folder = root / table / f"{level}={scan_id}"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), folder / "part-0.parquet")


def write_fleet(root: Path, *, scans: int = 3, optouts: bool = True, changes: bool = True) -> Fleet:
    """Write `scans` weekly scans of the fleet under `root`. Each repository has its own
    findings (chosen by a seeded generator, so the folder is the same every time); from one
    scan to the next some are fixed; in every scan after the first, a third of the
    repositories are unchanged and their rows are reused ("cached")."""
    written = Fleet(root, [], {}, {}, [], [])
    for index, (scan_id, started) in enumerate(SCANS[:scans]):
        repos: list[dict[str, Any]] = []
        findings: list[dict[str, Any]] = []
        for number, name in enumerate(names()):
            pick = random.Random(f"{name}")  # noqa: S311 - test data, not secrets
            if name == GONE:
                repos.append(
                    _repo(scan_id, name, at=started, state=("failed", ""), findings=[], index=index)
                )
                continue
            chosen = pick.sample(RULES, pick.randint(0 if number % 7 == 0 else 1, 7))
            # a changed repository fixes one rule a week; every third one does not change
            age = index if number % 3 else 0
            chosen = chosen[min(age, len(chosen) - 1) :] if chosen else chosen
            commit = _commit(name, str(age))
            mine = []
            for code, family, severity, fix in chosen:
                for n in range(1 + pick.randint(0, 2) * (family != "PKG")):
                    message = f"{code} finding {n} in {name}"
                    if name == HOSTILE:
                        message = "<img src=x onerror=alert(1)> \x1b[31m & </td></table>"
                    mine.append(
                        {
                            "scan_id": scan_id,
                            "repository": name,
                            "commit": commit,
                            "code": code,
                            "family": family,
                            "severity": severity,
                            "path": f"src/m{n}.py",
                            "line": n + 1,
                            "message": message,
                            "fix": fix,
                            "fingerprint": _commit(name, code, str(n))[:16],
                        }
                    )
            status = "cached" if index and number % 3 == 0 else "audited"
            repos.append(
                _repo(scan_id, name, at=started, state=(status, commit), findings=mine, index=index)
            )
            findings.extend(mine)
        _write(root, "repositories", scan_id, repos, REPOSITORIES)
        _write(root, "findings", scan_id, findings, FINDINGS)
        failed = sum(r["status"] == "failed" for r in repos)
        cached = sum(r["status"] == "cached" for r in repos)
        scan = {
            "scan_id": scan_id,
            "started_at": started,
            "finished_at": started + datetime.timedelta(minutes=4),
            "sources": ["repos.txt"],
            "executor": "local",
            "prodready_version": "0.9.0",
            "repositories": len(repos),
            "audited": len(repos) - failed - cached,
            "cached": cached,
            "failed": failed,
        }
        _write(root, "scans", scan_id, [scan], SCAN_TABLE)
        written.scans.append(scan_id)
        written.repositories[scan_id] = repos
        written.findings[scan_id] = findings
    if optouts:
        latest = written.scans[-1]
        rows = [
            {
                "scan_id": latest,
                "repository": "acme/service-04",
                "code": "SEC001",
                "reason": "audited by the platform's <b>central</b> scanner",
                "honoured": True,
            },
            {
                "scan_id": latest,
                "repository": HOSTILE,
                "code": "CI001",
                "reason": "",
                "honoured": False,
            },
        ]
        _write(root, "optouts", latest, rows, OPTOUTS)
        written.optouts.extend(rows)
    if changes:
        for index, (run_id, at) in enumerate(RUNS):
            rows = [
                _change(run_id, at, "acme/service-01", ("opened", "unchanged")[index], 11),
                _change(run_id, at, "acme/service-02", ("opened", "failed")[index], 12),
                _change(run_id, at, HOSTILE, "opened", 13, url=HOSTILE_URL),
                _change(run_id, at, "acme/service-03", "dry-run", 0),
            ]
            if index:  # the second run failed before it reached the hostile repository
                rows = [r for r in rows if r["repository"] != HOSTILE]
            _write(root, "changes", run_id, rows, CHANGES, level="run")
            written.changes.extend(rows)
    return written


def _change(
    run_id: str, at: datetime.datetime, name: str, action: str, number: int, *, url: str = ""
) -> dict[str, Any]:
    """A row of the changes table: `number` 0 for no pull request, or a failed run's."""
    failed = action == "failed"
    return {
        "run_id": run_id,
        "change": "fix",
        "repository": name,
        "branch": "prodready/fix",
        "base": "main",
        "commit": "" if action == "dry-run" or failed else _commit(name, run_id),
        "action": action,
        "url": ""
        if not number or failed
        else url or f"https://git.example.org/{name}/pull/{number}",
        "number": 0 if failed else number,
        "title": "prodready: fix PKG008",
        "reason": "git push: rejected" if failed else "",
        "fixed": ["PKG008"],
        "files": ["pyproject.toml"],
        "conflicts": [],
        "recorded_at": at,
    }


def _repo(
    scan_id: str,
    name: str,
    *,
    at: datetime.datetime,
    state: tuple[str, str],
    findings: list[dict[str, Any]],
    index: int,
) -> dict[str, Any]:
    """A repository's row: `state` is its status and commit."""
    status, commit = state
    count = {s: sum(f["severity"] == s for f in findings) for s in ("error", "warning", "info")}
    return {
        "scan_id": scan_id,
        "repository": name,
        "url": f"https://git.example.org/{name}.git",
        "ref": "main",
        "commit": commit,
        "status": status,
        "reason": "git clone: repository not found (exit 128)" if status == "failed" else "",
        "kind": "" if status == "failed" else KINDS[len(name) % 3],
        "findings": len(findings),
        "errors": count["error"],
        "warnings": count["warning"],
        "infos": count["info"],
        "prodready_version": "0.9.0",
        "config_hash": "c0ffee",
        "audited_at": at + datetime.timedelta(seconds=10 + index),
        "seconds": 1.5,
    }
