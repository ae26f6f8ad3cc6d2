"""`prodready fleet report`: the dashboard's tables say what the Parquet results hold, hostile
names stay text, the page needs no network and is the same bytes for the same results, and it
renders in headless Chromium."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from prodready.cli import main
from tests.fleet.results import GONE, HOSTILE, HOSTILE_URL, RULES, Fleet, write_fleet
from tests.score.test_html_report import chromium, needs_chromium

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


class Tables(HTMLParser):
    """Every table with an id, as rows of cell texts; and the summary's figures by id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.figures: dict[str, str] = {}
        self.titles: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._figure: str | None = None
        self._strong = False
        self._title: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and found.get("id"):
            self._table = found["id"]
            self.tables[self._table or ""] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "div" and (found.get("id") or "").startswith("summary-"):
            self._figure = (found.get("id") or "").removeprefix("summary-")
        elif tag == "strong" and self._figure:
            self._strong = True
        elif tag == "title":
            self._title = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._table and self._cell is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "strong":
            self._strong = False
        elif tag == "div":
            self._figure = None
        elif tag == "title" and self._title is not None:
            self.titles.append("".join(self._title))
            self._title = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._strong and self._figure:
            self.figures[self._figure] = data
        if self._title is not None:
            self._title.append(data)


def render(tmp_path: Path, fleet: Fleet, name: str = "dashboard.html") -> str:
    out = tmp_path / name
    assert main(["fleet", "report", "--results", str(fleet.root), "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def tables(page: str) -> Tables:
    parsed = Tables()
    parsed.feed(page)
    parsed.close()
    return parsed


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Fleet:
    return write_fleet(tmp_path_factory.mktemp("fleet") / "results")


def latest(fleet: Fleet) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    scan = fleet.scans[-1]
    return fleet.repositories[scan], fleet.findings[scan]


def test_the_worst_repositories_come_first_with_their_counts(tmp_path: Path, fleet: Fleet) -> None:
    repos, findings = latest(fleet)
    rows = tables(render(tmp_path, fleet)).tables["worst-table"]
    assert rows[0] == [
        "Repository",
        "Kind",
        "Status",
        "Errors",
        "Warnings",
        "Infos",
        "Findings",
        "Safe fixes",
        "Unsafe fixes",
    ]
    audited = [r for r in repos if r["status"] != "failed"]
    assert len(rows) - 1 == len(audited) == 20
    fixes = Counter((f["repository"], f["fix"]) for f in findings)
    expected = [
        [
            r["repository"],
            r["kind"],
            r["status"],
            *(str(r[k]) for k in ("errors", "warnings", "infos", "findings")),
            str(fixes[r["repository"], "safe"]),
            str(fixes[r["repository"], "unsafe"]),
        ]
        for r in sorted(
            audited,
            key=lambda r: (-r["errors"], -r["warnings"], -r["infos"], r["repository"]),
        )
    ]
    assert rows[1:] == expected
    # the counts in the repositories table agree with the findings themselves
    for row in rows[1:]:
        assert int(row[6]) == sum(f["repository"] == row[0] for f in findings)


def test_adoption_is_the_share_of_audited_repositories_passing_each_rule(
    tmp_path: Path, fleet: Fleet
) -> None:
    repos, findings = latest(fleet)
    previous = fleet.findings[fleet.scans[-2]]
    rows = tables(render(tmp_path, fleet)).tables["adoption-table"]
    audited = sum(r["status"] != "failed" for r in repos)
    failing = Counter(code for code, _ in {(f["code"], f["repository"]) for f in findings})
    before = Counter(code for code, _ in {(f["code"], f["repository"]) for f in previous})
    severity = {code: sev for code, _, sev, _ in RULES}
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == set(failing) | set(before)
    for code, row in by_code.items():
        passing = audited - failing[code]
        assert row[2] == severity[code], code
        assert row[3] == f"{passing} of {audited}", code
        share = round(100 * passing / audited, 1)
        assert row[4] == f"{share:g} %", code
        assert row[6] == f"{round(100 * (audited - before[code]) / audited, 1):g} %", code
        assert row[7] == str(sum(f["code"] == code and f["fix"] == "safe" for f in findings))
        assert row[8] == str(sum(f["code"] == code and f["fix"] == "unsafe" for f in findings))
    shares = [int(row[3].split()[0]) for row in rows[1:]]
    assert shares == sorted(shares), "the least adopted rule comes first"
    assert rows[1][1], "a rule's summary is shown from the registry"


def test_the_heat_map_counts_findings_per_repository_and_family(
    tmp_path: Path, fleet: Fleet
) -> None:
    _, findings = latest(fleet)
    parsed = tables(render(tmp_path, fleet))
    rows = parsed.tables["heat-table"]
    families = sorted({f["family"] for f in findings})
    assert rows[0] == ["Repository", *families]
    counts = Counter((f["repository"], f["family"]) for f in findings)
    worst = [row[0] for row in parsed.tables["worst-table"][1:]]
    assert [row[0] for row in rows[1:]] == worst
    for row in rows[1:]:
        assert row[1:] == [str(counts[row[0], fam] or "") for fam in families], row[0]


def test_fixable_counts_summary_failed_and_opt_outs(tmp_path: Path, fleet: Fleet) -> None:
    repos, findings = latest(fleet)
    parsed = tables(render(tmp_path, fleet))
    fixable = {row[0].split()[0]: row[1:] for row in parsed.tables["fixable-table"][1:]}
    for fix, word in (("safe", "safe"), ("unsafe", "unsafe"), ("none", "by")):
        mine = [f for f in findings if f["fix"] == fix]
        assert fixable[word] == [str(len(mine)), str(len({f["repository"] for f in mine}))]
    audited = [r for r in repos if r["status"] != "failed"]
    assert parsed.figures == {
        "repositories": "21",
        "not-audited": "1",
        "failing": str(sum(r["errors"] + r["warnings"] > 0 for r in audited)),
        "findings": str(len(findings)),
        "fixable": str(sum(f["fix"] != "none" for f in findings)),
    }
    assert parsed.tables["failed-table"][1:] == [
        [GONE, f"https://git.example.org/{GONE}.git", "git clone: repository not found (exit 128)"]
    ]
    assert parsed.tables["optouts-table"][1:] == [
        [HOSTILE, "CI001", "no reason given", "no: the rule still runs"],
        ["acme/service-04", "SEC001", "audited by the platform's <b>central</b> scanner", "yes"],
    ]


def test_the_open_pull_requests_are_listed_by_repository(tmp_path: Path, fleet: Fleet) -> None:
    rows = tables(render(tmp_path, fleet)).tables["pulls-table"]
    assert rows[0] == [
        "Repository", "Branch", "Change", "Number", "Pull request", "Last run", "Recorded",
    ]  # fmt: skip
    assert rows[1:] == [
        [HOSTILE, "prodready/fix", "fix", "13", HOSTILE_URL, "opened", "2024-05-10"],
        ["acme/service-01", "prodready/fix", "fix", "11",
         "https://git.example.org/acme/service-01/pull/11", "unchanged", "2024-05-17"],
        # the later run failed before opening anything: the one it opened before stays listed
        ["acme/service-02", "prodready/fix", "fix", "12",
         "https://git.example.org/acme/service-02/pull/12", "opened", "2024-05-10"],
    ]  # fmt: skip
    none = write_fleet(tmp_path / "none", scans=1, changes=False)
    assert "pulls-table" not in tables(render(tmp_path, none, "none.html")).tables


def test_the_trend_has_a_point_per_scan(tmp_path: Path, fleet: Fleet) -> None:
    parsed = tables(render(tmp_path, fleet))
    totals = [len(fleet.findings[s]) for s in fleet.scans]
    assert totals == sorted(totals, reverse=True), "the fixture's findings fall week by week"
    assert f"Findings: {totals[0]}, 2024-05-01 09:00 UTC, scan a1f3c9" in parsed.titles
    assert f"Findings: {totals[-1]}, 2024-05-15 09:00 UTC, scan c9e812" in parsed.titles
    failing = [
        sum(
            r["errors"] + r["warnings"] > 0
            for r in fleet.repositories[s]
            if r["status"] != "failed"
        )
        for s in fleet.scans
    ]
    assert f"Failing repositories: {failing[1]}, 2024-05-08 09:00 UTC, scan b27d40" in parsed.titles


def test_data_is_text_never_markup(tmp_path: Path, fleet: Fleet) -> None:
    page = render(tmp_path, fleet)
    assert "<script" not in page
    assert "<img" not in page
    assert "<b>" not in page
    assert "\x1b" not in page
    assert "acme/&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;amp;" in page


def test_the_page_needs_no_network_and_is_the_same_bytes(tmp_path: Path, fleet: Fleet) -> None:
    page = render(tmp_path, fleet)
    for needle in ("<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "href="):
        assert needle not in page, needle
    again = write_fleet(tmp_path / "again")
    assert render(tmp_path, again, "again.html") == page


def test_one_scan_has_no_previous_and_no_opt_out_table(tmp_path: Path) -> None:
    one = write_fleet(tmp_path / "one", scans=1, optouts=False)
    parsed = tables(render(tmp_path, one))
    assert all(row[6] == "-" for row in parsed.tables["adoption-table"][1:])
    assert "optouts-table" not in parsed.tables
    assert "(one scan)" in render(tmp_path, one)


def test_results_without_a_scan_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "d.html"
    assert main(["fleet", "report", "--results", str(tmp_path / "none"), "-o", str(out)]) == 2
    assert "no fleet scan found" in capsys.readouterr().err
    assert not out.exists()


@needs_chromium
def test_the_dashboard_renders_in_chromium(tmp_path: Path, fleet: Fleet) -> None:
    from PIL import Image

    render(tmp_path, fleet)
    page = (tmp_path / "dashboard.html").as_uri()
    dumped = chromium(tmp_path, "--dump-dom", page)
    rendered = tables(dumped.stdout)
    assert rendered.tables == tables(render(tmp_path, fleet)).tables, dumped.stderr[-500:]

    shot = tmp_path / "shot.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2400", page)
    assert shot.exists(), "Chromium wrote no screenshot"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 2400)
    colours = pixels(image)
    assert len(colours) > 100, "the page rendered as a few flat colours"
    assert near(colours, (0x1F, 0x6F, 0xEB)) > 500, "the trend lines did not render"
    assert near(colours, (0x1A, 0x7F, 0x37)) > 500, "the adoption bars did not render"
    # the heat map sits lower: a taller window shows its darkest cells
    tall = tmp_path / "tall.png"
    chromium(tmp_path, f"--screenshot={tall}", "--window-size=1280,4200", page)
    dark = near(pixels(Image.open(tall).convert("RGB")), (0xBC, 0x4C, 0x00))
    assert dark > 200, "the heat map's cells did not render"


def pixels(image: Any) -> dict[tuple[int, ...], int]:
    """How many pixels of each colour the image has."""
    colours = image.getcolors(maxcolors=1 << 18) or []
    return {
        tuple(colour) if isinstance(colour, tuple) else (int(colour),): n for n, colour in colours
    }


def near(colours: dict[tuple[int, ...], int], wanted: tuple[int, int, int]) -> int:
    """How many pixels are close to `wanted`."""
    return sum(
        n
        for colour, n in colours.items()
        if all(abs(a - b) < 30 for a, b in zip(colour, wanted, strict=True))
    )


def test_missing_values_are_read_as_empty(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tests.fleet.results import FINDINGS, REPOSITORIES

    fleet = write_fleet(tmp_path / "nulls", scans=1, optouts=False)
    scan = fleet.scans[0]
    part = fleet.root / "findings" / f"scan={scan}" / "part-0.parquet"
    rows = [{**fleet.findings[scan][0], "family": None, "severity": None}]
    pq.write_table(pa.Table.from_pylist(rows, schema=FINDINGS), part)
    part = fleet.root / "repositories" / f"scan={scan}" / "part-0.parquet"
    repos = [{**r, "kind": None, "infos": None} for r in fleet.repositories[scan]]
    pq.write_table(pa.Table.from_pylist(repos, schema=REPOSITORIES), part)
    parsed = tables(render(tmp_path, fleet))
    assert parsed.tables["heat-table"][0] == ["Repository", ""]
    assert {row[1] for row in parsed.tables["worst-table"][1:]} == {"-"}
