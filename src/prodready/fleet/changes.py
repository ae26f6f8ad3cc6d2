"""The `changes` table: what each `fleet fix` and `fleet update` run did to each repository, and
the pull (merge) request it opened, updated or reopened, in the fleet's results folder beside
the scans (`RESULTS/changes/run=<run_id>/part-0.parquet`, append-only, one partition per run,
written atomically).

A later run reads the table to find the pull request recorded for a repository and branch (the
latest row with one), so it reopens a request closed unmerged instead of opening another. A
results folder kept by an earlier prodready holds `fixes.jsonl` instead: it is read the same way
and, on the first run that writes the table, moved into it (partition `run=fixes-jsonl`) and
renamed `fixes.jsonl.migrated`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prodready.fleet.results import Row, new_scan_id, read_table, write_part

if TYPE_CHECKING:
    from prodready.fleet.branches import Outcome

TABLE = "changes"
LEGACY_FILE = "fixes.jsonl"
LEGACY_RUN = "fixes-jsonl"
# the actions a row records, from the outcome's status and what happened to its pull request
ACTIONS = (
    "dry-run",  # would change: nothing pushed
    "clean",  # nothing to change
    "skipped",  # the change does not apply (`reason` says why)
    "pushed",  # a new branch, on no known host (no pull request)
    "opened",  # a pull request opened
    "updated",  # the branch moved, or its open pull request was updated
    "reopened",  # a pull request closed unmerged was reopened and updated
    "unchanged",  # the branch already held this change
    "failed",  # `reason` says why
)
DRY_RUN = {"would change": "dry-run"}
OPEN = frozenset({"opened", "updated", "reopened", "unchanged"})


def action(status: str, proposal: str) -> str:
    """One row's action: the outcome's `status`, or what the run did to the pull request when
    it did something (`proposal`: "opened", "reopened", "updated" or "")."""
    if status in ("pushed", "updated", "unchanged") and proposal in ("opened", "reopened"):
        return proposal
    if status == "pushed" and proposal == "updated":
        return "updated"  # a new branch for a pull request someone kept open
    return DRY_RUN.get(status, status)


def row(run_id: str, outcome: Outcome, at: datetime) -> Row:
    """The table's row for one repository's outcome."""
    return {
        "run_id": run_id,
        "change": outcome.change,
        "repository": outcome.repository,
        "branch": outcome.branch,
        "base": outcome.base,
        "commit": outcome.commit,
        "action": action(outcome.status, outcome.proposal),
        "url": outcome.pull_request,
        "number": outcome.number,
        "title": outcome.title,
        "reason": outcome.reason,
        "fixed": list(outcome.fixed),
        "files": list(outcome.files),
        "conflicts": list(outcome.conflicts),
        "recorded_at": at,
    }


class Run:
    """The rows of one run, kept as the outcomes come and written once at its end (or when it
    is stopped: what was done is recorded)."""

    def __init__(self, results: Path, now: datetime | None = None) -> None:
        self.results = results
        self.run_id = new_scan_id(now or datetime.now(UTC))
        self.rows: list[Row] = []

    def add(self, outcome: Outcome) -> None:
        """Record one repository's outcome, stamped now."""
        self.rows.append(row(self.run_id, outcome, datetime.now(UTC)))

    def write(self) -> Path | None:
        """Write the run's partition (after moving an old `fixes.jsonl` into the table); its
        path, or None when the run changed no repository."""
        if not self.rows:
            return None
        migrate(self.results)
        return write_part(self.results, TABLE, self.run_id, self.rows)


def recorded(results: Path) -> dict[tuple[str, str], int]:
    """The pull request number recorded for each (repository, branch): the latest row with one,
    from the table and from a `fixes.jsonl` not yet moved into it."""
    rows = [*read_table(results, TABLE).to_pylist(), *legacy_rows(results / LEGACY_FILE)]
    latest: dict[tuple[str, str], Row] = {}
    for found in rows:
        key = (found["repository"], found["branch"])
        if found["number"] and found["number"] > 0 and _newer(found, latest.get(key)):
            latest[key] = found
    return {key: int(found["number"]) for key, found in latest.items()}


def open_requests(rows: Iterable[Row]) -> list[Row]:
    """The pull requests the results hold as open, by repository and branch: for each, the
    latest row with a pull request, when its action left it open."""
    latest: dict[tuple[str, str], Row] = {}
    for found in rows:
        key = (found["repository"] or "", found["branch"] or "")
        if found["url"] and _newer(found, latest.get(key)):
            latest[key] = found
    return [latest[key] for key in sorted(latest) if latest[key]["action"] in OPEN]


def _newer(found: Row, than: Row | None) -> bool:
    if than is None:
        return True
    stamp = found["recorded_at"] or datetime.min.replace(tzinfo=UTC)
    other = than["recorded_at"] or datetime.min.replace(tzinfo=UTC)
    return (stamp, found["run_id"]) > (other, than["run_id"])


def migrate(results: Path) -> None:
    """Move an old `fixes.jsonl` into the table once: its rows become the partition
    `run=fixes-jsonl` and the file is renamed `fixes.jsonl.migrated`."""
    legacy = results / LEGACY_FILE
    if not legacy.is_file():
        return
    write_part(results, TABLE, LEGACY_RUN, legacy_rows(legacy))
    legacy.replace(legacy.with_name(LEGACY_FILE + ".migrated"))


def legacy_rows(path: Path) -> list[Row]:
    """The lines of an old `fixes.jsonl` as rows of the table (unreadable lines are dropped)."""
    if not path.is_file():
        return []
    found: list[Row] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        if isinstance(data, dict):
            found.append(_legacy_row(data))
    return found


def _legacy_row(data: dict[str, Any]) -> Row:
    """One `fixes.jsonl` line: the outcome's fields and `updated_at`."""
    number = data.get("number")
    url = str(data.get("pull_request") or "")
    status = str(data.get("status") or "")
    try:
        at: datetime | None = datetime.strptime(
            str(data.get("updated_at")), "%Y-%m-%dT%H:%M:%SZ"
        ).replace(tzinfo=UTC)
    except ValueError:
        at = None
    return {
        "run_id": LEGACY_RUN,
        "change": str(data.get("change") or ""),
        "repository": str(data.get("repository") or ""),
        "branch": str(data.get("branch") or ""),
        "base": str(data.get("base") or ""),
        "commit": str(data.get("commit") or ""),
        "action": action(status, "opened" if url and status == "pushed" else ""),
        "url": url,
        "number": number if isinstance(number, int) else 0,
        "title": str(data.get("title") or ""),
        "reason": str(data.get("reason") or ""),
        "fixed": _strings(data.get("fixed")),
        "files": _strings(data.get("files")),
        "conflicts": _strings(data.get("conflicts")),
        "recorded_at": at,
    }


def _strings(value: Any) -> list[str]:
    return (
        [str(v) for v in value]
        if isinstance(value, Sequence) and not isinstance(value, str)
        else []
    )
