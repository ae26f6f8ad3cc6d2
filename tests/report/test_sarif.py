"""SARIF for GitHub code scanning: the schema, GitHub's documented requirements, fingerprints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from prodready.cli import main
from tests.report.github_sarif import problems

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def sarif(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    main(["check", "--format", "sarif", *args])
    log: dict[str, object] = json.loads(capsys.readouterr().out)
    return log


def test_code_scanning_would_take_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES)
    log = sarif(capsys, "broken-service", "sound-library", "--category", "audit")
    jsonschema.validate(log, SCHEMA)
    assert problems(log) == []
    runs = log["runs"]
    assert isinstance(runs, list)
    first = runs[0]
    assert first["automationDetails"] == {"id": "audit/broken-service/"}
    assert first["invocations"] == [{"executionSuccessful": True, "exitCode": 1}]
    rules = first["tool"]["driver"]["rules"]
    pkg008 = next(r for r in rules if r["id"] == "PKG008")
    assert pkg008["helpUri"].endswith("/docs/rules/PKG008.md")
    assert "## Why it matters" in pkg008["help"]["markdown"]
    assert pkg008["defaultConfiguration"]["level"] == "error"
    result = next(r for r in first["results"] if r["ruleId"] == "PC003")
    assert rules[result["ruleIndex"]]["id"] == "PC003"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "broken-service/.pre-commit-config.yaml"
    assert location["region"]["startLine"] == 6
    # a finding about the repository as a whole points at line 1 of the file to edit
    whole = next(r for r in first["results"] if r["ruleId"] == "CI007")
    assert whole["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert runs[1]["results"] == []


def test_rule_pages_are_configurable(capsys: pytest.CaptureFixture[str]) -> None:
    log = sarif(
        capsys, str(FIXTURES / "sound-library"), "--rules-url", "https://docs.example/{code}"
    )
    rules = log["runs"][0]["tool"]["driver"]["rules"]  # type: ignore[index]
    assert {r["helpUri"] for r in rules} == {f"https://docs.example/{r['id']}" for r in rules}


def test_a_line_inserted_above_keeps_the_fingerprint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(FIXTURES / "broken-service", tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")

    def prints() -> dict[str, tuple[str, int]]:
        log = sarif(capsys, ".")
        results = log["runs"][0]["results"]  # type: ignore[index]
        return {
            r["ruleId"]: (
                r["partialFingerprints"]["primaryLocationLineHash"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in results
            if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == ".pre-commit-config.yaml"
        }

    before = prints()
    config = Path(".pre-commit-config.yaml")
    config.write_text("# pinned hooks\n\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    after = prints()
    assert before
    assert before.keys() == after.keys()
    for code, (fingerprint, line) in before.items():
        assert after[code] == (fingerprint, line + 2)


def test_more_runs_than_github_takes_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = []
    for n in range(21):
        (tmp_path / f"r{n}").mkdir()
        paths.append(str(tmp_path / f"r{n}"))
    assert main(["check", "--format", "sarif", *paths]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "at most 20 runs" in err[0]
