"""Counting findings: shared by every format's closing line or summary block."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from prodready.findings import Finding, Severity


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Findings per severity word, plus how many `prodready fix` would repair."""
    listed = list(findings)
    by_severity = Counter(f.severity for f in listed)
    result = {s.label: by_severity.get(s, 0) for s in sorted(Severity, reverse=True)}
    result["fixable"] = sum(1 for f in listed if f.fixable)
    return result


def sentence(findings: Iterable[Finding], repositories: int) -> str:
    """The one-line summary: 'Found 3 findings in 1 repository (1 error, 2 warnings); 1 fixable'."""
    listed = list(findings)
    if not listed:
        where = "repository" if repositories == 1 else f"{repositories} repositories"
        return f"All checks passed ({where})."
    tally = counts(listed)
    parts = [f"{n} {_plural(word, n)}" for word, n in tally.items() if word != "fixable" and n]
    where = "1 repository" if repositories == 1 else f"{repositories} repositories"
    line = f"Found {len(listed)} {_plural('finding', len(listed))} in {where} ({', '.join(parts)})."
    if tally["fixable"]:
        line += f" {tally['fixable']} fixable with `prodready fix`."
    return line


def _plural(word: str, n: int) -> str:
    return word if n == 1 or word == "info" else f"{word}s"
