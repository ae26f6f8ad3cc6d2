"""Inline suppressions: `# prodready: ignore[CODE004] -- reason` on a line, or the line above."""

from __future__ import annotations

import re
from collections.abc import Callable

from prodready.source.records import Suppression

SUPPRESSION = re.compile(
    r"#\s*prodready:\s*ignore\[([A-Za-z0-9,\s]+)\](?:\s*--\s*(\S.*?))?\s*$", re.M
)


def suppressions_in(
    text: str, is_comment: Callable[[int], bool] | None = None
) -> list[Suppression]:
    """Every suppression comment in a file; `is_comment` rejects look-alikes inside strings."""
    if "prodready:" not in text:
        return []
    return [
        Suppression(
            text.count("\n", 0, match.start()) + 1,
            tuple(code.strip().upper() for code in match.group(1).split(",") if code.strip()),
            (match.group(2) or "").strip(),
        )
        for match in SUPPRESSION.finditer(text)
        if is_comment is None or is_comment(match.start())
    ]


def covers(suppression: Suppression, line: int, lines_text: list[str] | None = None) -> bool:
    """True when the suppression applies to a finding on `line`: same line, or alone just above."""
    if suppression.line == line:
        return True
    if suppression.line == line - 1:
        return lines_text is None or lines_text[suppression.line - 1].lstrip().startswith("#")
    return False
