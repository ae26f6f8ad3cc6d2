"""The SARIF 2.1.0 format, shaped for GitHub code scanning.

One run for the whole invocation (code scanning refuses two runs of one tool and category in an
upload, and takes at most 20 runs a file: a workspace can have more members), carrying every
rule's metadata and help page. Paths are relative to the checkout's root (`report.base_folder`).
GitHub rejects an upload whose results lack a physical location with a line, so a finding about
the repository as a whole points at line 1 of the file to edit; `partialFingerprints` come from
`fingerprints.py`, so an alert survives a line inserted above it. GitHub's documented limits
(25,000 results and rules a run, 20 tags a rule, 1,024 characters of a rule's descriptions) are
respected: the most severe results are kept and the rest counted.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prodready._version import __version__
from prodready.display import unicode
from prodready.findings import Finding, Severity
from prodready.fingerprints import fingerprints
from prodready.report import RenderOptions, base_folder, path_prefix, renderer

if TYPE_CHECKING:
    from prodready.results import Report
    from prodready.rules import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
INFO_URI = "https://github.com/prodready/prodready"
MAX_RESULTS = 25_000
MAX_DESCRIPTION = 1024
# What the severity policy (CONTRIBUTING.md) promises of each level, in code scanning's words.
PRECISION = {Severity.ERROR: "very-high", Severity.WARNING: "high", Severity.INFO: "medium"}
SECURITY_FAMILIES = frozenset({"SEC"})
# GitHub shows a security rule's severity from this score (critical >= 9, high >= 7, medium >= 4).
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.5", Severity.INFO: "2.0"}


def _short(text: str) -> str:
    text = unicode(text)
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def _rule(rule: Rule, help_url: str) -> dict[str, Any]:
    security = rule.family in SECURITY_FAMILIES
    tags = [rule.family, *(["security"] if security else [])]
    data: dict[str, Any] = {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": _short(rule.summary)},
        "fullDescription": {"text": _short(rule.docs.get("What it does", rule.summary))},
        "helpUri": help_url.format(code=rule.code, slug=rule.slug),
        "help": {
            "text": rule.docs.get("Why it matters", rule.summary),
            "markdown": rule.markdown(),
        },
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": tags,
            "precision": PRECISION[rule.severity],
            "problem.severity": rule.severity.label
            if rule.severity > Severity.INFO
            else "recommendation",
            "kinds": rule.kinds_label,
            "fix": rule.fix.value,
            "source": rule.source,
            **({"peers": list(rule.peers)} if rule.peers else {}),
        },
    }
    if security:
        data["properties"]["security-severity"] = SECURITY_SEVERITY[rule.severity]
    return data


def _result(
    finding: Finding, repository: str, prefix: str | None, fingerprint: str, index: dict[str, int]
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVELS[finding.severity],
        "message": {"text": unicode(finding.message) or finding.code},
        "locations": [_location(finding, repository, prefix)],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint},
    }
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    return result


def _location(finding: Finding, repository: str, prefix: str | None) -> dict[str, Any]:
    """Relative to the checkout's root when the repository is inside it; an absolute file URI
    otherwise (GitHub makes those relative to the checkout itself)."""
    region: dict[str, Any] = {"startLine": finding.line or 1}
    if finding.line and finding.column:
        region["startColumn"] = finding.column
    path = finding.path or "pyproject.toml"
    if prefix is None:
        where = Path(os.path.abspath(repository), path).as_uri()
        artifact: dict[str, Any] = {"uri": where}
    else:
        artifact = {
            "uri": _uri(os.path.normpath(os.path.join(prefix, path))),
            "uriBaseId": "%SRCROOT%",
        }
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _uri(path: str) -> str:
    """A relative URI reference for a repository path: its bytes percent-encoded, so spaces,
    control characters and names that are not UTF-8 stay exact and valid."""
    from urllib.parse import quote

    return quote(os.fsencode(path.replace(os.sep, "/")), safe="/")


def _kept(findings: list[Finding]) -> tuple[list[int], int]:
    """The indexes of the results a run keeps under GitHub's limit (the most severe first,
    then in report order), and how many were left out."""
    order = sorted(range(len(findings)), key=lambda i: (-findings[i].severity, i))
    kept = sorted(order[:MAX_RESULTS])
    return kept, len(findings) - len(kept)


def _results(report: Report, index: dict[str, int]) -> tuple[list[dict[str, Any]], int]:
    """Every repository's results in one list (GitHub's limit applies to the run), and how many
    were left out."""
    findings: list[Finding] = []
    made: list[dict[str, Any]] = []
    for repo in report.repositories:
        prefix = path_prefix(repo.path)
        prints = fingerprints(repo.path, repo.findings)
        for finding, print_ in zip(repo.findings, prints, strict=True):
            findings.append(finding)
            made.append(_result(finding, repo.path, prefix, print_, index))
    kept, dropped = _kept(findings)
    return [made[i] for i in kept], dropped


@renderer("sarif", "SARIF 2.1.0 for GitHub code scanning, with every rule's metadata")
def render(report: Report, options: RenderOptions) -> str:
    """The SARIF log: one run for the whole invocation, so any number of repositories or
    workspace members is one category, as code scanning requires."""
    rules = list(report.rules.values())
    index = {rule.code: i for i, rule in enumerate(rules)}
    results, dropped = _results(report, index)
    run = {
        "tool": {
            "driver": {
                "name": "prodready",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFO_URI,
                "rules": [_rule(rule, options.help_url) for rule in rules],
            }
        },
        "automationDetails": {"id": f"{options.category}/"},
        "invocations": [
            {
                "executionSuccessful": not any(repo.errors for repo in report.repositories),
                "exitCode": options.exit_code,
            }
        ],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(base_folder()).as_uri() + "/"}},
        "results": results,
        "properties": {
            "repositories": [
                {
                    "path": unicode(r.path),
                    "kind": r.kind.value,
                    "kindReason": unicode(r.kind_reason),
                }
                for r in report.repositories
            ],
            "resultsLeftOut": dropped,
        },
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2) + "\n"
