"""The HTML report: one file, readable offline, with dated charts, target lines, the grade and a
compact scorecard, rendered in headless Chromium; and the grade's shields.io badge."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from prodready.cli import main
from prodready.history.store import History
from prodready.report.charts import labelled, ticks
from tests.conftest import git, write_tree

CHROMIUM = (
    shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Chromium is not installed (`apt-get install chromium`; .ci/run installs it)",
)
LINE = (0x1F, 0x6F, 0xEB)  # the charts' line colour
TARGET = (0xBC, 0x4C, 0x00)  # the target lines' colour
DAY = 86400.0
MAY_1 = 1714521600.0  # 2024-05-01 00:00 UTC
FULL = {"tests.pass_rate": 100.0, "coverage.total": 84.0, "lint.findings": 0.0}
# every figure a library's card requires, so it can be graded
COMPLETE = {
    **FULL,
    "types.errors": 0.0,
    "vulnerabilities": 0.0,
    "security.high": 0.0,
    "build.ok": 1.0,
    "install.seconds": 20.0,
}
STORED = [  # (created, revision, figures) of three score runs
    (MAY_1 + 9 * 3600, "a1b2c3d4e5f6", {**FULL, "coverage.total": 61.0, "lint.findings": 9.0}),
    (MAY_1 + 2 * DAY, "b2c3d4e5f6a1", {**FULL, "coverage.total": 70.5, "lint.findings": 4.0}),
    (MAY_1 + 6 * DAY, "c3d4e5f6a1b2+", FULL),
]


def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "p", {"pyproject.toml": '[project]\nname = "p"\nversion = "1"\n'})


def stored_history(
    tmp_path: Path, root: Path, runs: list[tuple[float, str, dict[str, float]]] = STORED
) -> Path:
    """A new history in `tmp_path` holding `runs` as `score` runs, at the given times and
    commits."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "history.sqlite3"
    history = History(path)
    assert history.db is not None
    with history.db:
        for created, revision, figures in runs:
            history.db.execute(
                "INSERT INTO runs (repository, revision, created, command, metrics) VALUES (?, ?, ?, 'score', ?)",
                (str(root.resolve()), revision, created, json.dumps(figures)),
            )
    history.close()
    return path


def report(tmp_path: Path, root: Path, history: Path, *extra: str) -> str:
    out = tmp_path / "report.html"
    assert main(["report", str(root), "--history", str(history), "-o", str(out), *extra]) == 0
    return out.read_text(encoding="utf-8")


def test_the_report_is_one_self_contained_file(tmp_path: Path) -> None:
    root = project(tmp_path)
    page = report(tmp_path, root, stored_history(tmp_path, root))
    assert page.count("<svg") >= 3
    assert "http://" not in page.replace("http://www.w3.org", "")  # nothing fetched from a network
    assert "https://" not in page
    assert "<script" not in page
    assert "<img" not in page
    assert "@font-face" not in page
    assert "url(" not in page
    assert "Coverage (%): 84 % (+23 over 3 runs)" in page
    assert "Findings" in page


def test_the_same_history_gives_the_same_bytes(tmp_path: Path) -> None:
    root = project(tmp_path)
    history = stored_history(tmp_path, root)
    assert report(tmp_path, root, history) == report(tmp_path, root, history)


def test_points_are_dated_and_committed_with_their_values_on_hover(tmp_path: Path) -> None:
    root = project(tmp_path)
    page = report(tmp_path, root, stored_history(tmp_path, root))
    assert "<tspan class='x-date'>2024-05-01</tspan>" in page
    assert ">a1b2c3d</tspan>" in page
    assert ">c3d4e5f+</tspan>" in page  # the work tree had changes
    assert (
        "<title>Coverage (%): 61 %, 2024-05-01 09:00 UTC, commit a1b2c3d</title>" in page
    )  # what hovering the first point shows
    assert "<title>target ≥ 80 %</title>" in page
    assert "<title>target ≤ 0</title>" in page
    assert ">percent</text>" in page  # the y axis says its unit
    assert "From 3 stored runs, 2024-05-01 to 2024-05-07 (UTC)." in page


def test_a_flat_series_says_it_is_steady(tmp_path: Path) -> None:
    root = project(tmp_path)
    page = report(tmp_path, root, stored_history(tmp_path, root))
    assert "Tests passing (%): 100 %, steady over 3 runs" in page
    assert "100 / 100" not in page
    assert "(one run)" in report(tmp_path, root, stored_history(tmp_path / "one", root, STORED[:1]))


def test_the_grade_is_on_the_page(tmp_path: Path) -> None:
    root = project(tmp_path)
    complete = [(MAY_1, "c3d4e5f6a1b2+", COMPLETE)]
    page = report(tmp_path, root, stored_history(tmp_path, root, complete))
    assert "<section class='grade grade-A' id='grade'><div class='letter'>A</div>" in page
    assert "8 of 8 measured targets met." in page
    assert "From the score of 2024-05-01 00:00 UTC, commit c3d4e5f+." in page


def test_a_card_without_a_required_figure_is_incomplete_not_a(tmp_path: Path) -> None:
    root = project(tmp_path)
    page = report(tmp_path, root, stored_history(tmp_path / "partial", root))
    assert "<div class='letter'>?</div><div><strong>Grade incomplete</strong>" in page
    assert (
        "3 of 3 measured targets met, 5 not measured; required for a library but not measured: "
        "type errors, known vulnerabilities" in page
    )


def test_what_a_partial_run_did_not_measure_is_one_line(tmp_path: Path) -> None:
    root = project(tmp_path)
    only_ruff = [(MAY_1, "a1b2c3d4e5f6", {"lint.findings": 3.0})]
    page = report(tmp_path, root, stored_history(tmp_path, root, only_ruff))
    assert "not measured</span>" not in page  # no empty rows
    assert page.count("<td>lint findings</td>") == 1
    assert "Not measured in this run (7): tests passing (%), coverage (%), type errors" in page
    assert "<div class='letter'>?</div>" in page
    assert "0 of 1 measured targets met, 7 not measured; required for a library" in page


def test_without_a_score_run_the_page_says_so(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", {"setup.py": "from setuptools import setup\nsetup()\n"})
    page = report(tmp_path, root, tmp_path / "h.sqlite3")
    assert "No grade yet" in page
    assert "<h2>Findings (" in page


def test_a_commit_read_from_the_repository_labels_its_run(tmp_path: Path) -> None:
    """`score` records the commit checked out (read from .git, without running git on it)."""
    root = project(tmp_path)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()
    history = History(tmp_path / "h.sqlite3")
    history.add(root, "score", {"lint.findings": 0.0})
    history.close()
    page = report(tmp_path, root, tmp_path / "h.sqlite3")
    assert f">{head[:7]}</tspan>" in page
    assert f"commit {head[:7]}." in page


def test_axis_ticks_are_round_and_labels_do_not_crowd() -> None:
    assert ticks(61, 84) == [60, 70, 80, 90]
    assert ticks(0, 9, whole=True) == [0, 3, 6, 9]
    assert ticks(0, 2, whole=True) == [0, 1, 2]
    assert ticks(98.5, 100) == [98.5, 99, 99.5, 100]
    assert labelled(3) == [0, 1, 2]
    assert labelled(12) == [2, 5, 8, 11]  # every third, ending at the newest
    assert labelled(1) == [0]


def test_the_badge_is_a_shields_endpoint_of_the_latest_grade(tmp_path: Path) -> None:
    root = project(tmp_path)
    history = stored_history(tmp_path, root, [(MAY_1, "", COMPLETE)])
    badge = tmp_path / "badge.json"
    report(tmp_path, root, history, "--badge", str(badge))
    assert json.loads(badge.read_text()) == {
        "schemaVersion": 1,
        "label": "prodready",
        "message": "A (8/8 targets met)",
        "color": "brightgreen",
    }
    failing = [(MAY_1, "", {**COMPLETE, "lint.findings": 3.0, "coverage.total": 50.0})]
    report(tmp_path, root, stored_history(tmp_path / "f", root, failing), "--badge", str(badge))
    assert json.loads(badge.read_text())["message"].startswith("C (6/8 targets met")
    partial = stored_history(tmp_path / "p", root)
    report(tmp_path, root, partial, "--badge", str(badge))
    assert (
        json.loads(badge.read_text())["message"] == "incomplete (3/3 targets met, 5 not measured)"
    )
    assert json.loads(badge.read_text())["color"] == "lightgrey"
    report(tmp_path, root, tmp_path / "none.sqlite3", "--badge", str(badge))
    assert json.loads(badge.read_text())["message"] == "not scored"


def test_a_badge_path_that_cannot_be_written_is_one_line_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    out = tmp_path / "r.html"
    args = ["report", str(root), "--history", str(tmp_path / "h"), "-o", str(out)]
    assert main([*args, "--badge", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip().endswith("cannot write: it is a folder")
    assert not out.exists()


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with a private profile, no network services and no sandbox (CI runs
    as root)."""
    assert CHROMIUM is not None, "CI must provide Chromium"
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )


class Elements(HTMLParser):
    """The rendered DOM's elements of interest: every class used, and the text inside each
    class (and inside the element whose id is `grade`, as `#grade`)."""

    VOID = frozenset({"meta", "br", "link", "img", "input", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[list[str]] = []  # the names of each open element
        self.texts: dict[str, list[str]] = {}
        self.classes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        names = (found.get("class") or "").split()
        self.classes.extend(names)
        if tag not in self.VOID:
            self.open.append(names + (["#grade"] if found.get("id") == "grade" else []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.classes.extend((dict(attrs).get("class") or "").split())

    def handle_data(self, data: str) -> None:
        for name in {name for names in self.open for name in names}:
            self.texts.setdefault(name, []).append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.open:
            self.open.pop()


@needs_chromium
def test_the_rendered_page_has_dates_target_lines_and_the_grade(tmp_path: Path) -> None:
    root = project(tmp_path)
    report(tmp_path, root, stored_history(tmp_path, root))
    done = chromium(tmp_path, "--dump-dom", (tmp_path / "report.html").as_uri())
    assert "<svg" in done.stdout, done.stderr[-500:]
    dom = Elements()
    dom.feed(done.stdout)
    dates = dom.texts.get("x-date", [])
    assert {"2024-05-01", "2024-05-03", "2024-05-07"} <= set(dates)
    assert "a1b2c3d" in dom.texts.get("x-commit", [])
    assert dom.classes.count("target") == 3  # tests passing, coverage, lint findings
    assert "Grade incomplete" in "".join(dom.texts.get("#grade", []))  # a partial card


@needs_chromium
def test_the_screenshot_shows_the_charts(tmp_path: Path) -> None:
    from PIL import Image

    root = project(tmp_path)
    report(tmp_path, root, stored_history(tmp_path, root))
    shot = tmp_path / "shot.png"
    chromium(
        tmp_path,
        f"--screenshot={shot}",
        "--window-size=1200,900",
        (tmp_path / "report.html").as_uri(),
    )
    assert shot.exists(), "Chromium wrote no screenshot"
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 900)
    colours = image.getcolors(maxcolors=1 << 16) or []
    assert len(colours) > 50, "the page rendered as a few flat colours"
    counts: dict[tuple[int, ...], int] = {
        tuple(colour) if isinstance(colour, tuple) else (int(colour),): n for n, colour in colours
    }

    def near(wanted: tuple[int, int, int]) -> int:
        return sum(
            n
            for colour, n in counts.items()
            if all(abs(a - b) < 40 for a, b in zip(colour, wanted, strict=True))
        )

    assert near(LINE) > 500, "the chart lines did not render"
    assert near(TARGET) > 100, "the target lines did not render"
