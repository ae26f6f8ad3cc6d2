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
    assert len(runs) == 1  # one run, one category, whatever the number of repositories
    first = runs[0]
    assert first["automationDetails"] == {"id": "audit/"}
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
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in first["results"]
    }
    assert all(uri.startswith("broken-service/") for uri in uris)  # sound-library has none
    kinds = {r["path"]: r["kind"] for r in first["properties"]["repositories"]}
    assert kinds == {"broken-service": "service", "sound-library": "library"}
    sec = next(r for r in rules if r["id"] == "SEC005")
    assert sec["properties"]["security-severity"] == "5.5"


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


def test_a_repository_outside_the_checkout_gets_absolute_uris_and_ci_roots_win(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(FIXTURES / "broken-service", tmp_path / "work" / "api")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    outside = sarif(capsys, str(tmp_path / "work" / "api"))
    monkeypatch.chdir(tmp_path / "work" / "api")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "work"))
    inside = sarif(capsys, ".")
    for log in (outside, inside):
        jsonschema.validate(log, SCHEMA)
    first = outside["runs"][0]["results"][0]["locations"][0]["physicalLocation"]  # type: ignore[index]
    assert first["artifactLocation"]["uri"].startswith("file://")
    assert problems(inside) == []
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in inside["runs"][0]["results"]  # type: ignore[index]
    }
    assert all(uri.startswith("api/") for uri in uris)  # from the checkout's root, not cwd


def test_many_repositories_are_one_valid_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(21):
        shutil.copytree(FIXTURES / "broken-service", tmp_path / f"r{n}")
    monkeypatch.chdir(tmp_path)
    log = sarif(capsys, *(f"r{n}" for n in range(21)))
    jsonschema.validate(log, SCHEMA)
    assert problems(log) == []
    assert len(log["runs"]) == 1  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--rules-url", "https://docs.example/rules/"),
        ("--rules-url", "not a url {code}"),
        ("--category", ""),
        ("--category", "two words"),
    ],
)
def test_links_and_categories_are_checked_first(
    option: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(FIXTURES / "sound-library"), "--format", "sarif", option, value]) == 2
    assert capsys.readouterr().out == ""
