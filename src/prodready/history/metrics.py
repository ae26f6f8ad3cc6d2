"""The figures a run's history follows, with their labels: one list for `history` and the report,
derived from what `check` counts and what every score tool declares it measures."""

from __future__ import annotations


def tracked() -> tuple[tuple[str, str], ...]:
    """(metric, label) of every followed figure, in scorecard order."""
    from prodready.score.tools import load_tools

    measured = [
        (m.name, m.label[:1].upper() + m.label[1:])
        for tool in load_tools().values()
        for m in tool.metrics
    ]
    return (("findings.total", "Findings (check)"), *measured)
