"""`prodready fleet scan --policy`: an organisation's policy that every repository's
`[tool.prodready]` extends, on real git repositories served from local bare remotes."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from prodready.cli import main
from prodready.config import read_policy
from prodready.errors import UsageError
from prodready.fleet.query import query
from prodready.fleet.report import OptOut, load
from prodready.fleet.results import latest_scan, read_table
from tests.conftest import git
from tests.fleet.conftest import MakeRemote, Remote, url_list

PROJECT = """
[project]
name = "{name}"
version = "0.1.0"
requires-python = ">=3.11"
"""
LICENCE_REASON = "licensed under the parent project's terms"
OWN = {
    # opts out of a policy rule with a reason: honoured
    "alpha": f'[tool.prodready.ignore]\nDOC003 = "{LICENCE_REASON}"\n',
    # opts out of a policy rule without a reason: not honoured, the finding stays
    "beta": '[tool.prodready]\nignore = ["DOC003"]\n',
    # adds a rule to the policy's, and ignores one the policy does not select: no opt-out
    "gamma": '[tool.prodready]\nselect = ["TEST001"]\nignore = ["LINT001"]\n',
}
POLICY = """
# the platform team's policy
[tool.prodready]
select = ["DOC001", "DOC003", "GIT001", "CFG"]
fail-on = "error"
"""


@pytest.fixture
def fleet(make_remote: MakeRemote) -> dict[str, Remote]:
    return {
        name: make_remote(name, {"pyproject.toml": PROJECT.format(name=name) + own})
        for name, own in OWN.items()
    }


def _scan(tmp_path: Path, fleet: dict[str, Remote], *extra: str) -> int:
    listing = url_list(tmp_path / "fleet.txt", [r.url for r in fleet.values()])
    return main(
        [
            "fleet", "scan", str(listing), "--results", str(tmp_path / "results"),
            "--cache", str(tmp_path / "mirrors"), "--jobs", "2", "-q", *extra,
        ]
    )  # fmt: skip


def _latest(results: Path, table: str) -> list[dict[str, Any]]:
    latest = latest_scan(results)
    return [row for row in read_table(results, table).to_pylist() if row["scan_id"] == latest]


def _codes(results: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in _latest(results, "findings"):
        found.setdefault(row["repository"], set()).add(row["code"])
    return found


def _policy(tmp_path: Path, text: str = POLICY, name: str = "pyproject.toml") -> Path:
    path = tmp_path / "policy" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_repository_opts_out_of_a_policy_rule_only_with_a_reason(
    tmp_path: Path, fleet: dict[str, Remote]
) -> None:
    results = tmp_path / "results"
    policy = _policy(tmp_path)
    assert _scan(tmp_path, fleet, "--policy", str(policy)) == 0
    (scan,) = _latest(results, "scans")
    assert (scan["policy_source"], scan["policy_commit"]) == (str(policy.resolve()), "")
    codes = _codes(results)
    assert codes["alpha"] == {"DOC001", "GIT001"}, "the reasoned opt-out is honoured"
    # the opt-out without a reason is not: DOC003 stays, and CFG001 says why
    assert codes["beta"] == {"DOC001", "DOC003", "GIT001", "CFG001"}
    # a repository's select adds to the policy's; its ignore of a rule the policy does not
    # select is no opt-out
    assert codes["gamma"] == {"DOC001", "DOC003", "GIT001", "TEST001", "CFG001"}
    cfg = [r["message"] for r in _latest(results, "findings") if r["code"] == "CFG001"]
    assert sorted(cfg) == [
        "ignore of DOC003 has no reason; the organisation's policy selects it, so it is not "
        "honoured",
        "ignore of LINT001 has no reason",
    ]
    optouts = [{k: v for k, v in r.items() if k != "scan_id"} for r in _latest(results, "optouts")]
    assert sorted(optouts, key=lambda r: r["repository"]) == [
        {"repository": "alpha", "code": "DOC003", "reason": LICENCE_REASON, "honoured": True},
        {"repository": "beta", "code": "DOC003", "reason": "", "honoured": False},
    ]
    # the dashboard lists them, and DuckDB reads them
    assert load(results).optouts == [
        OptOut("alpha", "DOC003", LICENCE_REASON, True),
        OptOut("beta", "DOC003", "", False),
    ]
    report = tmp_path / "dashboard.html"
    assert main(["fleet", "report", "--results", str(results), "-o", str(report)]) == 0
    page = report.read_text(encoding="utf-8")
    assert "Opt-outs (2, 1 not honoured)" in page
    assert "no: the rule still runs" in page
    assert query(results, "SELECT repository FROM optouts WHERE NOT honoured").rows == [("beta",)]


def test_without_a_policy_ignores_are_the_repositorys_own_and_no_optouts_table(
    tmp_path: Path, fleet: dict[str, Remote]
) -> None:
    results = tmp_path / "results"
    assert _scan(tmp_path, fleet, "--select", "DOC003,CFG") == 0
    codes = _codes(results)
    assert "DOC003" not in codes.get("beta", set()), "a repository's own ignore, as in check"
    assert not (results / "optouts").exists()
    assert load(results).optouts is None
    (scan,) = _latest(results, "scans")
    assert (scan["policy_source"], scan["policy_commit"]) == ("", "")


def test_a_changed_policy_audits_every_repository_again(
    tmp_path: Path, fleet: dict[str, Remote]
) -> None:
    results = tmp_path / "results"
    policy = _policy(tmp_path, POLICY.replace("[tool.prodready]", ""), "policy.toml")
    assert _scan(tmp_path, fleet, "--policy", str(policy)) == 0
    first = {r["repository"]: r for r in _latest(results, "repositories")}
    # the same policy written differently is the same configuration: every result is reused,
    # opt-outs included
    policy.write_text(POLICY.replace("[tool.prodready]", "# reworded\n") + "\n", encoding="utf-8")
    assert _scan(tmp_path, fleet, "--policy", str(policy)) == 0
    again = {r["repository"]: r for r in _latest(results, "repositories")}
    assert {r["status"] for r in again.values()} == {"cached"}
    assert {r["config_hash"] for r in again.values()} == {first["alpha"]["config_hash"]}
    assert sorted((r["repository"], r["honoured"]) for r in _latest(results, "optouts")) == [
        ("alpha", True),
        ("beta", False),
    ]
    # a changed policy re-audits: the new rule's findings appear
    policy.write_text(POLICY.replace('"CFG"]', '"CFG", "PKG002"]'), encoding="utf-8")
    assert _scan(tmp_path, fleet, "--policy", str(policy)) == 0
    changed = {r["repository"]: r for r in _latest(results, "repositories")}
    assert {r["status"] for r in changed.values()} == {"audited"}
    assert changed["alpha"]["config_hash"] != first["alpha"]["config_hash"]
    assert all("PKG002" in codes for codes in _codes(results).values())


def test_a_policy_is_validated_like_a_repositorys_settings(tmp_path: Path) -> None:
    assert '"select": ["DOC001"' in read_policy(
        _policy(tmp_path, 'select = ["DOC001"]\n', "p.toml")
    )
    with pytest.raises(UsageError, match=r"no \[tool\.prodready\] table"):
        read_policy(_policy(tmp_path, "[project]\nname = 'x'\n"))
    with pytest.raises(UsageError, match="unknown rule selector 'NOPE999'"):
        read_policy(_policy(tmp_path, 'select = ["NOPE999"]\n', "p.toml"))
    with pytest.raises(UsageError, match="fail-on"):
        read_policy(_policy(tmp_path, 'fail-on = "sometimes"\n', "p.toml"))
    with pytest.raises(UsageError, match="not TOML"):
        read_policy(_policy(tmp_path, "select = [\n", "p.toml"))


def _head(remote: Remote) -> str:
    done = subprocess.run(
        ["git", "-C", str(remote.bare), "rev-parse", "main"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _scan_row(results: Path) -> dict[str, Any]:
    (row,) = _latest(results, "scans")
    return row


def test_a_policy_kept_in_a_repository_is_read_at_one_commit_and_recorded(
    tmp_path: Path, fleet: dict[str, Remote], make_remote: MakeRemote
) -> None:
    results = tmp_path / "results"
    policies = make_remote("policies", {"org/prodready.toml": POLICY})
    git(policies.work, "tag", "v1")
    git(policies.work, "push", "-q", str(policies.bare), "v1")
    spec = f"{policies.url}#org/prodready.toml"
    assert _scan(tmp_path, fleet, "--policy", spec) == 0
    first = _head(policies)
    scan = _scan_row(results)
    assert (scan["policy_source"], scan["policy_commit"]) == (spec, first)
    codes = _codes(results)
    assert codes["alpha"] == {"DOC001", "GIT001"}, "the reasoned opt-out is honoured"
    assert codes["beta"] == {"DOC001", "DOC003", "GIT001", "CFG001"}
    hashes = {r["config_hash"] for r in _latest(results, "repositories")}
    assert len(hashes) == 1
    assert query(results, "SELECT policy_source, policy_commit FROM scans").rows == [(spec, first)]

    # the policy repository unchanged: every result is reused
    assert _scan(tmp_path, fleet, "--policy", spec) == 0
    assert {r["status"] for r in _latest(results, "repositories")} == {"cached"}

    # a new policy commit audits every repository again, under the new policy
    policies.commit({"org/prodready.toml": POLICY.replace('"CFG"]', '"CFG", "PKG002"]')})
    assert _scan(tmp_path, fleet, "--policy", spec) == 0
    second = _head(policies)
    assert second != first
    assert _scan_row(results)["policy_commit"] == second
    changed = _latest(results, "repositories")
    assert {r["status"] for r in changed} == {"audited"}
    assert {r["config_hash"] for r in changed}.isdisjoint(hashes)
    assert all("PKG002" in found for found in _codes(results).values())

    # pinned to the tag, the first policy again: the first scan's results are reused
    pinned = f"{policies.url}@v1#org/prodready.toml"
    assert _scan(tmp_path, fleet, "--policy", pinned) == 0
    again = _latest(results, "repositories")
    assert {r["status"] for r in again} == {"cached"}
    assert {r["config_hash"] for r in again} == hashes
    assert (_scan_row(results)["policy_source"], _scan_row(results)["policy_commit"]) == (
        pinned,
        first,
    )
    assert not any("PKG002" in found for found in _codes(results).values())


def test_a_policy_repository_that_cannot_be_read_is_one_line_and_exit_2(
    tmp_path: Path,
    fleet: dict[str, Remote],
    make_remote: MakeRemote,
    capsys: pytest.CaptureFixture[str],
) -> None:
    results = tmp_path / "results"
    policies = make_remote("policies", {"org/prodready.toml": 'select = ["NOPE999"]\n'})
    unreachable = (tmp_path / "remotes" / "nowhere.git").as_uri() + "#policy.toml"
    for spec, said in (
        (unreachable, "cannot read the policy: '/"),  # git's first fatal line, not its advice
        (f"{policies.url}#org/missing.toml", "cannot read the policy: no file 'org/missing.toml'"),
        (f"{policies.url}#org", "'org' at "),
        (f"{policies.url}@no-such-branch#org/prodready.toml", "no branch, tag or commit"),
        (f"{policies.url}#../outside.toml", "is not a path in the repository"),
        # the default path is the repository's pyproject.toml, here without [tool.prodready]
        (policies.url, "pyproject.toml (at "),
        (f"{policies.url}#org/prodready.toml", "unknown rule selector 'NOPE999'"),
    ):
        capsys.readouterr()
        assert _scan(tmp_path, fleet, "--policy", spec) == 2, spec
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert said in err, err
        assert spec.split("#")[0] in err, err
        assert "prodready-policy-" not in err, "the temporary copy is not named"
    assert not results.exists(), "nothing is scanned without the policy"
