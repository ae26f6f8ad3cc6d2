"""Fingerprints of findings that survive line shifts and reformatting around them.

A finding is identified by its rule, its file, what its message says with the numbers taken out
(a message that names a line or a count must not change identity when the file grows), and the
text of its line without its whitespace, not the line's number. A finding on line 1 is most often
about the file as a whole (a missing section, a missing key), so that line's text is left out: a
badge or a comment added at the top must not make it a new finding. Identical findings in one
file are told apart by their order. SARIF's `partialFingerprints`, GitLab's `fingerprint` and
`check --baseline` all use this one definition, so a baseline written today matches the alerts
code scanning keeps.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from prodready.safeio import MAX_BYTES, Unreadable, read_bytes

if TYPE_CHECKING:
    from prodready.findings import Finding

VERSION = "v1"
NUMBER = re.compile(r"\d+")
SPACE = re.compile(r"\s+")


def fingerprints(root: str | Path, findings: Sequence[Finding]) -> list[str]:
    """One fingerprint per finding, in order: `<16 hex digits>:<occurrence>`, where the
    occurrence counts earlier findings of the repository with the same hash."""
    lines = _Lines(Path(root).resolve())
    seen: Counter[str] = Counter()
    result: list[str] = []
    for finding in findings:
        digest = _digest(finding, lines.text(finding.path, finding.line))
        result.append(f"{digest}:{seen[digest]}")
        seen[digest] += 1
    return result


def _digest(finding: Finding, line_text: str) -> str:
    parts = (VERSION, finding.code, finding.path or "", NUMBER.sub("0", finding.message), line_text)
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:16]


class _Lines:
    """The lines of the repository's files, each file read once, bounded and inside the root."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, list[str]] = {}

    def text(self, path: str | None, line: int | None) -> str:
        """The line's text without whitespace, or "" for line 1 and when unknown."""
        if not path or not line or line <= 1:
            return ""
        if path not in self.files:
            self.files[path] = self._read(path)
        lines = self.files[path]
        return SPACE.sub("", lines[line - 1]) if line <= len(lines) else ""

    def _read(self, path: str) -> list[str]:
        try:
            data = read_bytes(self.root, path, MAX_BYTES)
        except (Unreadable, OSError, ValueError):
            return []
        return data.decode("utf-8", "replace").splitlines()
