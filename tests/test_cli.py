"""The `prodready` command, driven as users drive it: arguments in, text and exit codes out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from prodready.cli import main
from tests.conftest import write_tree

FIXTURES = Path(__file__).parent / "fixtures"
SOUND = str(FIXTURES / "sound-library")
BROKEN = str(FIXTURES / "broken-service")


def test_sound_fixture_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", SOUND]) == 0
    out = capsys.readouterr().out
    assert "library: publishable package metadata" in out
    assert "All checks passed" in out


def test_broken_fixture_fails_with_grouped_findings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", BROKEN]) == 1
    out = capsys.readouterr().out
    assert "service: Dockerfile starts uvicorn" in out
    assert "\n  pyproject.toml\n" in out
    assert "PKG002 [*]" in out
    assert out.rstrip().splitlines()[-1].startswith("Found ")
    assert "fixable with `prodready fix`" in out
    assert "\x1b[" not in out


def test_fail_on_error_ignores_warnings(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"pyproject.toml": '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.10"\n'},
    )
    assert main(["check", str(tmp_path), "--select", "PKG004,DOC"]) == 1
    assert main(["check", str(tmp_path), "--select", "PKG004,DOC", "--fail-on", "error"]) == 0


def test_select_and_ignore_follow_specificity(capsys: pytest.CaptureFixture[str]) -> None:
    main(
        [
            "check",
            BROKEN,
            "--select",
            "ALL",
            "--ignore",
            "PC",
            "--select",
            "PC003",
            "--format",
            "json",
        ]
    )
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)["repositories"][0]["findings"]}
    assert "PC003" in codes
    assert not codes & {"PC002", "PC006"}


def test_statistics_counts_per_rule(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", BROKEN, "--statistics"])
    out = capsys.readouterr().out
    assert any(line.split()[:2] == ["3", "APP003"] for line in out.splitlines())


def test_json_is_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", BROKEN, SOUND, "--format", "json"])
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["schema_version"] == 1
    assert data["repositories"][0]["kind_reason"] == "Dockerfile starts uvicorn"
    assert data["ok"] is False
    broken, sound = data["repositories"]
    assert (broken["kind"], sound["kind"]) == ("service", "library")
    assert sound["findings"] == []
    assert sound["ok"] is True
    finding = broken["findings"][0]
    assert set(finding) == {
        "code",
        "severity",
        "message",
        "path",
        "line",
        "column",
        "fixable",
        "fix",
    }
    assert broken["summary"]["error"] == sum(f["severity"] == "error" for f in broken["findings"])
    assert captured.err.startswith("Found ")


def test_github_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", BROKEN, "--format", "github", "--select", "PC003"])
    line = capsys.readouterr().out.strip()
    assert line.startswith("::error file=")
    assert "broken-service/.pre-commit-config.yaml,line=6,col=1,title=PC003::" in line


def test_output_file_is_written_and_stdout_stays_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.json"
    main(["check", BROKEN, "--format", "json", "--output", str(target)])
    captured = capsys.readouterr()
    assert captured.out == ""
    assert json.loads(target.read_text())["repositories"][0]["kind"] == "service"


def test_missing_path_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nope")]) == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_unknown_selector_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", SOUND, "--select", "XYZ9"]) == 2
    assert "unknown rule selector 'XYZ9'" in capsys.readouterr().err


def test_force_color_and_no_color(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    main(["check", BROKEN])
    assert "\x1b[31m" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    main(["check", BROKEN])
    assert "\x1b[" not in capsys.readouterr().out


def test_rule_explains_one_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "pkg008"]) == 0
    out = capsys.readouterr().out
    for section in (
        "## What it does",
        "## Why it matters",
        "## Example",
        "## Use instead",
        "## Fix",
    ):
        assert section in out
    assert "Fix: safe" in out


def test_rule_unknown_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "PKG08"]) == 2
    assert "did you mean" in capsys.readouterr().err


def test_rule_all_json_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    from prodready.rules import load_rules

    assert main(["rule", "--all", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in data] == list(load_rules())
    peers = {r["code"]: r["peers"] for r in data}
    assert peers["SEC007"] == ["scorecard:Pinned-Dependencies", "zizmor:unpinned-uses"]


def test_rule_names_its_peer_checks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "SEC008"]) == 0
    assert (
        "Peers: scorecard:Dangerous-Workflow, zizmor:dangerous-triggers" in capsys.readouterr().out
    )


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: prodready" in capsys.readouterr().err


def test_python_m_and_version_run_as_programs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "prodready", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("prodready ")
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "prodready", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "prodready.rules" not in done.stderr
    assert "prodready.project" not in done.stderr
