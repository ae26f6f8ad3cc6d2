"""GitLab Code Quality: the JSON array of issues GitLab shows in merge requests.

Each issue carries the fields GitLab documents as required: `description`, `check_name`,
`fingerprint` (unique per issue, stable across runs: from `fingerprints.py`), `severity` (one
of info, minor, major, critical, blocker) and `location.path` relative to the project's root
with `location.lines.begin`.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from prodready.display import unicode
from prodready.findings import Finding, Severity
from prodready.fingerprints import fingerprints
from prodready.report import RenderOptions, renderer, shown_path

if TYPE_CHECKING:
    from prodready.results import Report

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def _issue(repository: str, finding: Finding, fingerprint: str) -> dict[str, Any]:
    path = unicode(shown_path(repository, finding.path))
    unique = f"{path}\0{finding.code}\0{fingerprint}".encode("utf-8", "surrogateescape")
    return {
        "description": f"{finding.code} {unicode(finding.message)}",
        "check_name": finding.code,
        "fingerprint": hashlib.sha256(unique).hexdigest()[:32],
        "severity": SEVERITIES[finding.severity],
        "location": {"path": path, "lines": {"begin": finding.line or 1}},
    }


@renderer("gitlab", "GitLab Code Quality JSON, for merge request widgets")
def render(report: Report, options: RenderOptions) -> str:
    """The Code Quality report: one issue per finding."""
    del options
    issues = [
        _issue(repo.path, finding, print_)
        for repo in report.repositories
        for finding, print_ in zip(
            repo.findings, fingerprints(repo.path, repo.findings), strict=True
        )
    ]
    return json.dumps(issues, indent=2) + "\n"
