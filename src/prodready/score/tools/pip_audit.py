"""pip-audit: known vulnerabilities in the project's environment; "unknown" when the
vulnerability service cannot be reached or a dependency could not be audited, never zero."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from prodready.score.execute import run_tool
from prodready.score.interface import Status, ToolResult
from prodready.score.tools import Context, Metric, stopped, tool

EDITABLE = "distribution marked as editable"  # pip-audit's reason under --skip-editable
OFFLINE = (
    "ConnectionError",
    "Max retries",
    "NameResolutionError",
    "Failed to establish",
    "Temporary failure in name resolution",
    "timed out",
    "SSLError",
    "ProxyError",
)


@tool(
    "pip-audit",
    ("pip_audit",),
    "pip install pip-audit",
    metrics=(Metric("vulnerabilities", "known vulnerabilities", 0, at_most=True),),
    rank=40,
    runs_project=False,
    audits_environment=True,
)
def run(ctx: Context) -> ToolResult:
    command = [
        ctx.python,
        "-I",  # isolated: the project folder is not on sys.path
        "-m",
        "pip_audit",
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--skip-editable",
    ]
    done = run_tool(command, ctx.root, ctx.timeout)
    shown = "pip-audit --skip-editable"
    if done.returncode is None:
        return stopped("pip-audit", done.seconds, shown)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        offline = any(sign in done.stderr for sign in OFFLINE)
        reason = (
            "the vulnerability service could not be reached"
            if offline
            else done.stderr.strip()[-300:]
        )
        return ToolResult(
            "pip-audit",
            Status.UNKNOWN if offline else Status.ERROR,
            {},
            reason,
            done.seconds,
            shown,
        )
    return _figures(report, done.seconds, shown)


def _figures(report: object, seconds: float, shown: str) -> ToolResult:
    """Known vulnerabilities from pip-audit's JSON report. A dependency it skipped (not found
    on the index, an unreadable version) was not audited, so unless every one was, the count
    is "unknown (N of M not audited)": a count found in the others is kept only when it is
    above zero, as it then misses the target whatever the rest hold."""
    audited, skipped = _dependencies(report)
    vulnerabilities = sum(len(d.get("vulns") or []) for d in audited)
    affected = ", ".join(sorted(str(d.get("name")) for d in audited if d.get("vulns")))
    if not skipped:
        return ToolResult(
            "pip-audit", Status.OK, {"vulnerabilities": vulnerabilities}, affected, seconds, shown
        )
    reasons = Counter(str(d.get("skip_reason", "")).split(";")[0].strip() for d in skipped)
    reason = reasons.most_common(1)[0][0]
    others = f", and {len(reasons) - 1} other reasons" if len(reasons) > 1 else ""
    detail = f"{len(skipped)} of {len(audited) + len(skipped)} not audited ({reason}{others})"
    if vulnerabilities:
        detail += f"; {vulnerabilities} known in the others: {affected}"
    metrics = {"vulnerabilities": float(vulnerabilities)} if vulnerabilities else {}
    return ToolResult("pip-audit", Status.UNKNOWN, metrics, detail, seconds, shown)


def _dependencies(report: object) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The audited and the skipped entries of the report; the project's own editable install
    is left out of both (`--skip-editable`: it is the code under audit, not a dependency)."""
    entries = report.get("dependencies", []) if isinstance(report, dict) else []
    kept = [e for e in entries if isinstance(e, dict) and e.get("skip_reason") != EDITABLE]
    return [e for e in kept if "skip_reason" not in e], [e for e in kept if "skip_reason" in e]
