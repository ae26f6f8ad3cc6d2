"""The JSON report through the API (SARIF has its own tests in `report/test_sarif.py`)."""

from __future__ import annotations

from pathlib import Path

from prodready import check

FIXTURES = Path(__file__).parent / "fixtures"


def test_api_level_one() -> None:
    report = check(FIXTURES / "sound-library")
    assert report.ok
    assert report.findings == ()
    assert report.to_dict()["repositories"][0]["kind"] == "library"
