"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from prodready.display import printable
from prodready.findings import Finding, Severity
from prodready.report import RenderOptions, renderer

if TYPE_CHECKING:
    from prodready.results import Report

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(escaped)


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(finding: Finding, repository: str) -> str:
    props = [f"title={_property(finding.code)}"]
    if finding.path:
        path = os.path.normpath(os.path.join(repository, finding.path)).replace(os.sep, "/")
        props.insert(0, f"file={_property(path)}")
        if finding.line:
            props[1:1] = [f"line={finding.line}", f"col={finding.column or 1}"]
    return f"::{COMMANDS[finding.severity]} {','.join(props)}::{_data(finding.message)}"


@renderer("github", "GitHub Actions workflow commands: annotations on the pull request")
def render(report: Report, options: RenderOptions) -> str:
    """One workflow command per finding."""
    del options
    lines = [_annotation(f, repo.path) for repo in report.repositories for f in repo.findings]
    return "".join(line + "\n" for line in lines)
