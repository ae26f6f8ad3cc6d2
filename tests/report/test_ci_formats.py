"""JUnit, GitLab Code Quality and Markdown, each read by the consumer or schema that uses it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from junitparser import Failure, JUnitXml, Skipped
from markdown_it import MarkdownIt

from prodready.cli import main
from prodready.report.formats.markdown import cell

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SELECT = ["--select", "PC003,SEC005,CI007"]
# GitLab's documented Code Quality report: an array of issues with these fields.
GITLAB = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "pattern": "^[^/]"},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


@pytest.fixture(autouse=True)
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)


def output(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    main(["check", *args])
    return capsys.readouterr().out


def test_junit_validates_and_parses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = output(capsys, "broken-service", "--format", "junit", *SELECT)
    xmlschema.XMLSchema(FIXTURES / "junit.xsd").validate(text)
    (tmp_path / "report.xml").write_text(text, encoding="utf-8")
    suites = JUnitXml.fromfile(str(tmp_path / "report.xml"))
    cases = {case.name: case for suite in suites for case in suite}
    pc003 = next(case for name, case in cases.items() if name.startswith("PC003 "))
    assert pc003.classname == "broken-service/.pre-commit-config.yaml"
    assert isinstance(pc003.result[0], Failure)
    assert pc003.result[0].type == "error"
    ci007 = next(case for name, case in cases.items() if name.startswith("CI007"))
    assert isinstance(ci007.result[0], Skipped)  # info, below fail_on: not a failure
    assert suites.failures == 2


def test_junit_of_a_clean_run_is_one_passing_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = output(capsys, "sound-library", "--format", "junit")
    xmlschema.XMLSchema(FIXTURES / "junit.xsd").validate(text)
    (tmp_path / "report.xml").write_text(text, encoding="utf-8")
    cases = [case for suite in JUnitXml.fromfile(str(tmp_path / "report.xml")) for case in suite]
    assert len(cases) == 1
    assert cases[0].is_passed


def test_gitlab_code_quality_has_the_documented_fields(
    capsys: pytest.CaptureFixture[str],
) -> None:
    issues = json.loads(output(capsys, "broken-service", "--format", "gitlab"))
    jsonschema.validate(issues, GITLAB)
    assert len({i["fingerprint"] for i in issues}) == len(issues) > 3
    pc003 = next(i for i in issues if i["check_name"] == "PC003")
    assert pc003["location"] == {
        "path": "broken-service/.pre-commit-config.yaml",
        "lines": {"begin": 6},
    }
    assert pc003["severity"] == "critical"


def test_markdown_renders_one_table_row_per_finding(capsys: pytest.CaptureFixture[str]) -> None:
    text = output(capsys, "broken-service", "--format", "markdown", *SELECT)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == 1 + 3  # the header and a row per finding
    cells = [t for t in tokens if t.type == "td_open"]
    assert len(cells) == 3 * 4  # no message broke out of its cell
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert '<a href="https://github.com/prodready/prodready/blob/main/docs/rules/PC003.md">' in html
    assert "<code>|| true</code>" in html


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("a | b", "a | b"),
        ("`x | y` then *not bold*", "<code>x | y</code> then *not bold*"),
        ("unpaired ` tick <b>", "unpaired ` tick &lt;b&gt;"),
        ("line\nbreak", "line break"),
    ],
)
def test_a_cell_renders_as_written(message: str, shown: str) -> None:
    html = MarkdownIt("commonmark").enable("table").render(f"| h |\n|---|\n| {cell(message)} |\n")
    assert f"<td>{shown}</td>" in html
