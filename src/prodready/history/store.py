"""The history database: one row per run, its figures as JSON."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path
from typing import NamedTuple

from prodready.errors import UsageError

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    repository TEXT NOT NULL,
    revision TEXT NOT NULL,
    created REAL NOT NULL,
    command TEXT NOT NULL,
    metrics TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_repository ON runs (repository, created);
"""


class Run(NamedTuple):
    id: int
    repository: str
    revision: str
    created: float
    command: str
    metrics: dict[str, float]


def default_path() -> Path:
    """`$PRODREADY_HISTORY`, else the user's data folder."""
    explicit = os.environ.get("PRODREADY_HISTORY")
    if explicit:
        return Path(explicit)
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "prodready" / "history.sqlite3"


class History:
    """The runs of every repository this user has checked or scored.

    The per-user database and its folder are created on first use; a path given by the user
    must name a file in an existing folder, so a typo is an error, not a new database.
    """

    def __init__(self, path: Path | None = None, *, create: bool = True) -> None:
        self.path = path or default_path()
        if self.path.is_dir():
            raise UsageError(f"{self.path}: is a folder, not a history database")
        if path is None and create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.parent.is_dir():
            raise UsageError(
                f"{self.path}: cannot open the history: the folder {self.path.parent} does not exist"
            )
        self.db: sqlite3.Connection | None = None
        if not create and not self.path.exists():
            return  # nothing stored yet, and reading creates nothing
        try:
            self.db = sqlite3.connect(self.path, timeout=5)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise UsageError(f"{self.path}: cannot open the history database ({exc})") from None

    def add(self, repository: Path, command: str, metrics: dict[str, float]) -> None:
        """Store one run's figures."""
        if self.db is None:
            raise UsageError(f"{self.path}: the history was opened to read only")
        with self.db:
            self.db.execute(
                "INSERT INTO runs (repository, revision, created, command, metrics) VALUES (?, ?, ?, ?, ?)",
                (
                    str(repository.resolve()),
                    revision(repository),
                    time.time(),
                    command,
                    json.dumps(metrics, sort_keys=True),
                ),
            )

    def runs(self, repository: Path, command: str | None = None) -> list[Run]:
        """The repository's runs, oldest first (of one command, when given)."""
        if self.db is None:
            return []
        query = "SELECT id, repository, revision, created, command, metrics FROM runs WHERE repository = ?"
        args: list[str] = [str(repository.resolve())]
        if command:
            query += " AND command = ?"
            args.append(command)
        rows = self.db.execute(query + " ORDER BY created, id", args).fetchall()
        return [Run(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in rows]

    def close(self) -> None:
        """Close the database."""
        if self.db is not None:
            self.db.close()


def latest_score(runs: list[Run]) -> Run | None:
    """The newest `score` run of `runs` (oldest first), whose figures make the current card."""
    return next((run for run in reversed(runs) if run.command == "score"), None)


def revision(repository: Path) -> str:
    """The commit checked out (with `+` when the work tree has changes), or "" outside git."""
    from prodready.project.gitdir import revision as git_revision

    return git_revision(repository)
