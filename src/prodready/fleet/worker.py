"""The audit of one repository, run in a worker (a process of the pool, or a Dask worker):
fetch its mirror, resolve the ref, and unless the commit's result is already known, export the
tree and audit it with prodready's own `Auditor`. Nothing from the repository is run.

Tasks and results are named tuples of plain values, so they travel to any worker by pickle.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from prodready.fleet.sources import Source

if TYPE_CHECKING:
    from prodready.auditor import Auditor
    from prodready.fleet.mirror import Credential

AUDITED, CACHED, FAILED = "audited", "cached", "failed"
FAMILY = re.compile(r"^[A-Z]+")


class AuditConfig(NamedTuple):
    """What the scan asks of every audit beyond the repository's own configuration."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    kind: str = ""
    policy: str = ""  # the organisation's policy table as canonical JSON ("" for none)
    policy_commit: str = ""  # the commit it was read at, when it is kept in a repository

    def digest(self) -> str:
        """The configuration part of a result's key: 16 hex digits. A policy read from a
        repository counts with its commit; without one, the hash is what it was before the
        field existed, so earlier results stay reusable."""
        fields = {k: v for k, v in self._asdict().items() if v or k != "policy_commit"}
        text = json.dumps(fields, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Task(NamedTuple):
    """One repository to audit; `known` holds the commits whose result (for this prodready
    version and configuration) the results already have: those are not audited again;
    `credentials` say which hosts' tokens (read from the worker's environment) a fetch sends."""

    source: Source
    mirrors: str
    config: AuditConfig
    known: frozenset[str] = frozenset()
    timeout: float = 600
    credentials: tuple[Credential, ...] = ()


class FindingRow(NamedTuple):
    """One finding as the `findings` table stores it; `unit` is the workspace member it belongs
    to (its folder from the repository's root, "" for the root project)."""

    unit: str
    code: str
    family: str
    severity: str
    path: str
    line: int
    message: str
    fix: str
    fingerprint: str


class UnitRow(NamedTuple):
    """One audited unit of a repository: the root project ("") or a uv workspace member (its
    folder from the repository's root), with the kind it was audited as."""

    unit: str
    kind: str


class OptOutRow(NamedTuple):
    """A repository's opt-out of a rule of the organisation's policy, as `optouts` stores it."""

    code: str
    reason: str
    honoured: bool


class RepoResult(NamedTuple):
    """What a worker hands back for one repository."""

    source: Source
    commit: str
    status: str
    reason: str = ""
    kind: str = ""
    findings: tuple[FindingRow, ...] = ()
    audited_at: datetime | None = None
    seconds: float = 0.0
    optouts: tuple[OptOutRow, ...] = ()
    units: tuple[UnitRow, ...] = ()


_AUDITORS: dict[AuditConfig, Auditor] = {}


def audit_one(task: Task) -> RepoResult:
    """Fetch, resolve, export and audit one repository; every failure is a result with its
    reason, never an exception, so the scan goes on."""
    from prodready.fleet.mirror import Mirror, MirrorError

    started = time.monotonic()
    source = task.source
    mirror = Mirror(Path(task.mirrors), source.name, source.url, task.timeout, task.credentials)
    try:
        mirror.fetch()
        commit = mirror.resolve(source.ref)
    except MirrorError as exc:
        return RepoResult(source, "", FAILED, f"fetch failed: {exc}", seconds=_since(started))
    if commit in task.known:
        return RepoResult(source, commit, CACHED, seconds=_since(started))
    with tempfile.TemporaryDirectory(prefix="prodready-fleet-") as folder:
        root = Path(folder) / "tree"
        try:
            mirror.export(commit, root)
        except MirrorError as exc:
            return RepoResult(
                source, commit, FAILED, f"export failed: {exc}", seconds=_since(started)
            )
        except OSError as exc:
            return RepoResult(
                source,
                commit,
                FAILED,
                f"export failed: {exc.strerror or exc}",
                seconds=_since(started),
            )
        try:
            audited = _audit(root, task.config)
        except Exception as exc:
            from prodready.errors import ProdreadyError

            what = str(exc) if isinstance(exc, ProdreadyError) else f"{type(exc).__name__}: {exc}"
            reason = f"audit failed: {what}".replace(str(root), ".")
            return RepoResult(
                source, commit, FAILED, reason.splitlines()[0], seconds=_since(started)
            )
    return RepoResult(
        source,
        commit,
        AUDITED,
        "; ".join(audited.errors),
        audited.units[0].kind if audited.units else "",
        audited.findings,
        datetime.now(UTC),
        _since(started),
        audited.optouts,
        audited.units,
    )


class Audited(NamedTuple):
    """What the audit of one exported tree found."""

    units: tuple[UnitRow, ...]  # the root project first
    findings: tuple[FindingRow, ...]
    errors: tuple[str, ...]
    optouts: tuple[OptOutRow, ...]


def _audit(root: Path, config: AuditConfig) -> Audited:
    """The repository's units (the root project, then each uv workspace member, audited as
    `prodready check` audits them), their findings (a member's paths from the repository's
    root), the rules that failed internally and the opt-outs of the policy (each once, though
    several workspace members write it)."""
    from prodready.fingerprints import fingerprints
    from prodready.project.sources import IN_WORKER

    if multiprocessing.parent_process() is not None:
        os.environ[IN_WORKER] = "1"  # a worker process starts no pool of its own
    auditor = _auditor(config)
    report = auditor.check_many([root])
    rows: list[FindingRow] = []
    units: list[UnitRow] = []
    errors: list[str] = []
    optouts: dict[OptOutRow, None] = {}
    for unit in report.repositories:
        optouts.update(dict.fromkeys(OptOutRow(*o) for o in unit.optouts))
        name = os.path.relpath(unit.path, root).replace(os.sep, "/")
        name = "" if name == "." else name
        prefix = name + "/" if name else ""
        units.append(UnitRow(name, unit.kind.value))
        errors.extend(f"{prefix}{e}".replace(str(root), ".") for e in unit.errors)
        prints = fingerprints(unit.path, unit.findings)
        rows.extend(
            FindingRow(
                name,
                f.code,
                match.group(0) if (match := FAMILY.match(f.code)) else f.code,
                f.severity.label,
                prefix + f.path if f.path else "",
                f.line or 0,
                f.message,
                f.fix.value,
                print_,
            )
            for f, print_ in zip(unit.findings, prints, strict=True)
        )
    return Audited(tuple(units), tuple(rows), tuple(errors), tuple(sorted(optouts)))


def _auditor(config: AuditConfig) -> Auditor:
    """One auditor per configuration and process: loading the rules is done once."""
    if config not in _AUDITORS:
        from prodready.auditor import Auditor
        from prodready.config import load_policy

        _AUDITORS[config] = Auditor(
            select=list(config.select) or None,
            ignore=list(config.ignore) or None,
            kind=config.kind or None,
            policy=load_policy(json.loads(config.policy)) if config.policy else None,
        )
    return _AUDITORS[config]


def _since(started: float) -> float:
    return round(time.monotonic() - started, 6)
