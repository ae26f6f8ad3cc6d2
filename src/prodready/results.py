"""The result of an audit: a report per repository, as every output format reads it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from prodready._version import __version__
from prodready.config import OptOut
from prodready.display import unicode
from prodready.findings import Finding, Kind, Severity
from prodready.rules import Rule
from prodready.summary import counts

SCHEMA_VERSION = 1


class RepositoryReport(NamedTuple):
    """The findings for one repository, and the kind the rules were applied for."""

    path: str
    kind: Kind
    kind_reason: str
    findings: tuple[Finding, ...]
    fail_on: Severity = Severity.WARNING
    errors: tuple[str, ...] = ()
    optouts: tuple[OptOut, ...] = ()  # under an organisation's policy

    @property
    def failing(self) -> tuple[Finding, ...]:
        """The findings at or above `fail_on`."""
        return tuple(f for f in self.findings if f.severity >= self.fail_on)

    @property
    def ok(self) -> bool:
        """True when no finding is at or above `fail_on` and no rule failed."""
        return not (self.failing or self.errors)

    def to_dict(self) -> dict[str, Any]:
        """This repository's part of the JSON form."""
        return {
            "path": unicode(self.path),
            "kind": self.kind.value,
            "kind_reason": unicode(self.kind_reason),
            "fail_on": self.fail_on.label,
            "ok": self.ok,
            "summary": counts(self.findings),
            "errors": [unicode(e) for e in self.errors],
            "findings": [finding_data(f) for f in self.findings],
        }


class Report(NamedTuple):
    """The result of one `check`: a report per repository, and the rules that ran."""

    repositories: tuple[RepositoryReport, ...]
    rules: Mapping[str, Rule] = MappingProxyType({})

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of every repository."""
        return tuple(f for repo in self.repositories for f in repo.findings)

    @property
    def ok(self) -> bool:
        """True when no repository has a finding at or above its `fail_on` and no rule crashed."""
        return all(repo.ok for repo in self.repositories)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form (docs/json-format.md) as Python data."""
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "prodready", "version": __version__},
            "ok": self.ok,
            "repositories": [r.to_dict() for r in self.repositories],
        }

    def to_json(self) -> str:
        """The documented JSON form, indented."""
        return json.dumps(self.to_dict(), indent=2) + "\n"


def finding_data(finding: Finding) -> dict[str, Any]:
    """One finding as JSON data."""
    return {
        "code": finding.code,
        "severity": finding.severity.label,
        "message": unicode(finding.message),
        "path": None if finding.path is None else unicode(finding.path),
        "line": finding.line,
        "column": finding.column,
        "fixable": finding.fixable,
        "fix": finding.fix.value,
    }
