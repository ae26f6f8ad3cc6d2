"""JUnit XML: one test suite per file, one test case per finding, for CI test-report views.

A finding at or above the repository's `fail_on` is a `<failure>`; one below it is
`<skipped>`, so the view's verdict matches the exit status. A clean run is one passing test
case, so the view shows that prodready ran.
"""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from prodready.display import unicode
from prodready.report import RenderOptions, renderer, shown_path

if TYPE_CHECKING:
    from prodready.findings import Finding
    from prodready.results import Report, RepositoryReport

CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _text(value: str) -> str:
    """Text XML 1.0 can hold: control characters (a file name may carry them) removed."""
    return unicode(value).translate(CONTROL)


def _case(suite: ET.Element, repo: RepositoryReport, path: str, finding: Finding) -> None:
    where = f"{path}:{finding.line}:{finding.column or 1}" if finding.line else path
    case = ET.SubElement(
        suite,
        "testcase",
        name=_text(f"{finding.code} {finding.message}"),  # no line: a shift is the same test
        classname=_text(path),
        file=_text(path),
        line=str(finding.line or 1),
    )
    failing = finding.severity >= repo.fail_on
    outcome = ET.SubElement(case, "failure" if failing else "skipped")
    outcome.set("message", _text(f"{finding.code} {finding.message}"))
    if failing:
        outcome.set("type", finding.severity.label)
        outcome.text = _text(
            f"{where}: {finding.code} [{finding.severity.label}] {finding.message}"
        )


def _suites(report: Report) -> ET.Element:
    root = ET.Element("testsuites", name="prodready")
    for repo in report.repositories:
        by_file = groupby(repo.findings, key=lambda f: shown_path(repo.path, f.path))
        for path, group in by_file:
            suite = ET.SubElement(root, "testsuite", name=_text(path))
            for finding in group:
                _case(suite, repo, path, finding)
    if not len(root):
        suite = ET.SubElement(root, "testsuite", name="prodready")
        ET.SubElement(suite, "testcase", name="no findings", classname="prodready")
    for suite in root:
        cases = list(suite)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
        suite.set("errors", "0")
    root.set("tests", str(sum(int(s.get("tests", "0")) for s in root)))
    root.set("failures", str(sum(int(s.get("failures", "0")) for s in root)))
    return root


@renderer("junit", "JUnit XML: a test case per finding, for CI test-report views")
def render(report: Report, options: RenderOptions) -> str:
    """The JUnit XML document."""
    del options
    root = _suites(report)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
