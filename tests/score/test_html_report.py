"""The HTML report: one file, readable offline, whose charts render in headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from prodready.cli import main
from prodready.history.store import History
from tests.conftest import write_tree

CHROMIUM = (
    shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
)
LINE = (0x1F, 0x6F, 0xEB)  # the charts' line colour


def stored_history(tmp_path: Path, root: Path) -> Path:
    path = tmp_path / "history.sqlite3"
    history = History(path)
    for coverage, lint in ((61.0, 9.0), (70.5, 4.0), (84.0, 0.0)):
        history.add(
            root,
            "score",
            {"coverage.total": coverage, "lint.findings": lint, "tests.pass_rate": 100.0},
        )
    history.close()
    return path


def test_the_report_is_one_self_contained_file(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", {"pyproject.toml": '[project]\nname = "p"\nversion = "1"\n'})
    history = stored_history(tmp_path, root)
    out = tmp_path / "report.html"
    assert main(["report", str(root), "--history", str(history), "--output", str(out)]) == 0
    page = out.read_text()
    assert page.count("<svg") >= 3
    assert "http://" not in page.replace("http://www.w3.org", "")  # nothing fetched from a network
    assert "https://" not in page
    assert "<script" not in page
    assert "Coverage (%): 84" in page
    assert "Findings" in page


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Chromium is installed by .ci/run"
)
def test_charts_render_in_headless_chromium(tmp_path: Path) -> None:
    from PIL import Image

    assert CHROMIUM is not None, "CI must provide Chromium"
    root = write_tree(tmp_path / "p", {"pyproject.toml": '[project]\nname = "p"\nversion = "1"\n'})
    history = stored_history(tmp_path, root)
    out = tmp_path / "report.html"
    main(["report", str(root), "--history", str(history), "--output", str(out)])
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--screenshot={shot}",
            "--window-size=1200,1600",
            out.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert shot.exists(), "Chromium wrote no screenshot"
    image = Image.open(shot).convert("RGB")
    raw = image.tobytes()
    pixels = (raw[i : i + 3] for i in range(0, len(raw), 3))
    drawn = sum(1 for p in pixels if all(abs(a - b) < 40 for a, b in zip(p, LINE, strict=True)))
    assert drawn > 500, f"only {drawn} pixels of chart lines rendered"


def test_report_without_history_still_lists_findings(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", {"setup.py": "from setuptools import setup\nsetup()\n"})
    out = tmp_path / "r.html"
    assert (
        main(["report", str(root), "--history", str(tmp_path / "h.sqlite3"), "--output", str(out)])
        == 0
    )
    page = out.read_text()
    assert "No `prodready score` run stored yet." in page
    assert "<h2>Findings (" in page
    assert sys.version_info >= (3, 11)
