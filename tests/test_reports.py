"""Report formats that other tools consume: SARIF against its schema, JSON through the API."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from prodready import Auditor, check
from prodready.report import FORMATS, RenderOptions

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "data" / "sarif-schema-2.1.0.json"
SCHEMA = SHARED_SCHEMA if SHARED_SCHEMA.exists() else FIXTURES / "sarif-schema-2.1.0.json"


def test_sarif_validates_against_the_schema_and_carries_rules() -> None:
    report = Auditor().check_many([FIXTURES / "broken-service", FIXTURES / "sound-library"])
    log = json.loads(FORMATS.get("sarif").render(report, RenderOptions()))
    jsonschema.validate(log, json.loads(SCHEMA.read_text(encoding="utf-8")))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == set(report.rules)
    pkg008 = next(r for r in rules if r["id"] == "PKG008")
    assert "## Why it matters" in pkg008["help"]["markdown"]
    assert pkg008["defaultConfiguration"]["level"] == "error"
    result = next(r for r in run["results"] if r["ruleId"] == "PC003")
    assert rules[result["ruleIndex"]]["id"] == "PC003"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == ".pre-commit-config.yaml"
    assert location["region"]["startLine"] == 6
    assert log["runs"][1]["results"] == []


def test_api_level_one() -> None:
    report = check(FIXTURES / "sound-library")
    assert report.ok
    assert report.findings == ()
    assert report.to_dict()["repositories"][0]["kind"] == "library"
