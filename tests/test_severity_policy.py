"""The severity policy (CONTRIBUTING.md, "Severity"), enforced over the rule registry.

`error` is for what certainly breaks install, import, build or a run, or is an exploitable hole,
on evidence that leaves no doubt; everything inferred is a warning at most. Each rule allowed at
`error` is listed here with the failure it proves; a new error rule must be added, with its
reason, in review.
"""

from __future__ import annotations

from prodready.findings import Severity
from prodready.rules import Rule, load_rules

CERTAIN = {
    "CI008": "GitHub refuses to run a workflow file that is not a valid workflow",
    "CODE002": "`from pydantic import BaseSettings` raises ImportError on pydantic 2",
    "CODE003": "newer syntax, or a newer standard-library name used at import, fails to import on the oldest Python allowed",
    "CODE009": "a module that does not parse cannot be imported (read only for imported files)",
    "CODE010": "`X | Y` evaluated at run time raises TypeError on the oldest Python allowed",
    "GHA001": "at error only when anyone can write the text (an issue's title) and it is expanded into a script of a job that runs with the repository's secrets for an event they trigger; its other findings are warnings",
    "GHA002": "at error only for a workflow_run or issue_comment job that checks out a fork's code and then runs it with the repository's secrets",
    "LINT009": "a tool stops on a configuration file that does not parse",
    "PC003": "check-yaml exits with an error on the unknown `--safe` argument",
    "PC010": "pre-commit refuses a configuration that is not valid",
    "PC011": "pre-commit stops when a hook id is not in the pinned release's manifest",
    "PKG003": "a build without a project name or version fails",
    "PKG008": "the wheel is built without the package it should hold",
    "PKG014": "pip and the build backend refuse an invalid pyproject.toml",
    "PKG016": "the build backend refuses the licence metadata (each form checked by building with it)",
    "SEC008": "pull_request_target runs the pull request's checked-out code with secrets",
    "TYPE002": "mypy stops: the configured python_version is older than it supports",
}


def _rules() -> list[Rule]:
    return list(load_rules().values())


def test_only_certain_rules_are_errors() -> None:
    errors = {rule.code for rule in _rules() if rule.severity is Severity.ERROR}
    assert errors <= set(CERTAIN), f"heuristic rules at error: {sorted(errors - set(CERTAIN))}"


def test_every_listed_rule_exists_and_is_an_error() -> None:
    by_code = {rule.code: rule for rule in _rules()}
    for code in CERTAIN:
        assert code in by_code, code
        assert by_code[code].severity is Severity.ERROR, code
