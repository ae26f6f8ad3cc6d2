"""pip-audit: known vulnerabilities in the project's environment; "unknown" when the
vulnerability service cannot be reached, never zero."""

from __future__ import annotations

import json

from prodready.score.execute import run_tool
from prodready.score.interface import Status, ToolResult
from prodready.score.tools import Context, Metric, stopped, tool

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
    dependencies = report.get("dependencies", []) if isinstance(report, dict) else []
    vulnerabilities = sum(len(d.get("vulns", [])) for d in dependencies)
    affected = sorted(d["name"] for d in dependencies if d.get("vulns"))
    return ToolResult(
        "pip-audit",
        Status.OK,
        {"vulnerabilities": vulnerabilities},
        ", ".join(affected),
        done.seconds,
        shown,
    )
