"""The file layer of the project model: what the repository holds, each file read at most once.

Every other read model reads through one `Repository`, so a file is read and parsed once per audit
whatever the number of rules that ask for it."""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from prodready.project.files import FileList, IgnoreRules, Stamp, list_files
from prodready.project.paths import in_test_folder
from prodready.project.tomldoc import TomlDoc
from prodready.project.yamldoc import YamlDoc
from prodready.safeio import Unreadable, read_bytes, regular, target

if TYPE_CHECKING:
    import configparser

MAX_TEXT_BYTES = 8 * 1024 * 1024


class Inherited(NamedTuple):
    """A tool's settings in a folder above a member project (its path from the member, such as
    `../pyproject.toml`), which the tool finds by walking up from the member."""

    path: str
    values: dict[str, Any]


class Repository:
    """Files of one repository root, read lazily and cached; a read problem is kept, not raised."""

    def __init__(
        self,
        root: Path,
        listing: FileList | None = None,
        shared_locks: tuple[str, ...] = (),
        workspace: Mapping[str, frozenset[str]] | None = None,
        inherited_pytest: Inherited | None = None,
    ) -> None:
        """`listing`: the files when they are known already (a member project's part of its
        repository's list), else they are listed from the root; `shared_locks`: the lock files
        of the workspace a member belongs to (`../uv.lock`), which pin its dependencies too;
        `workspace`: the projects of that workspace, installed beside the member, each with the
        names of its runtime requirements; `inherited_pytest`: the pytest settings of the
        repository a member belongs to, which pytest finds when the member has none."""
        self.root = root.resolve()
        self._listing = listing
        self.shared_locks = shared_locks
        self.workspace: Mapping[str, frozenset[str]] = workspace or {}
        self.workspace_names = frozenset(self.workspace)
        self.inherited_pytest = inherited_pytest
        self._texts: dict[str, str | None] = {}
        self.read_problems: dict[str, str] = {}
        self._tomls: dict[str, TomlDoc | None] = {}
        self._yamls: dict[str, YamlDoc | None] = {}

    @cached_property
    def _file_list(self) -> FileList:
        return self._listing if self._listing is not None else list_files(self.root)

    @property
    def files(self) -> tuple[str, ...]:
        """Every file as a POSIX path relative to the root, sorted."""
        return self._file_list.files

    @property
    def tracked(self) -> frozenset[str] | None:
        """The files git tracks, or None when the root is not in a git work tree."""
        return self._file_list.tracked

    @property
    def stamps(self) -> Mapping[str, Stamp]:
        """The content ids git's index records for tracked regular files (see `Stamp`)."""
        return self._file_list.ids

    @cached_property
    def file_set(self) -> frozenset[str]:
        """The files, for membership tests."""
        return frozenset(self.files)

    @cached_property
    def dir_set(self) -> frozenset[str]:
        """Every folder that holds a listed file, as a relative POSIX path."""
        dirs: set[str] = set()
        for path in self.files:
            parts = path.split("/")[:-1]
            for end in range(1, len(parts) + 1):
                dirs.add("/".join(parts[:end]))
        return frozenset(dirs)

    @cached_property
    def subproject_dirs(self) -> tuple[str, ...]:
        """Folders below the root that hold a project of their own (monorepo members), tests
        and fixtures aside: their code, tests and images belong to them, not to the root."""
        dirs = {
            f.rsplit("/", 1)[0]
            for f in self.files
            if f.endswith("/pyproject.toml")
            # a `setup.py` beside an `__init__.py` is a module of a package, not a project
            or (
                f.endswith("/setup.py")
                and f[: -len("setup.py")] + "__init__.py" not in self.file_set
            )
        }
        return tuple(sorted(d for d in dirs if not in_test_folder(d + "/")))

    @cached_property
    def own_files(self) -> tuple[str, ...]:
        """The files that belong to the root project: all but those of its subprojects."""
        prefixes = tuple(d + "/" for d in self.subproject_dirs)
        return (
            tuple(f for f in self.files if not f.startswith(prefixes)) if prefixes else self.files
        )

    def exists(self, path: str) -> bool:
        """True when the file is part of the repository."""
        return path in self.file_set

    def glob(self, *patterns: str) -> list[str]:
        """Files whose path matches any `fnmatch` pattern (`*` also crosses folders)."""
        match = _glob_regex(patterns).match
        return [f for f in self.files if match(f)]

    def is_regular(self, path: str) -> bool:
        """True when the listed path is a regular file itself, not a link to another file (a
        `Dockerfile` linked to `docker/Dockerfile` is the same image); its folders are resolved
        inside the repository first."""
        folder, _, name = path.rpartition("/")
        try:
            base = target(self.root, folder) if folder else self.root
        except Unreadable:
            return False
        return regular(base / name)

    def first(self, *candidates: str) -> str | None:
        """The first candidate path that exists, compared without regard to case."""
        lowered = self._shallow_lowered
        for candidate in candidates:
            found = lowered.get(candidate.lower())
            if found is not None:
                return found
        return None

    @cached_property
    def _shallow_lowered(self) -> dict[str, str]:
        """The files at most three folders deep, by their lower-cased path."""
        return {f.lower(): f for f in self.files if f.count("/") <= 2}

    def read(self, path: str) -> str | None:
        """The text of a repository file, or None (with the reason in `read_problems`)."""
        if path not in self._texts:
            try:
                self._texts[path] = self._read(path)
            except Unreadable as problem:
                self.read_problems[path] = str(problem)
                self._texts[path] = None
        return self._texts[path]

    def head(self, path: str, size: int = 1024) -> bytes | None:
        """The first `size` bytes of a repository file (what its type is told by), or None
        when it cannot be read; not cached."""
        try:
            return read_bytes(self.root, path, size, whole=False)
        except Unreadable:
            return None

    def _read(self, path: str) -> str:
        data = read_bytes(self.root, path, MAX_TEXT_BYTES)
        if b"\0" in data[:8192]:
            raise Unreadable("is binary, not text")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise Unreadable(f"is not UTF-8 text (invalid byte at offset {exc.start})") from None

    def toml(self, path: str) -> TomlDoc | None:
        """The parsed TOML file, or None when it is absent or unreadable."""
        if path not in self._tomls:
            text = self.read(path) if self.exists(path) else None
            self._tomls[path] = None if text is None else TomlDoc.parse(path, text)
        return self._tomls[path]

    def yaml(self, path: str) -> YamlDoc | None:
        """The parsed YAML file, or None when it is absent or unreadable."""
        if path not in self._yamls:
            text = self.read(path) if self.exists(path) else None
            self._yamls[path] = None if text is None else YamlDoc.parse(path, text)
        return self._yamls[path]

    def ini_problem(self, path: str) -> tuple[str, int | None] | None:
        """Why an INI file does not parse as the tools that read it parse it (configparser,
        strict: a duplicate section or option is an error too), and on which line; None when
        it parses or is absent."""
        import configparser

        text = self.read(path) if self.exists(path) else None
        if text is None:
            return None
        parser = configparser.RawConfigParser(strict=True)
        try:
            parser.read_string(text, source=path)
        except configparser.MissingSectionHeaderError as exc:
            return "text before the first [section] header", exc.lineno
        except configparser.DuplicateSectionError as exc:
            return f"the section [{exc.section}] is written twice", exc.lineno
        except configparser.DuplicateOptionError as exc:
            return f"`{exc.option}` is written twice in [{exc.section}]", exc.lineno
        except configparser.ParsingError as exc:
            line, written = exc.errors[0] if exc.errors else (None, "''")
            content = written.strip("'\"").replace("\\n", "").strip()
            return f"a line that is neither `key = value` nor a [section]: {content}", line
        except configparser.Error as exc:
            return str(exc).splitlines()[0], None
        return None

    def ini(self, path: str) -> configparser.ConfigParser | None:
        """The parsed INI file (setup.cfg, tox.ini, …), or None when absent or malformed."""
        import configparser

        text = self.read(path) if self.exists(path) else None
        if text is None:
            return None
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read_string(text, source=path)
        except configparser.Error:
            return None
        return parser

    @cached_property
    def pyproject(self) -> TomlDoc | None:
        """`pyproject.toml` at the root."""
        return self.toml("pyproject.toml")

    def ignored(self, paths: list[str]) -> set[str]:
        """The subset of `paths` the repository's ignore files exclude (a folder ends with `/`),
        whether tracked or not, as `git check-ignore --no-index` answers."""
        rules = IgnoreRules(self.root, in_git=self.tracked is not None)
        return {path for path in paths if rules.ignored_anywhere(path)}


@functools.cache
def _glob_regex(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled expression for a set of `fnmatch` patterns."""
    return re.compile("|".join(fnmatch.translate(p) for p in patterns))
