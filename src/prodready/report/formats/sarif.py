"""The SARIF 2.1.0 format, shaped for GitHub code scanning.

One run per repository, carrying every rule's metadata and help page. GitHub rejects an upload
whose results lack a physical location with a line, so a finding about the repository as a whole
points at line 1 of the file to edit; `partialFingerprints` come from `fingerprints.py`, so an
alert survives a line inserted above it; each run has its own `automationDetails.id`, because
code scanning refuses two runs of one tool and category in one upload. GitHub's documented
limits (20 runs a file, 25,000 results and rules a run, 20 tags a rule, 1,024 characters of a
rule's descriptions) are respected: the most severe results are kept and the rest counted.
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
from prodready.report import RenderOptions, path_prefix, renderer

if TYPE_CHECKING:
    from prodready.results import Report, RepositoryReport
    from prodready.rules import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
INFO_URI = "https://github.com/prodready/prodready"
MAX_RUNS = 20
MAX_RESULTS = 25_000
MAX_DESCRIPTION = 1024
# What the severity policy (CONTRIBUTING.md) promises of each level, in code scanning's words.
PRECISION = {Severity.ERROR: "very-high", Severity.WARNING: "high", Severity.INFO: "medium"}
SECURITY_FAMILIES = frozenset({"SEC"})


def _short(text: str) -> str:
    text = unicode(text)
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def _rule(rule: Rule, help_url: str) -> dict[str, Any]:
    tags = [rule.family, *(["security"] if rule.family in SECURITY_FAMILIES else [])]
    return {
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
        },
    }


def _result(
    finding: Finding, prefix: str, fingerprint: str, index: dict[str, int]
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVELS[finding.severity],
        "message": {"text": unicode(finding.message) or finding.code},
        "locations": [_location(finding, prefix)],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint},
    }
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    return result


def _location(finding: Finding, prefix: str) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": finding.line or 1}
    if finding.line and finding.column:
        region["startColumn"] = finding.column
    uri = _uri(os.path.normpath(os.path.join(prefix, finding.path or "pyproject.toml")))
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
            "region": region,
        }
    }


def _uri(path: str) -> str:
    """A relative URI reference for a repository path: its bytes percent-encoded, so spaces,
    control characters and names that are not UTF-8 stay exact and valid."""
    from urllib.parse import quote

    return quote(os.fsencode(path.replace(os.sep, "/")), safe="/")


def _base(repo: RepositoryReport) -> tuple[str, str]:
    """(the folder URIs are relative to, the repository's path from it). Code scanning reads
    paths from the checkout's root, where CI runs: a repository inside the working directory
    is written relative to it, one outside relative to itself."""
    prefix = path_prefix(repo.path)
    if prefix is not None:
        return Path.cwd().resolve().as_uri() + "/", prefix
    return Path(repo.path).resolve().as_uri() + "/", "."


def _kept(findings: tuple[Finding, ...]) -> tuple[list[int], int]:
    """The indexes of the results a run keeps under GitHub's limit (the most severe first,
    then in report order), and how many were left out."""
    order = sorted(range(len(findings)), key=lambda i: (-findings[i].severity, i))
    kept = sorted(order[:MAX_RESULTS])
    return kept, len(findings) - len(kept)


def _run(repo: RepositoryReport, rules: list[Rule], options: RenderOptions) -> dict[str, Any]:
    index = {rule.code: i for i, rule in enumerate(rules)}
    base, prefix = _base(repo)
    prints = fingerprints(repo.path, repo.findings)
    kept, dropped = _kept(repo.findings)
    label = "" if prefix == "." else prefix.replace(os.sep, "/") + "/"
    return {
        "tool": {
            "driver": {
                "name": "prodready",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFO_URI,
                "rules": [_rule(rule, options.help_url) for rule in rules],
            }
        },
        "automationDetails": {"id": f"{options.category}/{unicode(label)}"},
        "invocations": [{"executionSuccessful": not repo.errors, "exitCode": options.exit_code}],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": base}},
        "results": [_result(repo.findings[i], prefix, prints[i], index) for i in kept],
        "properties": {
            "kind": repo.kind.value,
            "kindReason": unicode(repo.kind_reason),
            "resultsLeftOut": dropped,
        },
    }


@renderer("sarif", "SARIF 2.1.0 for GitHub code scanning, with every rule's metadata")
def render(report: Report, options: RenderOptions) -> str:
    """The SARIF log."""
    from prodready.errors import UsageError

    if len(report.repositories) > MAX_RUNS:
        raise UsageError(
            f"GitHub code scanning takes at most {MAX_RUNS} runs in one SARIF file; "
            f"got {len(report.repositories)} repositories: write one file per group"
        )
    rules = list(report.rules.values())
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [_run(repo, rules, options) for repo in report.repositories],
    }
    return json.dumps(log, indent=2) + "\n"
