"""`prodready fleet scan` and `query` on real git repositories served from local bare remotes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from prodready.auditor import Auditor
from prodready.cli import main
from prodready.fleet.executors import ExecutorOptions
from prodready.fleet.query import query
from prodready.fleet.results import latest_scan, read_table
from prodready.fleet.scan import scan
from prodready.fleet.sources import read_sources
from tests.fleet.conftest import FakeApi, MakeRemote, Remote, url_list

EXTRA = {
    "alpha": {"setup.py": "from setuptools import setup\nsetup()\n"},
    "beta": {"src/beta/core.py": "import requests\n\npassword = 'hunter2-but-longer'\n"},
    "gamma": {},
}


@pytest.fixture
def fleet(tmp_path: Path, make_remote: MakeRemote) -> dict[str, Remote]:
    return {name: make_remote(name, extra) for name, extra in EXTRA.items()}


def _scan(tmp_path: Path, fleet: dict[str, Remote], *extra: str) -> int:
    listing = url_list(tmp_path / "fleet.txt", [r.url for r in fleet.values()])
    return main(
        [
            "fleet", "scan", str(listing), "--results", str(tmp_path / "results"),
            "--cache", str(tmp_path / "mirrors"), "--jobs", "2", *extra,
        ]
    )  # fmt: skip


def _repositories(results: Path) -> dict[str, dict[str, Any]]:
    """The latest scan's rows by repository."""
    table = read_table(results, "repositories").to_pylist()
    latest = latest_scan(results)
    return {row["repository"]: row for row in table if row["scan_id"] == latest}


def test_a_scan_audits_every_repository(tmp_path: Path, fleet: dict[str, Remote]) -> None:
    assert _scan(tmp_path, fleet) == 0
    rows = _repositories(tmp_path / "results")
    assert sorted(rows) == ["alpha", "beta", "gamma"]
    assert {row["status"] for row in rows.values()} == {"audited"}
    assert all(len(row["commit"]) == 40 and row["findings"] > 0 for row in rows.values())
    scans = read_table(tmp_path / "results", "scans").to_pylist()
    assert [(s["repositories"], s["audited"], s["cached"], s["failed"]) for s in scans] == [
        (3, 3, 0, 0)
    ]


def test_a_rescan_audits_only_the_repository_that_changed(
    tmp_path: Path, fleet: dict[str, Remote]
) -> None:
    assert _scan(tmp_path, fleet) == 0
    first = _repositories(tmp_path / "results")
    fleet["beta"].commit({"src/beta/extra.py": "import yaml\n"})
    assert _scan(tmp_path, fleet) == 0
    second = _repositories(tmp_path / "results")
    assert {name: row["status"] for name, row in second.items()} == {
        "alpha": "cached",
        "beta": "audited",
        "gamma": "cached",
    }
    assert second["beta"]["commit"] != first["beta"]["commit"]
    for name in ("alpha", "gamma"):  # a cached repository's rows are the earlier ones, copied
        keep = ("commit", "findings", "errors", "warnings", "infos", "kind", "audited_at")
        assert {k: second[name][k] for k in keep} == {k: first[name][k] for k in keep}
    counts = query(
        tmp_path / "results",
        "SELECT scan_id, count(*) FROM findings WHERE repository = 'alpha' GROUP BY scan_id",
    ).rows
    assert len(counts) == 2
    assert counts[0][1] == counts[1][1] == first["alpha"]["findings"]


def test_a_repository_that_cannot_be_cloned_is_recorded_and_the_scan_goes_on(
    tmp_path: Path, fleet: dict[str, Remote], capsys: pytest.CaptureFixture[str]
) -> None:
    missing = (tmp_path / "remotes" / "missing.git").as_uri()
    listing = url_list(
        tmp_path / "fleet.txt",
        [fleet["alpha"].url, missing, f"{fleet['gamma'].url}@no-such-branch"],
    )
    code = main(
        [
            "fleet",
            "scan",
            str(listing),
            "--results",
            str(tmp_path / "results"),
            "--cache",
            str(tmp_path / "mirrors"),
        ]
    )
    assert code == 2
    rows = _repositories(tmp_path / "results")
    assert rows["alpha"]["status"] == "audited"
    assert rows["missing"]["status"] == "failed"
    assert rows["missing"]["reason"].startswith("fetch failed:")
    assert rows["missing"]["commit"] == ""
    assert rows["gamma"]["status"] == "failed"
    assert "no-such-branch" in rows["gamma"]["reason"]
    assert "(1 audited, 0 cached, 2 failed)" in capsys.readouterr().err


def _checkout(remote: Remote, commit: str, target: Path) -> Path:
    subprocess.run(
        ["git", "clone", "-q", str(remote.bare), str(target)], check=True, capture_output=True
    )
    subprocess.run(
        ["git", "-C", str(target), "checkout", "-q", commit], check=True, capture_output=True
    )
    return target


def test_finding_counts_read_with_duckdb_equal_check_on_the_same_commits(
    tmp_path: Path, fleet: dict[str, Remote], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _scan(tmp_path, fleet) == 0
    capsys.readouterr()
    assert main([
        "fleet", "query", "--results", str(tmp_path / "results"), "--format", "json",
        "SELECT r.repository, r.commit, count(f.code) AS n FROM repositories r "
        "LEFT JOIN findings f USING (scan_id, repository, commit) GROUP BY ALL ORDER BY 1",
    ]) == 0  # fmt: skip
    answer = json.loads(capsys.readouterr().out)
    assert [row["repository"] for row in answer] == ["alpha", "beta", "gamma"]
    for row in answer:
        clone = _checkout(
            fleet[row["repository"]], row["commit"], tmp_path / "clones" / row["repository"]
        )
        report = Auditor().check(clone)
        assert row["n"] == len(report.findings), row["repository"]
        codes = query(
            tmp_path / "results", "SELECT repository, code FROM findings ORDER BY code"
        ).rows
        assert [c for (name, c) in codes if name == row["repository"]] == sorted(
            f.code for f in report.findings
        )


def _contents(results: Path) -> dict[str, list[dict[str, Any]]]:
    """The tables without what differs between two runs: scan ids, times, the executor."""
    volatile = {"scan_id", "audited_at", "seconds", "started_at", "finished_at", "executor"}
    return {
        table: sorted(
            (
                {k: v for k, v in row.items() if k not in volatile}
                for row in read_table(results, table).to_pylist()
            ),
            key=repr,
        )
        for table in ("repositories", "units", "findings", "scans")
    }


def test_a_dask_local_cluster_writes_what_the_process_pool_writes(
    tmp_path: Path, fleet: dict[str, Remote]
) -> None:
    pytest.importorskip("distributed")
    listing = url_list(tmp_path / "fleet.txt", [r.url for r in fleet.values()])
    sources = read_sources([str(listing)])
    for executor, options in (
        ("local", ExecutorOptions(jobs=2)),
        ("dask", ExecutorOptions(jobs=2, processes=False)),
    ):
        summary = scan(
            sources,
            results=tmp_path / executor,
            mirrors=tmp_path / f"mirrors-{executor}",
            given=[str(listing)],
            executor=executor,
            options=options,
        )
        assert (summary.audited, summary.failed) == (3, 0)
        assert summary.executor.startswith(executor)
    local, dask = _contents(tmp_path / "local"), _contents(tmp_path / "dask")
    assert local["findings"]
    assert local == dask


def test_query_formats(
    tmp_path: Path, fleet: dict[str, Remote], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _scan(tmp_path, fleet, "--include", "a*") == 0
    capsys.readouterr()
    sql = "SELECT repository, status FROM repositories"
    results = ["--results", str(tmp_path / "results")]
    assert main(["fleet", "query", sql, *results]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "repository  status", "----------  -------", "alpha       audited", "(1 row)",
    ]  # fmt: skip
    assert main(["fleet", "query", sql, *results, "--format", "csv"]) == 0
    assert capsys.readouterr().out == "repository,status\nalpha,audited\n"
    assert main(["fleet", "query", "SELECT nonsense FROM nowhere", *results]) == 2
    assert "query:" in capsys.readouterr().err


def test_query_on_no_results_sees_empty_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "fleet",
                "query",
                "SELECT count(*) AS n FROM findings",
                "--results",
                str(tmp_path),
                "--format",
                "json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out) == [{"n": 0}]


def test_a_repository_whose_audit_fails_is_recorded_with_the_reason(
    tmp_path: Path, make_remote: MakeRemote
) -> None:
    broken = make_remote("broken")
    broken.commit(
        {"pyproject.toml": '[project]\nname = "broken"\n\n[tool.prodready]\nselect = ["NOPE999"]\n'}
    )
    listing = url_list(tmp_path / "fleet.txt", [broken.url])
    results = tmp_path / "results"
    assert main(["fleet", "scan", str(listing), "--results", str(results), "-q"]) == 2
    (row,) = read_table(results, "repositories").to_pylist()
    assert row["status"] == "failed"
    assert row["reason"].startswith("audit failed: ")
    assert "NOPE999" in row["reason"]
    assert len(row["commit"]) == 40


def test_an_organisation_listed_by_its_host_is_scanned(
    tmp_path: Path,
    fleet: dict[str, Remote],
    fake_api: FakeApi,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)

    def item(name: str, **extra: Any) -> dict[str, Any]:
        return {
            "full_name": f"acme/{name}",
            "clone_url": fleet[name].url if name in fleet else f"file://{tmp_path}/gone.git",
            "default_branch": "main",
            "html_url": f"https://github.example/acme/{name}",
            "archived": False,
            "fork": False,
            **extra,
        }

    listing = [item("alpha"), item("beta"), item("old", archived=True), item("gamma", fork=True)]
    fake_api.route("GET", "/orgs/acme/repos", (200, {}, listing))
    results = tmp_path / "results"
    argv = ["fleet", "scan", "github:acme", "--github-api", fake_api.url, "--results",
            str(results), "--cache", str(tmp_path / "mirrors"), "--jobs", "2", "-q"]  # fmt: skip
    assert main(argv) == 0
    assert [(c.method, c.path, c.query["type"]) for c in fake_api.calls] == [
        ("GET", "/orgs/acme/repos", "all")
    ]
    rows = _repositories(results)
    assert sorted(rows) == ["acme/alpha", "acme/beta"], "archived repositories and forks skipped"
    assert {row["status"] for row in rows.values()} == {"audited"}
    assert rows["acme/alpha"]["url"] == fleet["alpha"].url
    scans = read_table(results, "scans").to_pylist()
    assert scans[0]["sources"] == ["github:acme"]
    # the same listing with forks kept, one repository only
    argv += ["--include-forks", "--include", "acme/g*"]
    assert main(argv) == 0
    assert sorted(_repositories(results)) == ["acme/gamma"]
