"""A fleet scan: the sources' repositories audited by an executor's workers, a known result
reused for an unchanged repository, and every repository's outcome written as one scan."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from prodready._version import __version__
from prodready.fleet.executors import ExecutorOptions, make
from prodready.fleet.mirror import Credential
from prodready.fleet.results import (
    Known,
    Row,
    known_results,
    new_scan_id,
    optouts_of,
    rows_of,
    write_scan,
)
from prodready.fleet.sources import Source
from prodready.fleet.worker import AUDITED, CACHED, FAILED, AuditConfig, RepoResult, Task, audit_one


class Summary(NamedTuple):
    """What a scan did, for its summary line and exit code."""

    scan_id: str
    repositories: int
    audited: int
    cached: int
    failed: int
    findings: int
    seconds: float
    executor: str


Progress = Callable[[int, int, int, float], None]
DEFAULT_OPTIONS = ExecutorOptions()
DEFAULT_CONFIG = AuditConfig()


def scan(
    sources: Sequence[Source],
    *,
    results: Path,
    mirrors: Path,
    given: Sequence[str] = (),
    executor: str = "local",
    options: ExecutorOptions = DEFAULT_OPTIONS,
    config: AuditConfig = DEFAULT_CONFIG,
    timeout: float = 600,
    progress: Progress | None = None,
    policy_source: str = "",
    credentials: tuple[Credential, ...] = (),
) -> Summary:
    """Audit `sources` and write the scan's rows under `results`; `policy_source` says where
    the configuration's policy came from (a file, or a repository's file read at
    `config.policy_commit`); `credentials` are the hosts' tokens the fetches may send."""
    started, clock = datetime.now(UTC), time.monotonic()
    scan_id = new_scan_id(started)
    config_hash = config.digest()
    known = known_results(results, __version__, config_hash)
    mirrors.mkdir(parents=True, exist_ok=True)
    tasks = [
        Task(
            source,
            str(mirrors),
            config,
            frozenset(known.get(source.name, {})),
            timeout,
            credentials,
        )
        for source in sources
    ]
    done: list[RepoResult] = []
    with make(executor, options) as runner:
        described = runner.describe()
        for result in runner.map_unordered(audit_one, tasks):
            done.append(result)
            if progress is not None:
                failed = sum(1 for r in done if r.status == FAILED)
                progress(len(done), len(tasks), failed, time.monotonic() - clock)
    done.sort(key=lambda r: r.source.name)
    tables = _rows(scan_id, done, known, results, config_hash)
    counts = {
        status: sum(1 for r in done if r.status == status) for status in (AUDITED, CACHED, FAILED)
    }
    scan_row: Row = {
        "scan_id": scan_id,
        "started_at": started,
        "finished_at": datetime.now(UTC),
        "sources": list(given),
        "executor": described,
        "prodready_version": __version__,
        "repositories": len(done),
        "audited": counts[AUDITED],
        "cached": counts[CACHED],
        "failed": counts[FAILED],
        "policy_source": policy_source,
        "policy_commit": config.policy_commit,
    }
    tables["scans"] = [scan_row]
    if not config.policy:
        del tables["optouts"]
    write_scan(results, scan_id, tables)
    return Summary(
        scan_id,
        len(done),
        counts[AUDITED],
        counts[CACHED],
        counts[FAILED],
        len(tables["findings"]),
        time.monotonic() - clock,
        described,
    )


def _rows(
    scan_id: str,
    done: Sequence[RepoResult],
    known: dict[str, dict[str, Known]],
    results: Path,
    config_hash: str,
) -> dict[str, list[Row]]:
    """The `repositories`, `units`, `findings` and `optouts` rows of a scan: a cached
    repository's copied from the scan that holds them."""
    reused = {
        (known[r.source.name][r.commit].scan_id, r.source.name, r.commit)
        for r in done
        if r.status == CACHED
    }
    previous = rows_of(results, "findings", reused)
    previous_units = rows_of(results, "units", reused)
    previous_optouts = optouts_of(results, {(scan, name) for scan, name, _ in reused})
    repositories: list[Row] = []
    units: list[Row] = []
    findings: list[Row] = []
    optouts: list[Row] = []
    for result in done:
        name = result.source.name
        base: Row = {
            "scan_id": scan_id,
            "repository": name,
            "url": result.source.url,
            "ref": result.source.ref,
            "commit": result.commit,
            "status": result.status,
            "reason": result.reason,
            "prodready_version": __version__,
            "config_hash": config_hash,
            "seconds": result.seconds,
        }
        if result.status == CACHED:
            old = known[name][result.commit].row
            rows = [{**row, "scan_id": scan_id} for row in previous.get((name, result.commit), [])]
            repositories.append(
                {**old, **base, "reason": old["reason"], "audited_at": old["audited_at"]}
            )
            findings.extend(rows)
            units.extend(
                {**row, "scan_id": scan_id} for row in previous_units.get((name, result.commit), [])
            )
            optouts.extend({**row, "scan_id": scan_id} for row in previous_optouts.get(name, []))
            continue
        rows = [
            {"scan_id": scan_id, "repository": name, "commit": result.commit, **f._asdict()}
            for f in result.findings
        ]
        findings.extend(rows)
        units.extend(
            {
                "scan_id": scan_id,
                "repository": name,
                "commit": result.commit,
                **unit._asdict(),
                **_counts([row for row in rows if row["unit"] == unit.unit]),
            }
            for unit in result.units
        )
        optouts.extend(
            {"scan_id": scan_id, "repository": name, **o._asdict()} for o in result.optouts
        )
        repositories.append(
            {**base, "kind": result.kind, "audited_at": result.audited_at, **_counts(rows)}
        )
    return {
        "repositories": repositories,
        "units": units,
        "findings": findings,
        "optouts": optouts,
    }


def _counts(rows: Sequence[Row]) -> dict[str, Any]:
    severities = [row["severity"] for row in rows]
    return {
        "findings": len(rows),
        "errors": severities.count("error"),
        "warnings": severities.count("warning"),
        "infos": severities.count("info"),
    }


class TerminalProgress:
    """`done/total, failed, per second` rewritten in place on a terminal; silent elsewhere."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        isatty = getattr(stream, "isatty", None)
        self.stream = stream
        self.enabled = bool(isatty and isatty())
        self.shown = False

    def __call__(self, done: int, total: int, failed: int, seconds: float) -> None:
        if not self.enabled:
            return
        rate = done / seconds if seconds > 0 else 0.0
        self.stream.write(
            f"\r\x1b[Kprodready fleet: {done}/{total} done, {failed} failed, {rate:.1f}/s"
        )
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        """End the progress line before the summary."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
