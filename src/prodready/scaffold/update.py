"""Bringing template changes into a generated project without losing the user's edits."""

from __future__ import annotations

import os
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import NamedTuple

from prodready.safeio import Unreadable, read_bytes, regular
from prodready.scaffold.answers import RECORD, Record, load
from prodready.scaffold.merge import merge
from prodready.scaffold.render import TEMPLATE_VERSION, render


class FileUpdate(NamedTuple):
    """What happens to one file: its text before and after, and how it was decided."""

    path: str
    before: str | None
    after: str | None  # None: the file is removed
    how: str  # "new", "taken", "merged", "conflict", "removed"


class UpdatePlan(NamedTuple):
    root: Path
    version: int
    updates: list[FileUpdate]
    kept: list[str]  # files the template changed but the user deleted: left deleted

    @property
    def conflicts(self) -> list[str]:
        return [u.path for u in self.updates if u.how == "conflict"]


def plan_update(
    root: Path, version: int = TEMPLATE_VERSION, base: Traversable | None = None
) -> UpdatePlan:
    """Compare the old render, the new render and the files on disk; decide each file."""
    record = load(root)
    root = root.resolve()
    old = render(record.version, record.kind, record.answers, base)
    new = render(version, record.kind, record.answers, base)
    updates: list[FileUpdate] = []
    kept: list[str] = []
    for path in sorted(set(old) | set(new)):
        before, after = old.get(path), new.get(path)
        if before == after:
            continue  # the template did not change this file
        current = _read(root, path)
        decided = _decide(path, current, before, after)
        if decided is None:
            if current is None:
                kept.append(path)
            continue
        updates.append(decided)
    if version != record.version:
        record_text = Record(version, record.kind, record.answers).dumps()
        updates.append(FileUpdate(RECORD, _read(root, RECORD), record_text, "taken"))
    return UpdatePlan(root, version, updates, kept)


def _decide(
    path: str, current: str | None, before: str | None, after: str | None
) -> FileUpdate | None:
    if current is None:
        return (
            FileUpdate(path, None, after, "new") if before is None and after is not None else None
        )
    if current == after:
        return None
    if before is None or current == before:
        if after is None:
            return FileUpdate(path, current, None, "removed")
        if before is None:  # both the user and the new template made this file
            merged = merge(current, "", after, path)
            return FileUpdate(
                path, current, merged.text, "conflict" if merged.conflicts else "merged"
            )
        return FileUpdate(path, current, after, "taken")
    if after is None:
        return None  # the template dropped a file the user edited: keep the user's
    merged = merge(current, before, after, path)
    return FileUpdate(path, current, merged.text, "conflict" if merged.conflicts else "merged")


def apply_update(plan: UpdatePlan) -> None:
    """Write the plan: each file replaced only if it still holds what was planned (checked at
    the moment it is replaced), never through a link, never outside the project."""
    from prodready.atomic import Changed, write_atomic
    from prodready.errors import UsageError
    from prodready.safeio import folder_inside

    for update in plan.updates:
        if _read(plan.root, update.path) != update.before:
            raise UsageError(f"{update.path}: changed while updating; run `prodready update` again")
    for update in plan.updates:
        try:
            folder = folder_inside(plan.root, update.path)
            target = folder / update.path.rsplit("/", 1)[-1]
            if update.after is None:
                if regular(target):
                    target.unlink()
                continue
            expect = None if update.before is None else update.before.encode("utf-8")
            write_atomic(
                target, update.after, expect=expect, executable=update.after.startswith("#!")
            )
        except Changed:
            raise UsageError(
                f"{update.path}: changed while updating; run `prodready update` again"
            ) from None
        except OSError as exc:
            raise UsageError(f"{update.path}: not written: {exc.strerror or exc}") from None


def _read(root: Path, path: str) -> str | None:
    """A project file's text (None when it does not exist); a link out of the project, a FIFO
    or a device is an error, never read."""
    from prodready.errors import UsageError

    try:
        return read_bytes(root, path, 8 * 2**20).decode("utf-8")
    except Unreadable as exc:
        if str(exc) == "does not exist" and not os.path.lexists(root / path):
            return None
        raise UsageError(f"{path}: {exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: is not UTF-8 text") from None
