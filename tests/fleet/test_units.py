"""A uv workspace's members are audited as units of their own, and the results record each unit:
the `units` table, the `unit` column of `findings`, the dashboard's `repo:member` rows; results
written before units existed are still read."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from prodready.auditor import Auditor
from prodready.cli import main
from prodready.fleet.query import query
from prodready.fleet.report import load
from prodready.fleet.results import latest_scan, read_table
from tests.fleet.conftest import MakeRemote, Remote, url_list

WORKSPACE = {
    "pyproject.toml": """
        [project]
        name = "stack"
        version = "0.1.0"
        requires-python = ">=3.11"

        [tool.uv.workspace]
        members = ["packages/*"]
        """,
    "uv.lock": "version = 1\n",
    "packages/api/pyproject.toml": """
        [project]
        name = "api"
        version = "0.1.0"
        requires-python = ">=3.11"
        dependencies = ["fastapi>=0.114,<1"]
        """,
    "packages/api/src/api/__init__.py": "import fastapi\nimport requests\n",
    "packages/worker/pyproject.toml": """
        [project]
        name = "worker"
        version = "0.1.0"
        """,
    "packages/worker/src/worker/__init__.py": "password = 'hunter2-but-longer'\n",
}
MEMBERS = ("packages/api", "packages/worker")


@pytest.fixture
def stack(make_remote: MakeRemote) -> Remote:
    return make_remote("stack", WORKSPACE)


def _scan(tmp_path: Path, *remotes: Remote) -> int:
    listing = url_list(tmp_path / "fleet.txt", [r.url for r in remotes])
    return main(
        [
            "fleet", "scan", str(listing), "--results", str(tmp_path / "results"),
            "--cache", str(tmp_path / "mirrors"), "--jobs", "2", "-q",
        ]
    )  # fmt: skip


def _latest(results: Path, table: str) -> list[dict[str, Any]]:
    latest = latest_scan(results)
    return [row for row in read_table(results, table).to_pylist() if row["scan_id"] == latest]


def _clone(remote: Remote, commit: str, target: Path) -> Path:
    for args in (["clone", "-q", str(remote.bare), str(target)], ["-C", str(target), "checkout",
                 "-q", commit]):  # fmt: skip
        subprocess.run(["git", *args], check=True, capture_output=True)
    return target


def test_each_member_is_a_unit_whose_counts_equal_check_of_that_member(
    tmp_path: Path, stack: Remote, make_remote: MakeRemote
) -> None:
    plain = make_remote("plain")
    assert _scan(tmp_path, stack, plain) == 0
    results = tmp_path / "results"
    units = {(r["repository"], r["unit"]): r for r in _latest(results, "units")}
    assert sorted(units) == [
        ("plain", ""), ("stack", ""), ("stack", MEMBERS[0]), ("stack", MEMBERS[1]),
    ]  # fmt: skip
    commit = units["stack", ""]["commit"]
    clone = _clone(stack, commit, tmp_path / "clone")
    for unit in ("", *MEMBERS):
        # `prodready check` of the member's folder (of the root for the root project)
        report = Auditor().check(clone / unit if unit else clone)
        expected = report.repositories[0]
        row = units["stack", unit]
        assert row["kind"] == expected.kind.value, unit
        counts = {s: sum(f.severity.label == s for f in expected.findings) for s in
                  ("error", "warning", "info")}  # fmt: skip
        assert (row["findings"], row["errors"], row["warnings"], row["infos"]) == (
            len(expected.findings), counts["error"], counts["warning"], counts["info"],
        ), unit  # fmt: skip
        # the findings, read back with DuckDB, are that unit's, paths from the repository root
        found = [
            (code, path)
            for name, code, path in query(
                results,
                "SELECT unit, code, path FROM findings WHERE repository = 'stack' "
                "ORDER BY code, path",
            ).rows
            if name == unit
        ]
        prefix = f"{unit}/" if unit else ""
        assert found == sorted((f.code, prefix + f.path if f.path else "") for f in
                               expected.findings), unit  # fmt: skip
    assert units["stack", MEMBERS[1]]["findings"] > 0
    # the repository's row sums its units
    (repo,) = [r for r in _latest(results, "repositories") if r["repository"] == "stack"]
    assert repo["findings"] == sum(
        r["findings"] for (name, _), r in units.items() if name == "stack"
    )
    assert repo["kind"] == units["stack", ""]["kind"]

    # the dashboard lists the members as repo:member, in the table and the heat map
    fleet = load(results)
    names = [u.name for u in fleet.units]
    assert set(names) == {"plain", "stack", "stack:packages/api", "stack:packages/worker"}
    page = tmp_path / "dashboard.html"
    assert main(["fleet", "report", "--results", str(results), "-o", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert "<td>stack:packages/worker</td>" in html
    assert "<td class='name'>stack:packages/api</td>" in html
    again = tmp_path / "again.html"
    assert main(["fleet", "report", "--results", str(results), "-o", str(again)]) == 0
    assert again.read_bytes() == page.read_bytes()

    # a re-scan copies every unit of the unchanged repository
    assert _scan(tmp_path, stack, plain) == 0
    cached = {(r["repository"], r["unit"]): r for r in _latest(results, "units")}
    strip = ("scan_id",)
    assert {k: {c: v for c, v in r.items() if c not in strip} for k, r in cached.items()} == {
        k: {c: v for c, v in r.items() if c not in strip} for k, r in units.items()
    }


def _drop_units(results: Path) -> None:
    """Make a results folder as prodready wrote it before units: no `units` table and no
    `unit` column in `findings`, nor the policy's columns in `scans`."""
    shutil.rmtree(results / "units")
    for table, gone in (("findings", "unit"), ("scans", "policy_source")):
        for part in (results / table).glob("scan=*/part-0.parquet"):
            data = pq.read_table(part)
            data = data.drop_columns([c for c in data.column_names if c.startswith(gone)])
            pq.write_table(data, part)


def test_results_written_before_units_are_read_and_not_reused(
    tmp_path: Path, stack: Remote
) -> None:
    results = tmp_path / "results"
    assert _scan(tmp_path, stack) == 0
    _drop_units(results)
    # DuckDB's views have every column: the missing ones read as their defaults
    assert query(results, "SELECT DISTINCT unit FROM findings").rows == [("",)]
    assert query(results, "SELECT policy_source, policy_commit FROM scans").rows == [("", "")]
    assert query(results, "SELECT count(*) FROM units").rows == [(0,)]
    assert {r["unit"] for r in read_table(results, "findings").to_pylist()} == {""}
    # the dashboard reads such a repository as one unit
    fleet = load(results)
    assert [u.name for u in fleet.units] == ["stack"]
    assert fleet.units[0].findings == sum(n for n in fleet.heat.values())
    # a re-scan audits it again (its findings do not say which member they are in)
    assert _scan(tmp_path, stack) == 0
    (row,) = _latest(results, "repositories")
    assert row["status"] == "audited"
    assert {r["unit"] for r in _latest(results, "units")} == {"", *MEMBERS}
    assert query(results, "SELECT count(DISTINCT unit) FROM findings").rows == [(3,)]
