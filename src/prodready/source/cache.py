"""The content-addressed cache of source facts: a file's facts are found by the id of its
content and its path in the repository (what is read depends on the path: a settings module,
a test module, a document), so a file is analysed once whatever repository, branch, fork or
copy holds it there.

The id is git's blob id. For a tracked file whose size and modification time are those git's
index records, the index gives it without reading the file; any other file is read and hashed
as git would. Facts are stored with the analysis context they depend on (the oldest Python,
whether the file holds tests) in one SQLite database per analyser version in the user's cache
folder (never inside the audited repository): rows of JSON, which cannot run code whoever wrote
them, so the folder can be shared between users and CI runs. The database holds at most
`MAX_ENTRIES` rows; the oldest tenth goes when it is full.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prodready._version import __version__

if TYPE_CHECKING:
    from prodready.project.files import Stamp

FORMAT = 7
MAX_ENTRIES = 500_000
BUSY_SECONDS = 10.0
QUERY_SIZE = 500  # keys per query, under SQLite's limit on bound parameters
SHORT = 256  # facts this short in JSON are shared between the files that have them


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
    """Cached analysis results, by content id and context, for one repository's files."""

    def __init__(self, stamps: Mapping[str, Stamp], enabled: bool = True) -> None:
        self.enabled = enabled
        self._stamps = stamps
        self._fresh: list[tuple[str, str, float]] = []
        self._db = _open() if enabled else None

    def lookup_many(self, files: list[tuple[str, os.stat_result, str]]) -> dict[str, Any]:
        """`lookup` for many files (path, stat, context) in a few queries: the cached results
        of those git's index gives an id for."""
        wanted: dict[str, list[str]] = {}  # identical files (empty `__init__.py`) share a key
        for path, stat, context in files:
            stamp = self._stamps.get(path)
            if stamp is not None and _unchanged(stamp, stat):
                wanted.setdefault(_key(stamp.blob, context), []).append(path)
        found: dict[str, Any] = {}
        if self._db is None or not wanted:
            return found
        from prodready.source.records import facts_from_data

        keys = list(wanted)
        short: dict[str, Any] = {}  # facts with little or nothing in them, decoded once each
        for start in range(0, len(keys), QUERY_SIZE):
            chunk = keys[start : start + QUERY_SIZE]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self._db.execute(
                    f"SELECT key, data FROM facts WHERE key IN ({marks})",  # noqa: S608
                    chunk,
                ).fetchall()
            except (sqlite3.Error, OSError):
                return found
            for key, data in rows:
                with contextlib.suppress(
                    ValueError, TypeError, KeyError, IndexError, RecursionError
                ):
                    facts = short.get(data)
                    if facts is None:
                        facts = facts_from_data(json.loads(data))
                        if len(data) < SHORT:
                            short[data] = facts
                    found.update(dict.fromkeys(wanted[key], facts))
        return found

    def knows(self, path: str, stat: os.stat_result) -> bool:
        """True when reading and hashing the file may find a result: the index gives no id for
        its current content (a file the index names by its current content missed already)."""
        stamp = self._stamps.get(path)
        return self._db is not None and (stamp is None or not _unchanged(stamp, stat))

    def lookup_hash(self, path: str, digest: str, stat: os.stat_result, context: str) -> Any | None:
        """The cached result for the content id of the file's bytes."""
        return self._get(digest, context)

    def store(
        self, path: str, stat: os.stat_result, digest: str, context: str, result: Any
    ) -> None:
        """Remember a fresh result under its content id (the index's when it holds one)."""
        stamp = self._stamps.get(path)
        content = stamp.blob if stamp is not None and _unchanged(stamp, stat) else digest
        if self._db is not None and content:
            self._fresh.append((_key(content, context), json.dumps(result), time.time()))

    def save(self) -> None:
        """Write the fresh results in one transaction, then drop the oldest tenth of the rows
        when there are more than `MAX_ENTRIES`."""
        if self._db is None:
            return
        if self._fresh:
            with contextlib.suppress(sqlite3.Error, OSError):
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    self._db.executemany(
                        "INSERT OR REPLACE INTO facts (key, data, stored) VALUES (?, ?, ?)",
                        self._fresh,
                    )
                    self._evict()
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
        self._fresh = []
        self._db.close()
        self._db = None

    def _get(self, content: str, context: str) -> Any | None:
        from prodready.source.records import facts_from_data

        if self._db is None:
            return None
        try:
            row = self._db.execute(
                "SELECT data FROM facts WHERE key = ?", (_key(content, context),)
            ).fetchone()
            return facts_from_data(json.loads(row[0])) if row else None
        except (
            sqlite3.Error,
            OSError,
            ValueError,
            TypeError,
            KeyError,
            IndexError,
            RecursionError,
        ):
            return None  # damaged: analyse afresh

    def _evict(self) -> None:
        if self._db is None:
            return
        (count,) = self._db.execute("SELECT count(*) FROM facts").fetchone()
        if count > MAX_ENTRIES:
            drop = count - MAX_ENTRIES * 9 // 10
            self._db.execute(
                "DELETE FROM facts WHERE key IN (SELECT key FROM facts ORDER BY stored LIMIT ?)",
                (drop,),
            )


def _unchanged(stamp: Stamp, stat: os.stat_result) -> bool:
    """True when the file has the size and modification time git's index recorded (which
    keeps 32 bits of each)."""
    seconds, nanoseconds = divmod(stat.st_mtime_ns, 1_000_000_000)
    recorded = (seconds % 2**32) * 1_000_000_000 + nanoseconds
    return stamp.size == stat.st_size % 2**32 and stamp.mtime_ns == recorded


def _key(content: str, context: str) -> str:
    return f"{content} {context}"


def database_path() -> Path:
    """The database of this analyser version."""
    version = hashlib.sha1(analyser_id().encode(), usedforsecurity=False).hexdigest()[:16]
    return cache_dir() / f"facts-{FORMAT}-{version}.sqlite3"


def _open() -> sqlite3.Connection | None:
    """The database, created when absent and replaced when damaged; None when the folder cannot
    be written."""
    path = database_path()
    for _ in range(2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")  # a cache: a lost write is analysed again
            db.execute(
                "CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, data TEXT, stored REAL)"
            )
        except sqlite3.OperationalError:
            return None  # locked past the timeout, read-only, cannot be opened: go without
        except sqlite3.DatabaseError:
            with contextlib.suppress(OSError):
                path.unlink()  # not a database (damaged, or written by something else)
            continue
        except (sqlite3.Error, OSError):
            return None
        with contextlib.suppress(OSError):
            _forget_older_versions(path)
        return db
    return None


# a file of the cache's earlier format: one JSON file per repository, named by a hash
EARLIER_FORMAT = re.compile(r"[0-9a-f]{20}\.json")


def _forget_older_versions(current: Path) -> None:
    """Delete the databases of other analyser versions, and files of the cache's earlier
    format, not used for a day."""
    cutoff = time.time() - 86_400
    for other in current.parent.iterdir():
        older = other.name.startswith("facts-") and ".sqlite3" in other.name
        if (older and not other.name.startswith(current.name)) or EARLIER_FORMAT.fullmatch(
            other.name
        ):
            with contextlib.suppress(OSError):
                if other.lstat().st_mtime < cutoff and other.is_file():
                    other.unlink()


def digest(data: bytes) -> str:
    """A content's id, as git names it (the SHA-1 of `blob <size>\\0` and the bytes), so the
    ids git's index records need no reading."""
    header = f"blob {len(data)}\0".encode()
    return hashlib.sha1(header + data, usedforsecurity=False).hexdigest()
