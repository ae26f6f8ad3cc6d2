"""The record a generated project keeps of how it was made: template version, kind, answers."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, NamedTuple

from prodready.errors import UsageError

RECORD = ".prodready-template.toml"
TEXT_ANSWERS = ("description", "author", "email", "url")
MAX_ANSWER = 200
EMAIL = re.compile(r"^[^@\s\"'<>]+@[^@\s\"'<>]+$")
URL = re.compile(r"^https?://[^\s\"'<>\\]+$")


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


def licences() -> tuple[str, ...]:
    """The licences prodready ships a text of: the only ones a project can name."""
    from importlib import resources

    folder = resources.files("prodready") / "templates" / "licenses"
    return tuple(sorted(entry.name for entry in folder.iterdir() if not entry.name.startswith(".")))


def load(root: Path) -> Record:
    """The project's record, validated like answers typed by hand: a record is hostile input (it
    names files and lands in code), so it is checked before anything reads or renders it."""
    from prodready.safeio import Unreadable, read_bytes

    path = root / RECORD
    try:
        data = tomllib.loads(read_bytes(root.resolve(), RECORD, 64 * 1024).decode("utf-8"))
    except Unreadable as exc:
        if str(exc) == "does not exist":
            raise UsageError(
                f"{root}: no {RECORD}: the project was not made by `prodready new`"
            ) from None
        raise UsageError(f"{path}: {exc}") from None
    except (ValueError, RecursionError) as exc:  # TOML and UTF-8 errors, digits past the limit
        raise UsageError(f"{path}: {exc}") from None
    version, kind, answers = data.get("version"), data.get("kind"), data.get("answers")
    if not isinstance(version, int) or not isinstance(kind, str) or not isinstance(answers, dict):
        raise UsageError(f"{path}: needs `version` (a number), `kind` and an [answers] table")
    try:
        return Record(version, kind, validate(answers))
    except UsageError as exc:
        raise UsageError(f"{path}: {exc}") from None


def validate(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers a template may see, each checked for what it is: the names as `new` derives
    them, a licence prodready ships, a year, and one printable line for the rest."""
    from prodready.scaffold.names import project_names

    name = answers.get("name")
    if not isinstance(name, str):
        raise UsageError("the answer `name` must be text")
    distribution, package = project_names(name)
    if (answers.get("package"), name) != (package, distribution):
        raise UsageError(
            f"the answers `name` and `package` must be {distribution!r} and {package!r}"
        )
    if answers.get("license") not in licences():
        raise UsageError(f"the licence must be one of {', '.join(licences())}")
    year = answers.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1970 <= year <= 9999:
        raise UsageError("the answer `year` must be a year")
    checked: dict[str, Any] = {
        "name": distribution,
        "package": package,
        "license": answers["license"],
        "year": year,
    }
    for key in TEXT_ANSWERS:
        checked[key] = text_answer(key, answers.get(key))
    return checked


def text_answer(key: str, value: object) -> str:
    """One line of printable text, of sensible length and, for e-mails and links, shape."""
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"the answer `{key}` must be text")
    if not value.isprintable() or len(value) > MAX_ANSWER:
        raise UsageError(
            f"the answer `{key}` must be one printable line of at most {MAX_ANSWER} characters"
        )
    if key == "email" and not EMAIL.match(value):
        raise UsageError(f"the answer `email` is not an e-mail address: {value!r}")
    if key == "url" and not URL.match(value):
        raise UsageError(f"the answer `url` must be an http(s) address: {value!r}")
    return value.strip()
