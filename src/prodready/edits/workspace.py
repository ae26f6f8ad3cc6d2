"""The files a fix run reads and edits: staged in memory, validated, then written atomically."""

from __future__ import annotations

import ast
import os
import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

from prodready.atomic import Changed, write_atomic
from prodready.safeio import Unreadable, folder_inside, read_bytes

if TYPE_CHECKING:
    import tomlkit.toml_document


LONE_NEWLINE = re.compile(r"(?<!\r)\n")
BOM = b"\xef\xbb\xbf"
STALE = "the file changed on disk since it was read; run the fix again"


class Change(NamedTuple):
    """One file's content before and after the fixes (before is None for a new file), and
    whether the file starts with a byte order mark (kept as it was)."""

    path: str
    before: str | None
    after: str
    bom: bool = False


class Refusal(NamedTuple):
    """A file the run did not write, and why."""

    path: str
    reason: str


def _parses(path: str, text: str) -> str | None:
    """None when the text is valid for its file type, else why not."""
    try:
        if path.endswith(".toml"):
            tomllib.loads(text)
        elif path.endswith((".yaml", ".yml")):
            yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
        elif path.endswith(".py"):
            ast.parse(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError, SyntaxError, ValueError) as exc:
        return f"the fixed file would not parse ({str(exc).splitlines()[0]})"
    return None


def _same_newlines(before: str | None, after: str) -> str:
    """The edited text with the file's own line endings: editors and libraries write `\n`, and a
    CRLF file should not come back with a mix."""
    if before is None or "\r\n" not in before or LONE_NEWLINE.search(before):
        return after
    return LONE_NEWLINE.sub("\r\n", after)


class Workspace:
    """Reads each file once, hands fixers its current (possibly already edited) content, and
    remembers the original bytes so that a file changed by someone else is never overwritten."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._original: dict[str, bytes | None] = {}
        self._text: dict[str, str] = {}
        self._toml: dict[str, tomlkit.toml_document.TOMLDocument] = {}
        self._bom: dict[str, bool] = {}

    def _load(self, path: str) -> str | None:
        """Read a file once, through the safe layer: a link out of the repository, a FIFO or a
        device raises `Unreadable` (the fixer's edits are dropped and the reason reported)."""
        if path not in self._original:
            try:
                self._original[path] = read_bytes(self.root, path)
            except Unreadable as exc:
                if str(exc) != "does not exist" or os.path.lexists(self.root / path):
                    raise Unreadable(f"{path} {exc}") from None
                self._original[path] = None
            data = self._original[path]
            if data is not None:
                self._bom[path] = data.startswith(BOM)
                self._text[path] = data.decode("utf-8-sig")
        return self._text.get(path)

    def read(self, path: str) -> str | None:
        """The file's current text, with the edits staged so far; None if it does not exist."""
        self._flush(path)
        return self._load(path)

    def write(self, path: str, text: str) -> None:
        """Stage new content for a file (created if it does not exist)."""
        self._load(path)
        self._toml.pop(path, None)
        self._text[path] = text

    def toml(self, path: str) -> Any:
        """The file as a format-preserving tomlkit document that fixers edit in place."""
        import tomlkit

        if path not in self._toml:
            text = self.read(path)
            self._toml[path] = tomlkit.parse(text if text is not None else "")
        return self._toml[path]

    def _flush(self, path: str) -> None:
        from prodready.edits.tomledit import tidy_tables

        doc = self._toml.pop(path, None)
        if doc is not None:
            self._text[path] = tidy_tables(self._text.get(path, ""), doc.as_string())

    def checkpoint(self) -> dict[str, str]:
        """The staged texts so far (documents flushed), to go back to if a fixer fails."""
        for path in list(self._toml):
            self._flush(path)
        return dict(self._text)

    def restore(self, saved: dict[str, str]) -> None:
        """Forget everything staged since `checkpoint`."""
        self._toml.clear()
        self._text = dict(saved)

    def changes(self) -> list[Change]:
        """Every file whose content the fixes changed, in path order."""
        for path in list(self._toml):
            self._flush(path)
        found = []
        for path in sorted(self._text):
            original = self._original.get(path)
            before = original.decode("utf-8-sig") if original is not None else None
            after = _same_newlines(before, self._text[path])
            if after != before:
                found.append(Change(path, before, after, self._bom.get(path, False)))
        return found

    def commit(self, changes: list[Change]) -> tuple[list[Change], list[Refusal]]:
        """Write the changes that parse, each only if its file is still as it was read (checked
        at the moment it is replaced) and inside the repository; refuse the rest."""
        written: list[Change] = []
        refused: list[Refusal] = []
        for change in changes:
            problem = _parses(change.path, change.after)
            if problem:
                refused.append(Refusal(change.path, problem))
                continue
            data = (BOM if change.bom else b"") + change.after.encode("utf-8")
            try:
                folder = folder_inside(self.root, change.path)
                target = folder / change.path.rsplit("/", 1)[-1]
                write_atomic(target, data, expect=self._original.get(change.path))
            except Changed:
                refused.append(Refusal(change.path, STALE))
                continue
            except OSError as exc:
                refused.append(Refusal(change.path, f"not written: {exc.strerror or exc}"))
                continue
            written.append(change)
        return written, refused
