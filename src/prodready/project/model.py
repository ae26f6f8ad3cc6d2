"""`Project`: the one read of a repository that every rule asks for what it needs."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from prodready.findings import Kind
from prodready.project.kind import detect_kind
from prodready.project.source_facts import SourceFacts

if TYPE_CHECKING:
    from prodready.config import Settings


class Project(SourceFacts):
    """A repository root and everything prodready reads from it, each input loaded lazily once."""

    def __init__(self, root: Path, settings: Settings | None = None) -> None:
        super().__init__(root)
        self.settings = settings
        self.used_suppressions: frozenset[tuple[str, int, str]] = frozenset()
        self.ran_codes: frozenset[str] = frozenset()

    @cached_property
    def _kind(self) -> tuple[Kind, str]:
        if self.settings is not None and self.settings.kind is not None:
            return self.settings.kind, self.settings.kind_reason
        return detect_kind(self)

    @property
    def kind(self) -> Kind:
        """The project kind the rules apply for."""
        return self._kind[0]

    @property
    def kind_reason(self) -> str:
        """Why that kind was chosen."""
        return self._kind[1]
