"""The audit: run the selected rules over each repository and collect their findings."""

from __future__ import annotations

import fnmatch
import itertools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from prodready.config import Settings, load_settings
from prodready.errors import ConfigError, UsageError
from prodready.findings import Applicability, Finding, Kind, Severity
from prodready.locations import placed
from prodready.project import Project
from prodready.project.members import (
    Unit,
    container_members,
    container_projects,
    container_scoped,
    member_unit,
    repository_scoped,
    template_root,
    unit_for,
    workspace_members,
)
from prodready.project.paths import names_example_folder
from prodready.project.repository import Repository
from prodready.project.sources import IN_WORKER
from prodready.results import Report, RepositoryReport
from prodready.rules import AuditRecord, Rule, load_rules
from prodready.safeio import Unreadable, one_audit, read_bytes, read_path
from prodready.selection import is_selected, specificity, validate_selectors
from prodready.suppression import apply_suppressions

MAX_PER_RULE = 1000  # findings of one rule in one repository; past it, one finding says so


class Audit(NamedTuple):
    """One repository's audit: the project as read, and its report."""

    project: Project
    report: RepositoryReport


class Auditor:
    """Runs prodready's rules with a given selection; level 2 of the Python API."""

    def __init__(
        self,
        *,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        kind: Kind | str | None = None,
        fail_on: Severity | str | None = None,
        use_cache: bool = True,
        policy: Settings | None = None,
    ) -> None:
        self.select = list(select) if select else None
        self.ignore = list(ignore) if ignore else None
        self.kind = Kind(kind) if isinstance(kind, str) else kind
        self.fail_on = Severity.parse(fail_on) if isinstance(fail_on, str) else fail_on
        self.use_cache = use_cache
        self.policy = policy  # an organisation's policy that every repository's settings extend
        self.rules = load_rules()
        for selectors, where in ((self.select, "--select"), (self.ignore, "--ignore")):
            validate_selectors(selectors or [], self.rules, where)
        if policy is not None:
            validate_selectors(policy.select, self.rules, "policy select")
            validate_selectors(policy.ignore, self.rules, "policy ignore")

    def check(self, path: str | Path) -> Report:
        """Audit one repository."""
        return self.check_many([path])

    def check_many(self, paths: Iterable[str | Path]) -> Report:
        """Audit several repositories, each with its own configuration, over the cores."""
        # a bad path is a usage error before any work starts
        units = [unit for path in paths for unit in _units(Path(path))]
        workers = min(len(units), os.cpu_count() or 1)
        if workers < 2 or os.environ.get(IN_WORKER):
            return Report(tuple(self._check_one(unit) for unit in units), self.rules)
        from concurrent.futures import ProcessPoolExecutor

        # Largest first, so the last repositories to finish are small ones and no core idles
        # while one large audit runs alone.
        order = sorted(range(len(units)), key=lambda i: -_expected_work(units[i].path))
        _preload()
        with ProcessPoolExecutor(max_workers=workers, initializer=_mark_worker) as pool:
            done = dict(
                zip(order, pool.map(self._check_one, [units[i] for i in order]), strict=True)
            )
        return Report(tuple(done[i] for i in range(len(units))), self.rules)

    def audit(self, path: str | Path) -> Audit:
        """Audit one repository, or one member project of a repository, in this process and
        keep the project it read (for `fix`)."""
        with one_audit():
            return self._audit(_unit(Path(path)))

    def _audit(self, unit: Unit) -> Audit:
        path = unit.path
        root = _root(path)
        repo = _repository(root, unit)
        try:
            settings = self._settings(repo)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None
        if settings.kind is None and unit.member is not None and names_example_folder(unit.member):
            # a demo the workspace keeps beside its packages: an application nobody publishes
            settings = settings._replace(
                kind=Kind.APPLICATION, kind_reason=f"an example project ({unit.member})"
            )
        project = Project(root, settings, use_cache=self.use_cache, repo=repo)
        selected = [
            rule
            for rule in self.rules.values()
            if project.kind in rule.kinds
            and is_selected(rule.code, settings.select, settings.ignore)
            and not (unit.top is not None and repository_scoped(rule.code, rule.family))
            and not (unit.container and not container_scoped(rule.code, rule.family))
        ]
        errors: list[str] = []
        findings = _run(project, [r for r in selected if not r.after], errors)
        findings, used = apply_suppressions(project, findings)
        record = AuditRecord(frozenset(rule.code for rule in selected), used)
        findings += _run(project, [r for r in selected if r.after], errors, record)
        globs = _globs(settings)
        kept = placed(
            [f for f in findings if not _ignored_by_path(f, globs)],
            repo.exists,
            project.automation.ci_paths,
        )
        report = RepositoryReport(
            str(path),
            project.kind,
            project.kind_reason
            + (
                f"; a member of {unit.top}, whose root has the repository-wide checks"
                if unit.top
                else ""
            ),
            tuple(sorted(set(kept), key=Finding.sort_key)),
            settings.fail_on,
            tuple(errors),
            settings.optouts,
        )
        return Audit(project, report)

    def _settings(self, repo: Repository) -> Settings:
        settings = load_settings(repo.pyproject, self.policy, self.rules).with_overrides(
            select=self.select, ignore=self.ignore, kind=self.kind, fail_on=self.fail_on
        )
        for selectors, where in ((settings.select, "select"), (settings.ignore, "ignore")):
            validate_selectors(selectors, self.rules, f"[tool.prodready] {where}")
        for glob, codes in settings.per_path_ignores.items():
            validate_selectors(codes, self.rules, f"[tool.prodready.per-path-ignores] {glob!r}")
        return settings

    def _check_one(self, unit: Unit) -> RepositoryReport:
        with one_audit():
            return self._audit(unit).report


def _expected_work(root: Path) -> int:
    """A cheap guess at how long a repository's audit takes: the bytes of Python git's index
    records (each file is analysed), 0 when there is no index to read."""
    try:
        data = read_path(root / ".git" / "index", 256 * 2**20)
    except Unreadable:
        return 0
    version = int.from_bytes(data[4:8], "big")
    if data[:4] != b"DIRC" or version not in (2, 3):
        return data.count(b".py\0") * 10_000  # prefix-compressed (v4): count the files
    total, offset = 0, 12
    for _ in range(int.from_bytes(data[8:12], "big")):
        flags = int.from_bytes(data[offset + 60 : offset + 62], "big")
        start = offset + 62 + (2 if version == 3 and flags & 0x4000 else 0)
        end = data.find(b"\0", start)
        if end < 0:
            break
        if data[end - 3 : end] == b".py":
            total += int.from_bytes(data[offset + 36 : offset + 40], "big")
        offset += (end - offset + 8) // 8 * 8
    return total


# What nearly every audit imports or loads lazily: done once before the workers fork, so each
# of them does not do it again (about 0.15 s of CPU per worker).
PRELOADED = (
    "prodready.source.facts",
    "prodready.source.annotations",
    "prodready.source.syntax",
    "pathspec",
    "yaml",
    "configparser",
    "tempfile",
)


def _preload() -> None:
    import importlib

    from prodready.source.modules import wheel_names

    for name in PRELOADED:
        importlib.import_module(name)
    wheel_names()


def _mark_worker() -> None:
    """Worker processes audit one repository each and start no pool of their own."""
    os.environ[IN_WORKER] = "1"


def _run(
    project: Project, rules: list[Rule], errors: list[str], record: AuditRecord | None = None
) -> list[Finding]:
    """Run rules; a rule that raises is reported as an internal error and the others go on."""
    findings: list[Finding] = []
    for rule in rules:
        try:
            found = rule.check(project) if record is None else rule.check(project, record)
            violations = list(itertools.islice(found, MAX_PER_RULE + 1))
        except Exception as exc:
            errors.append(f"internal error in {rule.code}: {type(exc).__name__}: {exc}")
            continue
        findings.extend(
            Finding(
                rule.code,
                rule.severity if v.severity is None else min(v.severity, rule.severity),
                v.message,
                v.path,
                v.line,
                v.column,
                rule.fix if v.fixable else Applicability.NONE,
                v.data,
            )
            for v in violations[:MAX_PER_RULE]
        )
        if len(violations) > MAX_PER_RULE:
            findings.append(_stopped(rule))
    return findings


def _stopped(rule: Rule) -> Finding:
    """The last finding of a rule that found more than `MAX_PER_RULE`: a repository can make a
    rule fire a million times, and a report that size helps nobody."""
    return Finding(
        rule.code,
        rule.severity,
        f"more than {MAX_PER_RULE:,} findings: only the first {MAX_PER_RULE:,} are shown",
        None,
        None,
        None,
        Applicability.NONE,
    )


def _unit(path: Path) -> Unit:
    """The unit a given folder is; a folder inside a repository that is not a project root is a
    usage error."""
    unit = unit_for(_root(path))
    if isinstance(unit, str):
        raise UsageError(unit)
    return unit


def _units(path: Path) -> list[Unit]:
    """A given folder's unit and, for a repository root, the uv workspace members it declares
    or, for a root that is no project, the projects in its folders (each audited as a project
    of its own)."""
    unit = _unit(path)
    if unit.top is not None:
        return [unit]
    root = _root(path)
    try:
        declared = b"workspace" in read_bytes(root.resolve(), "pyproject.toml")
    except Unreadable:
        declared = False  # no pyproject.toml (or none to read): no workspace
    top = Repository(root)
    if not declared:
        members = container_members(top, root)
        if not members:
            return [unit._replace(container=True)] if template_root(root) else [unit]
        # a folder of projects: the root is audited for what belongs to the repository
        projects = container_projects(top, members)
        return [
            unit._replace(container=True),
            *(member_unit(top, root, m, projects) for m in members),
        ]
    return [unit, *(member_unit(top, root, m) for m in workspace_members(top))]


def _repository(root: Path, unit: Unit) -> Repository:
    """The file layer of a unit: a member sees its part of the repository's file list."""
    if unit.top is None or unit.member is None:
        return Repository(root)
    if unit.listing is None:
        unit = member_unit(Repository(unit.top), unit.top, unit.member)
    return Repository(root, unit.listing, unit.locks, dict(unit.workspace), unit.pytest)


def _root(path: Path) -> Path:
    if path.is_file() and path.name == "pyproject.toml":
        return path.parent
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if not path.is_dir():
        raise UsageError(f"{path}: not a directory (give the repository's root)")
    return path


def _globs(settings: Settings) -> list[tuple[re.Pattern[str], Mapping[str, str]]]:
    """The per-path ignores, each pattern compiled once (fnmatch's expressions commit at each
    star, so no path makes them backtrack)."""
    return [
        (re.compile(fnmatch.translate(glob)), codes)
        for glob, codes in settings.per_path_ignores.items()
    ]


def _ignored_by_path(
    finding: Finding, globs: list[tuple[re.Pattern[str], Mapping[str, str]]]
) -> bool:
    if finding.path is None:
        return False
    for pattern, codes in globs:
        if pattern.match(finding.path) and specificity(finding.code, codes) >= 0:
            return True
    return False


def check(path: str | Path = ".") -> Report:
    """Audit one repository with its own configuration; level 1 of the Python API."""
    return Auditor().check(path)
