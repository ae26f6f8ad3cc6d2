"""The record a generated project keeps of how it was made: template version, kind, answers."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, NamedTuple

from prodready.errors import UsageError

RECORD = ".prodready-template.toml"


class Record(NamedTuple):
    """Which template version rendered the project, for which kind, with which answers."""

    version: int
    kind: str
    answers: dict[str, Any]

    def dumps(self) -> str:
        import tomlkit

        doc = tomlkit.document()
        doc.add(tomlkit.comment("Written by `prodready new`; `prodready update` renders the"))
        doc.add(tomlkit.comment("template again from this version and these answers."))
        doc["version"] = self.version
        doc["kind"] = self.kind
        doc["answers"] = self.answers
        return tomlkit.dumps(doc)


def load(root: Path) -> Record:
    """The project's record, or a UsageError when it has none (not made by `prodready new`)."""
    path = root / RECORD
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(
            f"{root}: no {RECORD}: the project was not made by `prodready new`"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: {exc}") from None
    version, kind, answers = data.get("version"), data.get("kind"), data.get("answers")
    if not isinstance(version, int) or not isinstance(kind, str) or not isinstance(answers, dict):
        raise UsageError(f"{path}: needs `version` (a number), `kind` and an [answers] table")
    return Record(version, kind, answers)
