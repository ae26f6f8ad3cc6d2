"""GitHub code scanning's documented requirements of an uploaded SARIF file, as a checker.

From GitHub's "SARIF support for code scanning" reference: the properties it reads, the values
it accepts and its upload limits. `problems(log)` lists every way a log breaks them; an empty
list means code scanning would take the file. The SARIF schema itself is checked separately.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

MAX_RUNS = 20
MAX_RESULTS = 25_000
MAX_RULES = 25_000
MAX_LOCATIONS = 1_000
MAX_RULE_TAGS = 20
MAX_DESCRIPTION = 1024
LEVELS = {"none", "note", "warning", "error"}
PRECISIONS = {"very-high", "high", "medium", "low"}
PROBLEM_SEVERITIES = {"error", "warning", "recommendation"}


def problems(log: dict[str, Any]) -> list[str]:
    """Every breach of GitHub's requirements in the log."""
    found: list[str] = []
    if log.get("version") != "2.1.0":
        found.append("version is not 2.1.0")
    runs = log.get("runs", [])
    if len(runs) > MAX_RUNS:
        found.append(f"{len(runs)} runs, more than {MAX_RUNS}")
    categories = Counter(
        (run["tool"]["driver"]["name"], run.get("automationDetails", {}).get("id", ""))
        for run in runs
    )
    found += [f"two runs share the category {key}" for key, n in categories.items() if n > 1]
    for number, run in enumerate(runs):
        found += [f"run {number}: {p}" for p in _run_problems(run)]
    return found


def _run_problems(run: dict[str, Any]) -> list[str]:
    driver = run["tool"]["driver"]
    rules = driver.get("rules", [])
    results = run.get("results", [])
    found: list[str] = []
    if not driver.get("name"):
        found.append("the driver has no name")
    if len(results) > MAX_RESULTS or len(rules) > MAX_RULES:
        found.append("more results or rules than GitHub takes")
    for rule in rules:
        found += [f"rule {rule.get('id')}: {p}" for p in _rule_problems(rule)]
    for result in results:
        found += [f"result {result.get('ruleId')}: {p}" for p in _result_problems(result, rules)]
    return found


def _rule_problems(rule: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for field in ("shortDescription", "fullDescription"):
        if len(rule.get(field, {}).get("text", "")) > MAX_DESCRIPTION:
            found.append(f"{field} longer than {MAX_DESCRIPTION}")
    properties = rule.get("properties", {})
    if len(properties.get("tags", [])) > MAX_RULE_TAGS:
        found.append("more than 20 tags")
    if properties.get("precision", "high") not in PRECISIONS:
        found.append(f"precision {properties['precision']!r}")
    if properties.get("problem.severity", "warning") not in PROBLEM_SEVERITIES:
        found.append(f"problem.severity {properties['problem.severity']!r}")
    if not rule.get("helpUri", "").startswith("https://"):
        found.append("no helpUri")
    if not rule.get("help", {}).get("text"):
        found.append("no help text")
    return found


def _result_problems(result: dict[str, Any], rules: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    if not result.get("ruleId") or not result.get("message", {}).get("text"):
        found.append("no ruleId or message text")
    if result.get("level", "warning") not in LEVELS:
        found.append(f"level {result['level']!r}")
    index = result.get("ruleIndex")
    if index is not None and rules[index]["id"] != result["ruleId"]:
        found.append("ruleIndex names another rule")
    locations = result.get("locations", [])
    if not 1 <= len(locations) <= MAX_LOCATIONS:
        found.append(f"{len(locations)} locations")
    for location in locations:
        physical = location.get("physicalLocation", {})
        uri = physical.get("artifactLocation", {}).get("uri", "")
        if not uri or uri.startswith(("/", "file:")) or ":" in uri.split("/")[0]:
            found.append(f"location {uri!r} is not relative to the checkout")
        if not isinstance(physical.get("region", {}).get("startLine"), int):
            found.append("a location without region.startLine")
    if not result.get("partialFingerprints", {}).get("primaryLocationLineHash"):
        found.append("no primaryLocationLineHash fingerprint")
    return found
