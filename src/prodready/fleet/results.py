"""The results of fleet scans as Parquet tables: `repositories`, `findings` and `scans`,
append-only and partitioned by scan (`RESULTS/<table>/scan=<scan_id>/part-0.parquet`), each file
written whole to a temporary name and renamed into place. A scan's `scans` row is written last:
a scan without one was interrupted, and its other rows are not used as a cache.

A result is keyed by (repository, commit, prodready version, configuration hash): a re-scan
finds an unchanged repository's key here and copies its rows instead of auditing it again.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import pyarrow as pa

TABLES = ("repositories", "findings", "scans", "optouts")
Row = dict[str, Any]


def default_results() -> Path:
    """`<prodready cache>/fleet/results`: where `fleet scan` writes and `fleet query` and
    `fleet report` read when `--results` is not given."""
    from prodready.source.cache import cache_dir

    return cache_dir() / "fleet" / "results"


def new_scan_id(now: datetime) -> str:
    """`YYYYmmddTHHMMSSZ-xxxxxx`: sorts by start time; the suffix tells same-second scans apart."""
    return f"{now.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


def schema(table: str) -> pa.Schema:
    """The columns of one table (see the fleet documentation)."""
    import pyarrow as pa

    stamp = pa.timestamp("us", tz="UTC")
    columns: dict[str, list[tuple[str, pa.DataType]]] = {
        "repositories": [
            ("scan_id", pa.string()),
            ("repository", pa.string()),
            ("url", pa.string()),
            ("ref", pa.string()),
            ("commit", pa.string()),
            ("status", pa.string()),
            ("reason", pa.string()),
            ("kind", pa.string()),
            ("findings", pa.int32()),
            ("errors", pa.int32()),
            ("warnings", pa.int32()),
            ("infos", pa.int32()),
            ("prodready_version", pa.string()),
            ("config_hash", pa.string()),
            ("audited_at", stamp),
            ("seconds", pa.float64()),
        ],
        "findings": [
            ("scan_id", pa.string()),
            ("repository", pa.string()),
            ("commit", pa.string()),
            ("code", pa.string()),
            ("family", pa.string()),
            ("severity", pa.string()),
            ("path", pa.string()),
            ("line", pa.int32()),
            ("message", pa.string()),
            ("fix", pa.string()),
            ("fingerprint", pa.string()),
        ],
        "optouts": [
            ("scan_id", pa.string()),
            ("repository", pa.string()),
            ("code", pa.string()),
            ("reason", pa.string()),
            ("honoured", pa.bool_()),
        ],
        "scans": [
            ("scan_id", pa.string()),
            ("started_at", stamp),
            ("finished_at", stamp),
            ("sources", pa.list_(pa.string())),
            ("executor", pa.string()),
            ("prodready_version", pa.string()),
            ("repositories", pa.int32()),
            ("audited", pa.int32()),
            ("cached", pa.int32()),
            ("failed", pa.int32()),
        ],
    }
    return pa.schema(columns[table])


def files(results: Path, table: str) -> list[Path]:
    """The Parquet files of one table, oldest scan first."""
    folder = results / table
    if not folder.is_dir():
        return []
    return sorted(folder.glob("scan=*/part-*.parquet"))


def read_table(results: Path, table: str, scans: Iterable[str] | None = None) -> pa.Table:
    """One table over every scan (or only `scans`), with its schema even when empty."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    wanted = None if scans is None else {f"scan={s}" for s in scans}
    parts = [
        pq.read_table(path, schema=schema(table), partitioning=None)
        for path in files(results, table)
        if wanted is None or path.parent.name in wanted
    ]
    if not parts:
        return schema(table).empty_table()
    return pa.concat_tables(parts)


def write_scan(results: Path, scan_id: str, tables: Mapping[str, Sequence[Row]]) -> None:
    """Write one scan's rows: findings (and opt-outs, when the scan has a policy), then
    repositories, then the `scans` row that marks the scan complete."""
    import pyarrow as pa

    for table in ("findings", "optouts", "repositories", "scans"):
        if table == "optouts" and table not in tables:
            continue  # a scan without a policy has no opt-outs table (the report says none)
        data = pa.Table.from_pylist(list(tables.get(table, ())), schema=schema(table))
        _write_atomic(data, results / table / f"scan={scan_id}" / "part-0.parquet")


def _write_atomic(data: pa.Table, target: Path) -> None:
    import pyarrow.parquet as pq

    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-", suffix=".tmp")
    os.close(handle)
    try:
        pq.write_table(data, temporary, compression="zstd")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Known(NamedTuple):
    """A result that a re-scan may reuse: the scan that holds its rows, and its row."""

    scan_id: str
    row: Row


def known_results(results: Path, version: str, config_hash: str) -> dict[str, dict[str, Known]]:
    """The reusable results by repository and commit: audited or cached rows of complete scans
    with this prodready version and configuration, the latest scan's when several (by start
    time: two scans in one second have ids in no order)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    scans = read_table(results, "scans")
    started = dict(
        zip(
            scans.column("scan_id").to_pylist(), scans.column("started_at").to_pylist(), strict=True
        )
    )
    if not started:
        return {}
    table = read_table(results, "repositories", started)
    mask = pc.and_(
        pc.and_(
            pc.equal(table["prodready_version"], version),
            pc.equal(table["config_hash"], config_hash),
        ),
        pc.is_in(table["status"], value_set=pa.array(["audited", "cached"])),
    )
    found: dict[str, dict[str, Known]] = {}
    for row in table.filter(mask).to_pylist():
        per = found.setdefault(row["repository"], {})
        earlier = per.get(row["commit"])
        if earlier is None or started[earlier.scan_id] < started[row["scan_id"]]:
            per[row["commit"]] = Known(row["scan_id"], row)
    return found


def latest_scan(results: Path) -> str | None:
    """The id of the scan that started last (ids order by the second only), None before any."""
    scans = read_table(results, "scans").to_pylist()
    return max(scans, key=lambda s: (s["started_at"], s["scan_id"]))["scan_id"] if scans else None


def findings_of(
    results: Path, wanted: Iterable[tuple[str, str, str]]
) -> dict[tuple[str, str], list[Row]]:
    """The finding rows of (scan, repository, commit) triples, by (repository, commit), in the
    order they were written."""
    keys = set(wanted)
    scans = {scan for scan, _, _ in keys}
    if not scans:
        return {}
    found: dict[tuple[str, str], list[Row]] = {}
    for row in read_table(results, "findings", scans).to_pylist():
        if (row["scan_id"], row["repository"], row["commit"]) in keys:
            found.setdefault((row["repository"], row["commit"]), []).append(row)
    return found


def optouts_of(results: Path, wanted: Iterable[tuple[str, str]]) -> dict[str, list[Row]]:
    """The opt-out rows of (scan, repository) pairs, by repository, in the order written. A
    result is reused only under the same configuration hash, which holds the policy's, so the
    repository's opt-outs are those of the scan that audited it."""
    keys = set(wanted)
    scans = {scan for scan, _ in keys}
    if not scans:
        return {}
    found: dict[str, list[Row]] = {}
    for row in read_table(results, "optouts", scans).to_pylist():
        if (row["scan_id"], row["repository"]) in keys:
            found.setdefault(row["repository"], []).append(row)
    return found
