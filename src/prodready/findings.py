"""The records every rule produces and every report consumes.

Records are named tuples throughout prodready: a dataclass costs a millisecond to create at
import, and `check` runs often enough (every commit) for that to show.
"""

from __future__ import annotations

import enum
from typing import NamedTuple, Protocol


class Severity(enum.IntEnum):
    """How much a finding matters; higher is worse, so severities compare naturally."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        """The lower-case word used in configuration and machine output."""
        return self.name.lower()

    @classmethod
    def parse(cls, word: str) -> Severity:
        """Read a severity from its word (`error`, `warning`, `info`)."""
        try:
            return cls[word.strip().upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {word!r}; expected one of {choices}") from None


class Applicability(enum.Enum):
    """Whether a rule's fix is applied by default (safe), only on request (unsafe), or absent."""

    NONE = "none"
    SAFE = "safe"
    UNSAFE = "unsafe"


class Kind(enum.Enum):
    """What sort of project a repository holds; rules differ between them."""

    LIBRARY = "library"
    APPLICATION = "application"
    SERVICE = "service"


Data = tuple[str | int, ...]


class Violation(NamedTuple):
    """What a rule reports: a message and, where there is one, a place in a file; `data` is
    what the rule found, in the form its fixer needs (the fixer acts on it, not on the text)."""

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    data: Data = ()
    fixable: bool = True  # False where the rule's fix cannot reach (metadata in setup.cfg)
    # A lower severity than the rule's for this finding (a rule at `error` reports at `error`
    # only what is certain, its other findings as warnings); never a higher one.
    severity: Severity | None = None


class Finding(NamedTuple):
    """A violation stamped with the rule that found it: the unit of every report."""

    code: str
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    fix: Applicability = Applicability.NONE
    data: Data = ()

    @property
    def fixable(self) -> bool:
        """True when `prodready fix` can repair this finding without `--unsafe-fixes`."""
        return self.fix is Applicability.SAFE

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        """The total order of every report: file, position, code, message (and, for findings
        alike in all these, what the rule found), so output never depends on rule order,
        process pools or hash seeds."""
        return (
            self.path or "",
            self.line or 0,
            self.column or 0,
            self.code,
            self.message,
            repr(self.data),
        )


class Located(Protocol):
    """A parsed document that can say on which line a key was written."""

    path: str

    def line_of(self, *keys: str) -> int | None:
        """The line of the key path, or of its nearest written ancestor."""


def at_key(doc: Located, message: str, *keys: str) -> Violation:
    """A violation pointing at the line where `keys` is written in `doc`."""
    return Violation(message, doc.path, doc.line_of(*keys) or 1, 1)


def at_line(path: str, message: str, line: int | None = None) -> Violation:
    """A violation on a file, at a line when one is known."""
    return Violation(message, path, line, 1 if line else None)
