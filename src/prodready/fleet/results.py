"""The results of fleet scans as Parquet tables: `repositories`, `units`, `findings`, `scans`
and `optouts`, append-only and partitioned by scan (`RESULTS/<table>/scan=<scan_id>/
part-0.parquet`), each file written whole to a temporary name and renamed into place. A scan's
`scans` row is written last: a scan without one was interrupted, and its other rows are not used
as a cache. The `changes` table of `fleet fix` and `fleet update` lives beside them, partitioned
by run (`RESULTS/changes/run=<run_id>/part-0.parquet`).

A result is keyed by (repository, commit, prodready version, configuration hash): a re-scan
finds an unchanged repository's key here and copies its rows instead of auditing it again.

Older folders are read as they are: a column added since (`DEFAULTS`) reads as its default in
the files written before it.
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

TABLES = ("repositories", "units", "findings", "scans", "optouts", "changes")
Row = dict[str, Any]
# Columns added after the first release of the tables, and what they read as in older files.
DEFAULTS: dict[str, dict[str, Any]] = {
    "findings": {"unit": ""},
    "scans": {"policy_source": "", "policy_commit": ""},
}
# The folder level each table is partitioned by (`scan=<id>` unless named here).
PARTITION = {"changes": "run"}


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
            ("unit", pa.string()),
            ("code", pa.string()),
            ("family", pa.string()),
            ("severity", pa.string()),
            ("path", pa.string()),
            ("line", pa.int32()),
            ("message", pa.string()),
            ("fix", pa.string()),
            ("fingerprint", pa.string()),
        ],
        "units": [
            ("scan_id", pa.string()),
            ("repository", pa.string()),
            ("commit", pa.string()),
            ("unit", pa.string()),
            ("kind", pa.string()),
            ("findings", pa.int32()),
            ("errors", pa.int32()),
            ("warnings", pa.int32()),
            ("infos", pa.int32()),
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
            ("policy_source", pa.string()),
            ("policy_commit", pa.string()),
        ],
        "changes": [
            ("run_id", pa.string()),
            ("change", pa.string()),
            ("repository", pa.string()),
            ("branch", pa.string()),
            ("base", pa.string()),
            ("commit", pa.string()),
            ("action", pa.string()),
            ("url", pa.string()),
            ("number", pa.int64()),
            ("title", pa.string()),
            ("reason", pa.string()),
            ("fixed", pa.list_(pa.string())),
            ("files", pa.list_(pa.string())),
            ("conflicts", pa.list_(pa.string())),
            ("recorded_at", stamp),
        ],
    }
    return pa.schema(columns[table])


def partition(table: str) -> str:
    """The partition level of a table's folders: `scan`, or `run` for `changes`."""
    return PARTITION.get(table, "scan")


def files(results: Path, table: str) -> list[Path]:
    """The Parquet files of one table, oldest scan (run) first."""
    folder = results / table
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{partition(table)}=*/part-*.parquet"))


def partitions(results: Path, table: str) -> set[str]:
    """The ids of the scans (runs) that have a part of `table`."""
    prefix = partition(table) + "="
    return {path.parent.name.removeprefix(prefix) for path in files(results, table)}


def read_table(results: Path, table: str, scans: Iterable[str] | None = None) -> pa.Table:
    """One table over every scan (or only `scans`), with its schema even when empty; a column
    an older file lacks reads as its default (`DEFAULTS`)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    wanted = None if scans is None else {f"{partition(table)}={s}" for s in scans}
    parts = [
        pq.read_table(path, schema=schema(table), partitioning=None)
        for path in files(results, table)
        if wanted is None or path.parent.name in wanted
    ]
    if not parts:
        return schema(table).empty_table()
    data = pa.concat_tables(parts)
    for name, value in DEFAULTS.get(table, {}).items():
        index = data.schema.get_field_index(name)
        data = data.set_column(index, name, pc.fill_null(data[name], value))
    return data


def write_scan(results: Path, scan_id: str, tables: Mapping[str, Sequence[Row]]) -> None:
    """Write one scan's rows: findings, units (and opt-outs, when the scan has a policy), then
    repositories, then the `scans` row that marks the scan complete."""
    for table in ("findings", "units", "optouts", "repositories", "scans"):
        if table == "optouts" and table not in tables:
            continue  # a scan without a policy has no opt-outs table (the report says none)
        write_part(results, table, scan_id, tables.get(table, ()))


def write_part(results: Path, table: str, key: str, rows: Iterable[Row]) -> Path:
    """Write one partition of `table` (a scan's or a run's rows) atomically; its path."""
    import pyarrow as pa

    data = pa.Table.from_pylist(list(rows), schema=schema(table))
    target = results / table / f"{partition(table)}={key}" / "part-0.parquet"
    _write_atomic(data, target)
    return target


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
    time: two scans in one second have ids in no order). A scan written before the `units`
    table is not reused: its findings do not say which workspace member they belong to."""
    import pyarrow as pa
    import pyarrow.compute as pc

    scans = read_table(results, "scans")
    with_units = partitions(results, "units")
    started = {
        scan_id: at
        for scan_id, at in zip(
            scans.column("scan_id").to_pylist(), scans.column("started_at").to_pylist(), strict=True
        )
        if scan_id in with_units
    }
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


def rows_of(
    results: Path, table: str, wanted: Iterable[tuple[str, str, str]]
) -> dict[tuple[str, str], list[Row]]:
    """The rows of `table` (`findings` or `units`) of (scan, repository, commit) triples, by
    (repository, commit), in the order they were written."""
    keys = set(wanted)
    scans = {scan for scan, _, _ in keys}
    if not scans:
        return {}
    found: dict[tuple[str, str], list[Row]] = {}
    for row in read_table(results, table, scans).to_pylist():
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
