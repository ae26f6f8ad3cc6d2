"""What a lock file records of the distributions it pins: the version of each, and what every
install of that version requires (`uv.lock`, `poetry.lock`, `pdm.lock`), read from the lock as
written, never resolved.

The lock speaks of the releases the project installs, where the import-name data speaks of each
distribution's newest release: flask-marshmallow 0.10.1, pinned by CTFd, requires six, which
its newest release no longer does. A requirement under a marker (`colorama; sys_platform ==
"win32"`) or of an extra is not installed everywhere, and is left out.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from typing import Any, NamedTuple

from prodready.project.requirements import canonical

LOCKS = ("uv.lock", "poetry.lock", "pdm.lock")


class Locked(NamedTuple):
    """One distribution as the lock pins it."""

    versions: frozenset[str]  # more than one when the lock forks by environment
    requires: frozenset[str]  # canonical names every install of each version requires


def read_lock(text: str) -> dict[str, Locked]:
    """The distributions a lock pins, by canonical name (nothing for a lock it cannot read)."""
    versions: dict[str, set[str]] = {}
    requires: dict[str, set[str]] = {}
    for entry in _packages(text):
        name, version = entry.get("name"), entry.get("version")
        if not isinstance(name, str) or not isinstance(version, str):
            continue
        key = canonical(name)
        needs = set(_unconditional(entry))
        versions.setdefault(key, set()).add(version)
        # a distribution locked twice (a fork by environment) requires what both require
        requires[key] = requires[key] & needs if key in requires else needs
    return {
        key: Locked(frozenset(found), frozenset(requires[key])) for key, found in versions.items()
    }


def _packages(text: str) -> Iterator[dict[str, Any]]:
    """Each `[[package]]` block, parsed alone (a lock runs to megabytes; a block that does not
    parse is skipped, not the lock)."""
    for block in ("\n" + text).split("\n[[package]]\n")[1:]:
        try:
            packages = tomllib.loads("[[package]]\n" + _without_files(block)).get("package")
        except tomllib.TOMLDecodeError:
            continue
        if isinstance(packages, list) and packages and isinstance(packages[0], dict):
            yield packages[0]


# the keys whose values list a release's files (most of a lock's bytes), read by nothing here
FILE_KEYS = ("wheels = ", "files = ", "sdist = ")


def _without_files(block: str) -> str:
    """The block without its file lists (uv's `sdist` and `wheels`, poetry's `files`): whole
    key-value pairs dropped, so the rest parses as it was written."""
    if not any(key in block for key in FILE_KEYS):
        return block
    kept: list[str] = []
    skipping = False
    for line in block.split("\n"):
        if skipping:
            skipping = line != "]"
        elif line.startswith(FILE_KEYS):
            skipping = line.rstrip().endswith("[")  # a list written over lines, to its `]`
        else:
            kept.append(line)
    return "\n".join(kept)


def _unconditional(entry: dict[str, Any]) -> Iterator[str]:
    """The names a locked package requires on every install: uv's `dependencies` (tables with no
    `marker`), pdm's (requirement strings with no `;`), poetry's `[package.dependencies]` (a
    specifier, or a table with no `markers` and not `optional`)."""
    dependencies = entry.get("dependencies")
    if isinstance(dependencies, list):
        for item in dependencies:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                if "marker" not in item:
                    yield canonical(item["name"])
            elif isinstance(item, str) and ";" not in item:
                name = _requirement_name(item)
                if name:
                    yield name
    elif isinstance(dependencies, dict):
        for name, spec in dependencies.items():
            if isinstance(spec, str) or (
                isinstance(spec, dict) and "markers" not in spec and not spec.get("optional")
            ):
                yield canonical(str(name))


def _requirement_name(text: str) -> str | None:
    """The distribution a requirement string names (`six>=1.5`, `requests[socks]`)."""
    head = text.strip()
    end = 0
    while end < len(head) and (head[end].isalnum() or head[end] in "._-"):
        end += 1
    return canonical(head[:end]) if end else None
