"""Baselines: adopt prodready on an existing codebase by failing only on new findings.

`check --update-baseline --baseline FILE` writes today's findings to FILE; `check --baseline
FILE` then reports (and fails on) only the findings FILE does not hold, and lists the baseline's
findings that are gone as fixed, so the file is seen to shrink. Findings are matched by the
fingerprints of `fingerprints.py` (rule, file, message without numbers, the text of the line),
so a line inserted above an old finding or a reformatted neighbourhood keeps it matched; several
identical findings in one file are matched as a multiset.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from prodready.display import unicode
from prodready.errors import UsageError
from prodready.fingerprints import fingerprints

if TYPE_CHECKING:
    from prodready.findings import Finding
    from prodready.results import Report, RepositoryReport

FORMAT = 1
Key = tuple[str, str, str, str]  # repository, path, code, fingerprint without its occurrence


class Entry(NamedTuple):
    """One finding of the baseline: what is matched, and where it was when written."""

    repository: str
    path: str
    code: str
    fingerprint: str
    line: int | None
    message: str

    @property
    def order(self) -> tuple[str, str, int, str, str]:
        """Where the entry stands in the file: by repository, path and line."""
        return (self.repository, self.path, self.line or 0, self.code, self.fingerprint)

    @property
    def key(self) -> Key:
        """What matching compares: the occurrence number is left out, since counting does it."""
        return (self.repository, self.path, self.code, self.fingerprint.partition(":")[0])


def repository_label(path: str, folder: Path) -> str:
    """How a repository is named in a baseline: relative to the baseline's own folder (so the
    same baseline matches from any working directory, and travels with the checkout), else its
    absolute path."""
    here, root = folder.resolve(), Path(path).resolve()
    inside = root == here or here in root.parents
    return (os.path.relpath(root, here) if inside else str(root)).replace(os.sep, "/")


def entries_of(report: Report, folder: Path) -> list[Entry]:
    """Every finding of the report as a baseline entry, in report order; repositories named
    relative to `folder`, the baseline's folder."""
    found: list[Entry] = []
    for repo in report.repositories:
        label = repository_label(repo.path, folder)
        for finding, print_ in zip(
            repo.findings, fingerprints(repo.path, repo.findings), strict=True
        ):
            found.append(
                Entry(
                    label, finding.path or "", finding.code, print_, finding.line, finding.message
                )
            )
    return found


class Update(NamedTuple):
    """What `--update-baseline` changed: findings written, added and dropped."""

    written: int
    added: int
    dropped: int


def write(path: Path, report: Report) -> Update:
    """Write the report's findings as the baseline at `path`, atomically. Entries of
    repositories this run did not audit are kept, so auditing one repository never forgets
    another's baseline; returns what changed."""
    from prodready.atomic import write_atomic

    folder = Path(os.path.abspath(path)).parent
    current = entries_of(report, folder)
    audited = {e.repository for e in current} | {
        repository_label(r.path, folder) for r in report.repositories
    }
    old = load(path) if os.path.lexists(path) else []
    kept = [e for e in old if e.repository not in audited]
    entries = sorted(current + kept, key=lambda e: e.order)
    data = {
        "prodready-baseline": FORMAT,
        "findings": [
            {
                "repository": unicode(e.repository),
                "path": unicode(e.path),
                "code": e.code,
                "fingerprint": e.fingerprint,
                "line": e.line,
                "message": unicode(e.message),
            }
            for e in entries
        ],
    }
    write_atomic(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    before = Counter(e.key for e in old if e.repository in audited)
    after = Counter(e.key for e in current)
    return Update(len(entries), sum((after - before).values()), sum((before - after).values()))


def load(path: Path) -> list[Entry]:
    """The entries of the baseline at `path`; a missing or malformed file is a one-line error."""
    from prodready.safeio import MAX_BYTES, Unreadable, read_path

    if not os.path.lexists(path):
        raise UsageError(f"baseline {path} does not exist: write it with `--update-baseline`")
    try:
        data: Any = json.loads(read_path(path, MAX_BYTES))
    except (Unreadable, OSError, ValueError) as exc:
        raise UsageError(f"baseline {path} cannot be read: {exc}") from None
    if not isinstance(data, dict) or data.get("prodready-baseline") != FORMAT:
        raise UsageError(f"baseline {path} is not a prodready baseline (format {FORMAT})")
    try:
        return [_entry(item) for item in data.get("findings", [])]
    except (TypeError, KeyError, ValueError) as exc:
        raise UsageError(f"baseline {path} has a malformed entry: {exc}") from None


def _entry(item: dict[str, Any]) -> Entry:
    line = item.get("line")
    if line is not None and not isinstance(line, int):
        raise ValueError(f"line {line!r} is not a number")
    repository, path, code, fingerprint = (
        item[name] for name in ("repository", "path", "code", "fingerprint")
    )
    if not all(isinstance(value, str) for value in (repository, path, code, fingerprint)):
        raise ValueError("repository, path, code and fingerprint must be strings")
    return Entry(repository, path, code, fingerprint, line, str(item.get("message", "")))


def compare(report: Report, baseline: list[Entry], path: Path) -> tuple[Report, list[Entry]]:
    """(the report without the findings the baseline at `path` holds, the entries of the
    audited repositories that no finding matched: fixed since it was written)."""
    folder = Path(os.path.abspath(path)).parent
    audited = {repository_label(r.path, folder) for r in report.repositories}
    baseline = [e for e in baseline if e.repository in audited]
    remaining = Counter(e.key for e in baseline)
    repositories: list[RepositoryReport] = []
    current = iter(entries_of(report, folder))
    for repo in report.repositories:
        new: list[Finding] = []
        for finding in repo.findings:
            key = next(current).key
            if remaining[key] > 0:
                remaining[key] -= 1
            else:
                new.append(finding)
        repositories.append(repo._replace(findings=tuple(new)))
    fixed = _take(baseline, remaining)
    return report._replace(repositories=tuple(repositories)), fixed


def _take(baseline: list[Entry], remaining: Counter[Key]) -> list[Entry]:
    """The last `remaining[key]` entries of each key: those no finding matched."""
    fixed: list[Entry] = []
    for entry in sorted(baseline, key=lambda e: e.order, reverse=True):
        if remaining[entry.key] > 0:
            remaining[entry.key] -= 1
            fixed.append(entry)
    return sorted(fixed, key=lambda e: e.order)
