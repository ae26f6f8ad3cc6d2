"""The JSON format: stable, versioned, documented in docs/json-format.md."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from prodready._version import __version__
from prodready.findings import Finding
from prodready.report.interface import RenderOptions
from prodready.report.summary import counts

if TYPE_CHECKING:
    from prodready.auditor import Report, RepositoryReport

SCHEMA_VERSION = 1


def finding_data(finding: Finding) -> dict[str, Any]:
    """One finding as JSON data."""
    return {
        "code": finding.code,
        "severity": finding.severity.label,
        "message": finding.message,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "fixable": finding.fixable,
        "fix": finding.fix.value,
    }


def repository_data(repo: RepositoryReport) -> dict[str, Any]:
    """One repository's report as JSON data."""
    return {
        "path": repo.path,
        "kind": repo.kind.value,
        "kind_reason": repo.kind_reason,
        "fail_on": repo.fail_on.label,
        "ok": not (repo.failing or repo.errors),
        "summary": counts(repo.findings),
        "errors": list(repo.errors),
        "findings": [finding_data(f) for f in repo.findings],
    }


def render(report: Report) -> str:
    """The whole report as indented JSON."""
    data = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "prodready", "version": __version__},
        "ok": report.ok,
        "repositories": [repository_data(r) for r in report.repositories],
    }
    return json.dumps(data, indent=2) + "\n"


def render_with(report: Report, options: RenderOptions) -> str:
    """Renderer entry point; JSON has no display options."""
    del options
    return render(report)
