"""`prodready fleet report`: a fleet's results as one self-contained HTML page.

The page is drawn from the Parquet tables `prodready fleet scan` writes (`RESULTS/<table>/scan=<id>/
*.parquet`, see `fleet/results.py`): the latest scan's summary, the trend over every scan
(findings, and repositories that fail `prodready check` by default), adoption per rule (the share
of audited repositories that pass it), a unit x family heat map, fixable counts, the worst units
first (a repository's root project as `repo`, each uv workspace member as `repo:member`), the
repositories that could not be audited, and the opt-outs of the organisation's policy when the
results hold them (the `optouts` table a scan with `--policy` writes: scan_id, repository, code,
reason, honoured; an opt-out without a reason is not honoured, and a table without the
`honoured` column is read that way), and the pull (merge) requests `fleet fix` and `fleet update`
recorded open in the `changes` table, by repository.

Results written before units were recorded are read as they are: a repository without `units`
rows is one unit, its root project, and a finding without a `unit` column belongs to it.

It shares the other pages' style, escaping and charts (`report/html.py`, `report/charts.py`):
inline CSS and SVG, no script, no network, and no clock, so the same results give the same
bytes. Every string from the results (names, URLs, reasons) is escaped: a repository is not
trusted to name itself. pyarrow is imported inside `load`, so core prodready never imports it.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from typing import TYPE_CHECKING, Any, NamedTuple

from prodready.errors import UsageError
from prodready.report.charts import Point, Runs, Series, chart, number, when
from prodready.report.html import escape, page

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

SEVERITIES = ("error", "warning", "info")
FIXES = ("safe", "unsafe", "none")
FIX_WORDS = {
    "safe": "safe fix (prodready fix)",
    "unsafe": "unsafe fix (prodready fix --unsafe-fixes)",
    "none": "by hand",
}
# the heat map's steps, from no finding to the most findings of any cell
HEAT = ("#ffffff", "#fff1e5", "#ffd8b5", "#ffb77c", "#fb8f44", "#bc4c00")
STYLE = """
.summary{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.6rem;margin:1rem 0}
.summary div{border:1px solid #ddd;border-radius:6px;padding:.5rem .7rem}
.summary strong{display:block;font-size:1.5rem}
.bar{display:inline-block;width:8rem;height:.7rem;background:#eee;border-radius:3px;vertical-align:middle}
.bar span{display:block;height:100%;background:#1a7f37;border-radius:3px}
table.heat td,table.heat th{text-align:center;padding:.2rem .35rem;font-size:.85rem}
table.heat td.name,table.heat th.name{text-align:left}
table.heat td{border:1px solid #fff}
.wide{overflow-x:auto}
code{font-size:.9em}
"""


class Scan(NamedTuple):
    """One scan: when it started and how many repositories it covered."""

    scan_id: str
    started: float  # seconds since the epoch
    repositories: int
    audited: int
    cached: int
    failed: int


class Repo(NamedTuple):
    """One repository's row of one scan."""

    repository: str
    url: str
    status: str  # audited | cached | failed
    reason: str
    kind: str
    commit: str
    findings: int
    errors: int
    warnings: int
    infos: int

    @property
    def audited(self) -> bool:
        """Audited now or reused from an earlier scan: its counts are known."""
        return self.status != "failed"

    @property
    def failing(self) -> bool:
        """`prodready check` fails on it with the default `fail-on = "warning"`."""
        return self.audited and self.errors + self.warnings > 0


class Unit(NamedTuple):
    """One audited unit of the latest scan: a repository's root project (`unit` "") or one of
    its uv workspace members (`unit` is the member's folder)."""

    repository: str
    unit: str
    kind: str
    status: str
    findings: int
    errors: int
    warnings: int
    infos: int

    @property
    def name(self) -> str:
        """`repo` for the root project, `repo:member` for a member."""
        return f"{self.repository}:{self.unit}" if self.unit else self.repository


class RuleStat(NamedTuple):
    """One rule across the latest scan: how many audited repositories it fails in, and in the
    scan before (None without one); its findings and how many of them a fix can remove."""

    code: str
    family: str
    severity: str
    failing: int
    failing_before: int | None
    findings: int
    safe: int
    unsafe: int


class OptOut(NamedTuple):
    """A repository's opt-out of a rule of the organisation's policy."""

    repository: str
    code: str
    reason: str
    honoured: bool = True


class PullRequest(NamedTuple):
    """A pull (merge) request of `fleet fix` or `fleet update` that the last run touching its
    repository and branch left open."""

    repository: str
    branch: str
    change: str
    number: int
    url: str
    action: str  # what that run did: opened, updated, reopened, unchanged
    recorded: float  # seconds since the epoch


class Fleet(NamedTuple):
    """What the page shows, read from the results."""

    scans: list[Scan]  # oldest first
    history: dict[str, list[Repo]]  # each scan's repositories
    rules: list[RuleStat]  # the rules with findings in the latest or the previous scan
    families: list[str]
    units: list[Unit]  # the latest scan's audited units, worst first
    heat: dict[tuple[str, str, str], int]  # (repository, unit, family) -> findings, latest scan
    fixable: dict[tuple[str, str, str], int]  # (repository, unit, fix) -> findings, latest scan
    optouts: list[OptOut] | None  # None: the results hold no opt-out table
    pull_requests: list[PullRequest] | None = None  # None: no fix or update run recorded

    @property
    def latest(self) -> Scan:
        """The newest scan."""
        return self.scans[-1]

    @property
    def previous(self) -> Scan | None:
        """The scan before the newest, if any."""
        return self.scans[-2] if len(self.scans) > 1 else None

    def repositories(self) -> list[Repo]:
        """The latest scan's audited repositories, worst first: most errors, then warnings,
        then infos, then by name."""
        rows = [r for r in self.history[self.latest.scan_id] if r.audited]
        return sorted(rows, key=lambda r: (-r.errors, -r.warnings, -r.infos, r.repository))

    def not_audited(self) -> list[Repo]:
        """The latest scan's repositories that could not be cloned or audited, by name."""
        rows = [r for r in self.history[self.latest.scan_id] if not r.audited]
        return sorted(rows, key=lambda r: r.repository)


def _files(results: Path, table: str) -> dict[str, list[Path]]:
    """The Parquet files of one table, per scan id (from the `scan=<id>` folder names; temporary
    and hidden files are skipped)."""
    found: dict[str, list[Path]] = {}
    folder = results / table
    if not folder.is_dir():
        return found
    for part in sorted(folder.iterdir()):
        if part.is_dir() and part.name.startswith("scan="):
            files = sorted(
                f for f in part.glob("*.parquet") if f.is_file() and f.name[0] not in "._"
            )
            if files:
                found[part.name.removeprefix("scan=")] = files
    return found


def _rows(files: Iterable[Path], columns: list[str]) -> Any:
    """The rows of the files as one pyarrow table of `columns` (None when there are none); a
    column a file was written without (an older one) is read as nulls."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = []
    for path in files:
        present = set(pq.read_schema(path).names)
        table = pq.read_table(path, columns=[c for c in columns if c in present])
        for name in columns:
            if name not in present:
                table = table.append_column(name, pa.nulls(table.num_rows, pa.string()))
        tables.append(table.select(columns))
    return pa.concat_tables(tables, promote_options="permissive") if tables else None


def _seconds(moment: datetime.datetime | None) -> float:
    """A timestamp as seconds since the epoch; a naive one is UTC, as the schema says."""
    if moment is None:
        return 0.0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.timestamp()


def load(results: Path) -> Fleet:
    """Read the fleet's results folder. Only the two newest scans' findings are read; the
    trend comes from the repositories table's counts."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise UsageError("prodready fleet needs pyarrow: pip install 'prodready[fleet]'") from None
    scan_files = _files(results, "scans")
    if not scan_files:
        raise UsageError(f"{results}: no fleet scan found (run `prodready fleet scan` first)")
    columns = ["scan_id", "started_at", "repositories", "audited", "cached", "failed"]
    scans = sorted(
        (
            Scan(
                row["scan_id"],
                _seconds(row["started_at"]),
                row["repositories"],
                row["audited"],
                row["cached"],
                row["failed"],
            )
            for row in _rows([f for fs in scan_files.values() for f in fs], columns).to_pylist()
        ),
        key=lambda s: (s.started, s.scan_id),
    )
    history: dict[str, list[Repo]] = {s.scan_id: [] for s in scans}
    repo_columns = ["scan_id", *Repo._fields]
    repo_files = _files(results, "repositories")
    table = _rows([f for i, fs in repo_files.items() if i in history for f in fs], repo_columns)
    for row in table.to_pylist() if table is not None else []:
        if row["scan_id"] in history:
            history[row["scan_id"]].append(Repo(*(_value(row[k], k) for k in Repo._fields)))
    finding_files = _files(results, "findings")
    newest = _findings(finding_files, scans[-1].scan_id)
    before = _findings(finding_files, scans[-2].scan_id) if len(scans) > 1 else None
    by_unit = ["repository", "unit"]
    return Fleet(
        scans,
        history,
        _rules(newest, before),
        sorted({row["family"] for row in _count(newest, ["family"])}),
        _units(results, scans[-1].scan_id, history[scans[-1].scan_id]),
        {
            (r["repository"], r["unit"], r["family"]): r["n"]
            for r in _count(newest, [*by_unit, "family"])
        },
        {(r["repository"], r["unit"], r["fix"]): r["n"] for r in _count(newest, [*by_unit, "fix"])},
        _optouts(results, scans[-1].scan_id),
        _pull_requests(results),
    )


def _pull_requests(results: Path) -> list[PullRequest] | None:
    """The pull requests the `changes` table holds as open, by repository and branch; None
    when no `fleet fix` or `fleet update` run was recorded."""
    from prodready.fleet.changes import TABLE, open_requests
    from prodready.fleet.results import files, read_table

    if not files(results, TABLE):
        return None
    return [
        PullRequest(
            row["repository"] or "",
            row["branch"] or "",
            row["change"] or "",
            row["number"] or 0,
            row["url"] or "",
            row["action"] or "",
            _seconds(row["recorded_at"]),
        )
        for row in open_requests(read_table(results, TABLE).to_pylist())
    ]


def _units(results: Path, scan_id: str, repositories: list[Repo]) -> list[Unit]:
    """The latest scan's audited units, worst first (most errors, then warnings, then infos,
    then by name). A repository the `units` table does not list (a scan written before it) is
    one unit: its root project, with the repository's counts."""
    table = _rows(
        _files(results, "units").get(scan_id, []),
        ["scan_id", "repository", "unit", "kind", "findings", "errors", "warnings", "infos"],
    )
    listed: dict[str, list[dict[str, Any]]] = {}
    for row in table.to_pylist() if table is not None else []:
        if row["scan_id"] == scan_id:
            listed.setdefault(row["repository"] or "", []).append(row)
    found: list[Unit] = []
    for repo in repositories:
        if not repo.audited:
            continue
        rows = listed.get(repo.repository) or [{**repo._asdict(), "unit": ""}]
        found.extend(
            Unit(
                repo.repository,
                row["unit"] or "",
                row["kind"] or "",
                repo.status,
                *(row[k] or 0 for k in ("findings", "errors", "warnings", "infos")),
            )
            for row in rows
        )
    return sorted(found, key=lambda u: (-u.errors, -u.warnings, -u.infos, u.repository, u.unit))


def _value(value: Any, field: str) -> Any:
    """A repository's field, a missing (null) one read as empty or zero."""
    if value is not None:
        return value
    return 0 if field in ("findings", "errors", "warnings", "infos") else ""


def _findings(files: dict[str, list[Path]], scan_id: str) -> Any:
    """One scan's findings, the columns the page counts (None when it has none)."""
    table = _rows(
        files.get(scan_id, []),
        ["scan_id", "repository", "unit", "code", "family", "severity", "fix"],
    )
    if table is None:
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    table = table.filter(pc.equal(table["scan_id"], scan_id))
    # a missing (null) value is read as empty, so it is counted and sorted like any other (a
    # finding of a scan before units belongs to the root project, "")
    return pa.table({name: pc.fill_null(table[name], "") for name in table.column_names})


def _count(table: Any, keys: list[str]) -> list[dict[str, Any]]:
    """The findings counted per distinct `keys`, as rows with the count as `n`."""
    if table is None or table.num_rows == 0:
        return []
    counted = table.group_by(keys).aggregate([("scan_id", "count")])
    return [{**row, "n": row["scan_id_count"]} for row in counted.to_pylist()]


def _rules(newest: Any, before: Any) -> list[RuleStat]:
    """Per rule of the latest or previous scan: repositories failing it now and before, its
    findings and fixable findings now."""
    failing = Counter(row["code"] for row in _count(newest, ["code", "repository"]))
    failing_before = Counter(row["code"] for row in _count(before, ["code", "repository"]))
    findings: Counter[str] = Counter()
    fixes: Counter[tuple[str, str]] = Counter()
    family: dict[str, str] = {}
    severity: dict[str, str] = {}
    for row in _count(before, ["code", "family", "severity"]):
        family[row["code"]], severity[row["code"]] = row["family"], _severity(row["severity"])
    now: dict[str, str] = {}
    for row in _count(newest, ["code", "family", "severity", "fix"]):
        code, grade = row["code"], _severity(row["severity"])
        findings[code] += row["n"]
        fixes[code, row["fix"]] += row["n"]
        family[code] = row["family"]
        # the gravest severity reported now (a configuration may change a rule's)
        if code not in now or SEVERITIES.index(grade) < SEVERITIES.index(now[code]):
            now[code] = grade
    severity.update(now)
    return [
        RuleStat(
            code,
            family[code],
            severity[code],
            failing[code],
            failing_before[code] if before is not None else None,
            findings[code],
            fixes[code, "safe"],
            fixes[code, "unsafe"],
        )
        for code in sorted(family)
    ]


def _severity(value: str) -> str:
    """A severity as the page knows them; anything else is read as info."""
    return value if value in SEVERITIES else "info"


def _optouts(results: Path, scan_id: str) -> list[OptOut] | None:
    """The latest scan's opt-outs, by repository and rule; None when it has no opt-out table
    (it ran without a policy)."""
    import pyarrow.parquet as pq

    files = _files(results, "optouts")
    if scan_id not in files:
        return None
    found = []
    for path in files[scan_id]:
        columns = ["scan_id", "repository", "code", "reason"]
        has_honoured = "honoured" in pq.read_schema(path).names
        table = pq.read_table(path, columns=[*columns, "honoured"] if has_honoured else columns)
        for r in table.to_pylist():
            if r["scan_id"] != scan_id:
                continue
            reason = r["reason"] or ""
            honoured = r["honoured"] if has_honoured else bool(reason.strip())
            found.append(OptOut(r["repository"] or "", r["code"] or "", reason, bool(honoured)))
    return sorted(found)


# The page


def dashboard(fleet: Fleet, summaries: Mapping[str, str] | None = None) -> str:
    """The whole page. `summaries` gives each rule's one-line summary where it is known (a
    plug-in's rule may not be installed where the report is drawn). Depends only on its
    arguments, so the same results give the same bytes."""
    summaries = summaries or {}
    latest = fleet.latest
    audited = fleet.repositories()
    title = f"prodready fleet: {len(audited) + len(fleet.not_audited())} repositories"
    return page(
        title,
        [
            f"<h1>{escape(title)}</h1>",
            f"<p class='muted'>{escape(_span(fleet))}</p>",
            _summary(fleet, audited),
            _trend(fleet),
            _worst(fleet),
            _adoption(fleet, audited, summaries),
            _heat_map(fleet),
            _fixable(fleet, audited),
            _not_audited(fleet),
            _opt_outs(fleet),
            _open_pull_requests(fleet),
            f"<p class='muted'>Scan <code>{escape(latest.scan_id)}</code>. A repository fails "
            "when <code>prodready check</code> reports an error or a warning (its default "
            "<code>fail-on</code>); a rule's adoption is the share of audited repositories "
            "where it reports nothing.</p>",
        ],
        style=STYLE,
    )


def _plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else words or word + 's'}"


def _span(fleet: Fleet) -> str:
    latest = fleet.latest
    text = f"Latest scan {when(latest.started)}"
    if fleet.previous is not None:
        first = fleet.scans[0]
        text += f"; {_plural(len(fleet.scans), 'scan')} since {when(first.started, time=False)}"
    return text + "."


def _percent(part: int, whole: int) -> str:
    return f"{number(round(100 * part / whole, 1))} %" if whole else "-"


def _summary(fleet: Fleet, audited: list[Repo]) -> str:
    """The latest scan in a few figures."""
    latest = fleet.latest
    rows = fleet.history[latest.scan_id]
    failing = sum(r.failing for r in audited)
    safe = sum(n for (_, _, fix), n in fleet.fixable.items() if fix == "safe")
    unsafe = sum(n for (_, _, fix), n in fleet.fixable.items() if fix == "unsafe")
    cached = sum(r.status == "cached" for r in rows)
    boxes = [
        ("repositories", len(rows), f"{len(audited) - cached} audited, {cached} cached"),
        ("not audited", len(rows) - len(audited), "could not be cloned or audited"),
        ("failing", failing, f"{_percent(failing, len(audited))} of the audited"),
        (
            "findings",
            sum(r.findings for r in audited),
            ", ".join(f"{sum(getattr(r, s + 's') for r in audited)} {s}s" for s in SEVERITIES),
        ),
        ("fixable", safe + unsafe, f"{safe} safe, {unsafe} unsafe"),
    ]
    cells = "".join(
        f"<div class='figure' id='summary-{name.replace(' ', '-')}'><strong>{value}</strong>"
        f"{escape(name)}<br><span class='muted'>{escape(note)}</span></div>"
        for name, value, note in boxes
    )
    return f"<section class='summary'>{cells}</section>"


def scan_tag(scan_id: str) -> str:
    """A scan as written under a chart's axis: the random part of its id, after the time."""
    return scan_id[16:].strip("-_.")[:8] or scan_id[9:15]


def _trend(fleet: Fleet) -> str:
    """Findings and failing repositories per scan."""
    runs = Runs("scan (date UTC, id)", "scan", scan_tag, "scan")
    figures = (
        ("fleet.findings", "Findings", lambda rows: sum(r.findings for r in rows if r.audited)),
        ("fleet.failing", "Failing repositories", lambda rows: sum(r.failing for r in rows)),
        ("fleet.failed", "Not audited", lambda rows: sum(not r.audited for r in rows)),
    )
    charts = [
        chart(
            Series(
                metric,
                label,
                [
                    Point(s.started, s.scan_id, float(measure(fleet.history[s.scan_id])))
                    for s in fleet.scans
                ],
                None,
            ),
            runs,
        )
        for metric, label, measure in figures
    ]
    return "<h2 id='trend'>Trend</h2><div class='charts'>" + "".join(charts) + "</div>"


def _worst(fleet: Fleet) -> str:
    """Every audited unit (a repository's root project, each workspace member), worst first."""
    rows = "".join(
        f"<tr><td>{escape(u.name)}</td><td>{escape(u.kind or '-')}</td>"
        f"<td>{escape(u.status)}</td>"
        + "".join(
            f"<td class='num'>{n}</td>"
            for n in (
                u.errors,
                u.warnings,
                u.infos,
                u.findings,
                fleet.fixable.get((u.repository, u.unit, "safe"), 0),
                fleet.fixable.get((u.repository, u.unit, "unsafe"), 0),
            )
        )
        + "</tr>"
        for u in fleet.units
    )
    head = "".join(
        f"<th class='num'>{h}</th>"
        for h in ("Errors", "Warnings", "Infos", "Findings", "Safe fixes", "Unsafe fixes")
    )
    members = sum(1 for u in fleet.units if u.unit)
    what = f"{_plural(len(fleet.units), 'unit')}, {_plural(members, 'workspace member')}"
    return (
        f"<h2 id='worst'>Repositories and workspace members, worst first ({what})</h2>"
        "<p class='muted'>A repository's root project is named <code>repo</code>, each uv "
        "workspace member <code>repo:member</code>, audited as a project of its own.</p>"
        f"<table id='worst-table'><tr><th>Repository</th><th>Kind</th><th>Status</th>{head}"
        f"</tr>{rows}</table>"
    )


def _bar(share: float) -> str:
    return f"<span class='bar'><span style='width:{number(round(share, 1))}%'></span></span>"


def _adoption(fleet: Fleet, audited: list[Repo], summaries: Mapping[str, str]) -> str:
    """Per rule with findings: the share of audited repositories passing it, lowest first."""
    total = len(audited)
    previous = fleet.previous
    total_before = (
        sum(r.audited for r in fleet.history[previous.scan_id]) if previous is not None else 0
    )

    def share(failing: int, whole: int) -> float:
        return 100 * (whole - failing) / whole if whole else 100.0

    ordered = sorted(
        fleet.rules,
        key=lambda s: (share(s.failing, total), SEVERITIES.index(s.severity), s.code),
    )
    rows = "".join(
        f"<tr><td><code>{escape(s.code)}</code></td><td>{escape(summaries.get(s.code, ''))}</td>"
        f"<td>{escape(s.severity)}</td><td class='num'>{total - s.failing} of {total}</td>"
        f"<td class='num'>{_percent(total - s.failing, total)}</td>"
        f"<td>{_bar(share(s.failing, total))}</td>"
        f"<td class='num'>{_before(s, total_before)}</td>"
        f"<td class='num'>{s.safe}</td><td class='num'>{s.unsafe}</td></tr>"
        for s in ordered
    )
    if not rows:
        return "<h2 id='adoption'>Adoption per rule</h2><p class='ok'>Every audited repository passes every rule.</p>"
    return (
        "<h2 id='adoption'>Adoption per rule</h2><p class='muted'>The rules with findings, the "
        "least adopted first; every other rule passes in every audited repository.</p>"
        "<table id='adoption-table'><tr><th>Rule</th><th>Summary</th><th>Severity</th>"
        "<th class='num'>Passing</th><th class='num'>Share</th><th></th>"
        "<th class='num'>Previous scan</th><th class='num'>Safe fixes</th>"
        f"<th class='num'>Unsafe fixes</th></tr>{rows}</table>"
    )


def _before(stat: RuleStat, total_before: int) -> str:
    if stat.failing_before is None:
        return "-"
    return _percent(total_before - stat.failing_before, total_before)


def _heat(count: int, most: int) -> str:
    """A cell's colour: a step of `HEAT` on a logarithmic scale of the most findings."""
    if count <= 0 or most <= 0:
        return HEAT[0]
    step = math.ceil((len(HEAT) - 1) * math.log1p(count) / math.log1p(most))
    return HEAT[max(1, min(step, len(HEAT) - 1))]


def _heat_map(fleet: Fleet) -> str:
    """Findings per unit (worst first) and family."""
    if not fleet.families:
        return ""
    most = max(fleet.heat.values(), default=0)
    head = "".join(f"<th>{escape(f)}</th>" for f in fleet.families)
    rows = []
    for u in fleet.units:
        cells = []
        for family in fleet.families:
            n = fleet.heat.get((u.repository, u.unit, family), 0)
            colour = _heat(n, most)
            ink = "#fff" if colour in HEAT[-2:] else "#1b1b1b"
            what = escape(f"{u.name}, {family}: {_plural(n, 'finding')}")
            cells.append(
                f"<td style='background:{colour};color:{ink}' title='{what}'>{n or ''}</td>"
            )
        rows.append(f"<tr><td class='name'>{escape(u.name)}</td>{''.join(cells)}</tr>")
    return (
        "<h2 id='heat'>Findings per repository (and workspace member) and family</h2>"
        "<div class='wide'><table class='heat' id='heat-table'><tr><th class='name'>Repository"
        f"</th>{head}</tr>{''.join(rows)}</table></div>"
    )


def _fixable(fleet: Fleet, audited: list[Repo]) -> str:
    """The latest findings by what can fix them, with the repositories they are in."""
    names = {r.repository for r in audited}
    rows = ""
    for fix in FIXES:
        counts: Counter[str] = Counter()
        for (repo, _, f), n in fleet.fixable.items():
            if f == fix and repo in names:
                counts[repo] += n
        rows += (
            f"<tr><td>{escape(FIX_WORDS[fix])}</td><td class='num'>{sum(counts.values())}</td>"
            f"<td class='num'>{len(counts)}</td></tr>"
        )
    return (
        "<h2 id='fixable'>Fixable findings</h2><table id='fixable-table'><tr><th>Fix</th>"
        f"<th class='num'>Findings</th><th class='num'>Repositories</th></tr>{rows}</table>"
    )


def _not_audited(fleet: Fleet) -> str:
    """The repositories the latest scan could not audit, with why."""
    failed = fleet.not_audited()
    if not failed:
        return ""
    rows = "".join(
        f"<tr><td>{escape(r.repository)}</td><td>{escape(r.url)}</td>"
        f"<td>{escape(r.reason or 'no reason recorded')}</td></tr>"
        for r in failed
    )
    return (
        f"<h2 id='failed'>Not audited ({len(failed)})</h2><table id='failed-table'>"
        f"<tr><th>Repository</th><th>URL</th><th>Reason</th></tr>{rows}</table>"
    )


def _opt_outs(fleet: Fleet) -> str:
    """The policy's opt-outs, each with its reason (one without is flagged) and whether it is
    honoured (one that is not leaves the rule running)."""
    if fleet.optouts is None:
        return ""
    if not fleet.optouts:
        return "<h2 id='optouts'>Opt-outs</h2><p class='ok'>No repository opts out of a rule.</p>"
    rows = "".join(
        f"<tr><td>{escape(o.repository)}</td><td><code>{escape(o.code)}</code></td>"
        + (
            f"<td>{escape(o.reason)}</td>"
            if o.reason.strip()
            else "<td class='missed'>no reason given</td>"
        )
        + ("<td>yes</td>" if o.honoured else "<td class='missed'>no: the rule still runs</td>")
        + "</tr>"
        for o in fleet.optouts
    )
    refused = sum(not o.honoured for o in fleet.optouts)
    return (
        f"<h2 id='optouts'>Opt-outs ({len(fleet.optouts)}, {refused} not honoured)</h2>"
        "<table id='optouts-table'><tr><th>Repository</th><th>Rule</th><th>Reason</th>"
        f"<th>Honoured</th></tr>{rows}</table>"
    )


def _open_pull_requests(fleet: Fleet) -> str:
    """The pull (merge) requests of `fleet fix` and `fleet update` left open, by repository."""
    if fleet.pull_requests is None:
        return ""
    title = f"Open pull requests of fleet fix and update ({len(fleet.pull_requests)})"
    if not fleet.pull_requests:
        return f"<h2 id='pulls'>{title}</h2><p class='ok'>None is recorded open.</p>"
    rows = "".join(
        f"<tr><td>{escape(r.repository)}</td><td><code>{escape(r.branch)}</code></td>"
        f"<td>{escape(r.change)}</td><td class='num'>{r.number}</td><td>{escape(r.url)}</td>"
        f"<td>{escape(r.action)}</td><td>{escape(when(r.recorded, time=False))}</td></tr>"
        for r in fleet.pull_requests
    )
    return (
        f"<h2 id='pulls'>{title}</h2><p class='muted'>As the last run that touched each "
        "repository and branch left them (the results do not see one merged or closed on the "
        "host since).</p><table id='pulls-table'><tr><th>Repository</th><th>Branch</th>"
        "<th>Change</th><th class='num'>Number</th><th>Pull request</th><th>Last run</th>"
        f"<th>Recorded</th></tr>{rows}</table>"
    )
