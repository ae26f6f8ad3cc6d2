"""The SARIF 2.1.0 format: one run per repository, carrying every rule's metadata and help."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prodready._version import __version__
from prodready.display import unicode
from prodready.findings import Finding, Severity
from prodready.report import RenderOptions, renderer

if TYPE_CHECKING:
    from prodready.results import Report, RepositoryReport
    from prodready.rules import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
INFO_URI = "https://github.com/prodready/prodready"


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.docs.get("What it does", rule.summary)},
        "help": {
            "text": rule.docs.get("Why it matters", rule.summary),
            "markdown": rule.markdown(),
        },
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": [rule.family],
            "kinds": rule.kinds_label,
            "fix": rule.fix.value,
            "source": rule.source,
        },
    }


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVELS[finding.severity],
        "message": {"text": unicode(finding.message)},
    }
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    if finding.path:
        location: dict[str, Any] = {
            "artifactLocation": {"uri": _uri(finding.path), "uriBaseId": "%SRCROOT%"}
        }
        if finding.line:
            location["region"] = {"startLine": finding.line, "startColumn": finding.column or 1}
        result["locations"] = [{"physicalLocation": location}]
    return result


def _uri(path: str) -> str:
    """A relative URI reference for a repository path: its bytes percent-encoded, so spaces,
    control characters and names that are not UTF-8 stay exact and valid."""
    from urllib.parse import quote

    return quote(os.fsencode(path), safe="/")


def _run(repo: RepositoryReport, rules: list[Rule]) -> dict[str, Any]:
    index = {rule.code: i for i, rule in enumerate(rules)}
    root = Path(repo.path).resolve().as_uri() + "/"
    return {
        "tool": {
            "driver": {
                "name": "prodready",
                "version": __version__,
                "informationUri": INFO_URI,
                "rules": [_rule(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": root}},
        "results": [_result(f, index) for f in repo.findings],
        "properties": {"kind": repo.kind.value, "kindReason": unicode(repo.kind_reason)},
    }


@renderer("sarif", "SARIF 2.1.0 with every rule's metadata, for code scanning")
def render(report: Report, options: RenderOptions) -> str:
    """The SARIF log."""
    del options
    rules = list(report.rules.values())
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [_run(repo, rules) for repo in report.repositories],
    }
    return json.dumps(log, indent=2) + "\n"
