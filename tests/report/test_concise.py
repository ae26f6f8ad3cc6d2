"""The concise format: one clickable line per finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from prodready.cli import main

BROKEN = Path(__file__).resolve().parents[1] / "fixtures" / "broken-service"


def test_one_line_per_finding(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(BROKEN), "--format", "concise", "--select", "PC003,PKG002"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith("Found 2 findings")
    assert f"{BROKEN}/.pre-commit-config.yaml:6:1: PC003 [*] " in lines[0] + lines[1]
    assert all(line.split(": ", 1)[1].split()[0] in ("PC003", "PKG002") for line in lines[:-1])
