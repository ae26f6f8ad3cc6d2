"""The per-file cache of source facts: unchanged files are not even read on the next run.

One JSON file per repository in the user's cache folder (never inside the audited repository,
which may be read-only or untrusted); JSON, because reading it back cannot run code whoever
wrote the file. An entry is used when the file's size and modification
time are as recorded, or, failing that, when its content hash is; either way only together with
the same prodready version and analysis context.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any, NamedTuple

from prodready._version import __version__

FORMAT = 4


class Entry(NamedTuple):
    """One file's cached facts, and what they are valid for."""

    size: int
    mtime_ns: int
    digest: str
    context: str
    facts: Any


def analyser_id() -> str:
    """prodready's version and the age of its analysis code: a development install whose
    analysers changed must not reuse results they would no longer give."""
    folder = Path(__file__).parent
    newest = max(
        (entry.stat().st_mtime_ns for entry in os.scandir(folder) if entry.name.endswith(".py")),
        default=0,
    )
    return f"{__version__}+{newest}"


def cache_dir() -> Path:
    """`PRODREADY_CACHE_DIR`, else `$XDG_CACHE_HOME/prodready`, else `~/.cache/prodready`."""
    explicit = os.environ.get("PRODREADY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "prodready"


class FactsCache:
    """Cached analysis results of one repository's files."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.enabled = enabled
        name = str(root).encode("utf-8", "surrogateescape")
        key = hashlib.sha1(name, usedforsecurity=False).hexdigest()[
            :20
        ]  # a file name, not security
        self.path = cache_dir() / f"{key}.json"
        self.entries: dict[str, Entry] = self._load() if enabled else {}
        self.dirty = False

    def _load(self) -> dict[str, Entry]:
        from prodready.safeio import Unreadable, read_path
        from prodready.source.records import facts_from_data

        try:
            data = json.loads(read_path(self.path, 512 * 2**20))
            if (
                not isinstance(data, dict)
                or data.get("format") != FORMAT
                or data.get("version") != analyser_id()
                or not isinstance(data.get("files"), dict)
            ):
                return {}
            return {
                path: Entry(size, mtime, digest_, context, facts_from_data(facts))
                for path, (size, mtime, digest_, context, facts) in data["files"].items()
            }
        except (Unreadable, ValueError, TypeError, KeyError, RecursionError):
            return {}  # absent, damaged or from another version: start afresh

    def lookup(self, path: str, stat: os.stat_result, context: str) -> Any | None:
        """The cached result when the file's size and modification time are unchanged."""
        entry = self.entries.get(path)
        if (
            entry
            and entry.size == stat.st_size
            and entry.mtime_ns == stat.st_mtime_ns
            and entry.context == context
        ):
            return entry.facts
        return None

    def knows(self, path: str) -> bool:
        """True when some earlier result for the file is cached (its content may still match)."""
        return path in self.entries

    def lookup_hash(self, path: str, digest: str, stat: os.stat_result, context: str) -> Any | None:
        """The cached result when the content is unchanged (the file was only touched)."""
        entry = self.entries.get(path)
        if entry and entry.digest == digest and entry.context == context:
            self.entries[path] = entry._replace(size=stat.st_size, mtime_ns=stat.st_mtime_ns)
            self.dirty = True
            return entry.facts
        return None

    def store(
        self, path: str, stat: os.stat_result, digest: str, context: str, result: Any
    ) -> None:
        """Remember a fresh result."""
        if self.enabled:
            self.entries[path] = Entry(stat.st_size, stat.st_mtime_ns, digest, context, result)
            self.dirty = True

    def save(self, keep: set[str]) -> None:
        """Write the cache (atomically) when it changed; forget files that are gone."""
        if not self.enabled or not self.dirty:
            return
        from prodready.atomic import write_atomic

        data = {
            "format": FORMAT,
            "version": analyser_id(),
            "files": {p: e for p, e in self.entries.items() if p in keep},
        }
        with contextlib.suppress(OSError, ValueError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(data, separators=(",", ":")))


def digest(data: bytes) -> str:
    """The content hash used as the cache key."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
