"""The sources read model: facts about every Python file (and secrets in every text file), read
once, from the cache when unchanged, over several processes when many."""

from __future__ import annotations

import os
import re
import stat
import threading
from collections.abc import Iterator
from functools import cached_property
from typing import NamedTuple

from prodready.project.packaging import Packaging
from prodready.project.paths import in_test_tree
from prodready.project.repository import Repository
from prodready.safeio import MAX_BYTES, Unreadable, read_bytes, remember_folders
from prodready.source.cache import FactsCache, digest
from prodready.source.records import Context, FileFacts, stamp_of
from prodready.source.syntax import Verdict, check, parse_with_ast

MAX_SOURCE_BYTES = MAX_BYTES
PARALLEL_FROM = 200
SKIP_SUFFIXES = (
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".ico",
    ".svg",
    ".pdf",
    ".zip",
    ".gz",
    ".bz2",
    ".xz",
    ".whl",
    ".tar",
    ".so",
    ".dll",
    ".dylib",
    ".pyc",
    ".woff",
    ".woff2",
    ".ttf",
    ".otf",
    ".eot",
    ".mp3",
    ".mp4",
    ".ai",
    ".psd",
    ".eps",
    ".ttc",
    ".icns",
    ".mo",
    ".wav",
    ".onnx",
    ".pt",
    ".pth",
    ".bin",
    ".safetensors",
    ".h5",
    ".ckpt",
    ".npy",
    ".npz",
    ".parquet",
    ".lock",
    ".min.js",
    ".map",
    ".db",
    ".sqlite",
    ".pickle",
    ".pkl",
    ".jar",
    ".exe",
)
LOCK_NAMES = frozenset(
    {
        "uv.lock",
        "poetry.lock",
        "pdm.lock",
        "Pipfile.lock",
        "pylock.toml",
        "package-lock.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "Cargo.lock",
    }
)

# Set in worker processes so a repository audited in a pool does not start a pool of its own.
IN_WORKER = "PRODREADY_WORKER"


class _SyntaxCheck:
    """The syntax check of a repository's regular Python files (links are left to CPython's
    parser), run in a thread beside the analysis (ruff is a program of its own: the two
    overlap)."""

    def __init__(self, root: str, paths: list[str], oldest: tuple[int, int] | None) -> None:
        self._answer: dict[str, Verdict] | None = None
        self._thread: threading.Thread | None = None
        if paths:
            self._thread = threading.Thread(target=self._run, args=(root, paths, oldest))
            self._thread.start()

    def _run(self, root: str, paths: list[str], oldest: tuple[int, int] | None) -> None:
        self._answer = check(root, paths, oldest, regular=True)

    def result(self) -> dict[str, Verdict] | None:
        if self._thread is None:
            return {}
        self._thread.join()
        return self._answer


class Pending(NamedTuple):
    """A file whose facts the cache does not hold: its path, its stat and its context."""

    path: str
    info: os.stat_result
    context: Context


# Folders of snippets, documentation and examples: they run only when someone runs them by hand.
NOT_PRODUCT = re.compile(r"(?:^|/)(?:docs?|docs_src|doc_src|examples?|samples?|tutorials?)/")


def _cached_as(item: Pending) -> str:
    """What a file's cached facts depend on beside its bytes: the analysis context, and the
    path (settings, locale, documentation and test-module names change what is read)."""
    return f"{item.context!r} {item.path}"


class Sources:
    """Facts of the repository's Python files and secrets of its text files."""

    def __init__(self, repo: Repository, packaging: Packaging, *, use_cache: bool = True) -> None:
        self._repo = repo
        self._packaging = packaging
        self._use_cache = use_cache

    @cached_property
    def python_files(self) -> list[str]:
        """Every Python file of the repository."""
        return [f for f in self._repo.files if f.endswith(".py")]

    @cached_property
    def scanned_files(self) -> list[str]:
        """Python files, and the text files searched for secrets (tracked ones, in git)."""
        pool = self._repo.tracked if self._repo.tracked is not None else self._repo.files
        texts = [
            f
            for f in pool
            if not f.endswith((".py", *SKIP_SUFFIXES)) and not _is_lock(f.rsplit("/", 1)[-1])
        ]
        return self.python_files + sorted(texts)

    def context_for(self, path: str) -> Context:
        """What a file's analysis depends on beside its bytes: the oldest Python, and whether the
        file holds tests or test support (a package's `testing` helpers assert for its tests)."""
        return Context(self._packaging.min_python, path in self._test_set or in_test_tree(path))

    @cached_property
    def _test_set(self) -> frozenset[str]:
        return frozenset(self._packaging.test_files)

    @cached_property
    def facts(self) -> dict[str, FileFacts]:
        """Facts per scanned file; files that cannot be read are left out (see `read_problems`)."""
        cache = FactsCache(self._repo.stamps, enabled=self._use_cache)
        results: dict[str, FileFacts] = {}
        present = [
            Pending(path, info, self.context_for(path))
            for path in self.scanned_files
            if (info := self._stat(path)) is not None
        ]
        results.update(cache.lookup_many([(i.path, i.info, _cached_as(i)) for i in present]))
        missing = [item for item in present if item.path not in results]
        for item, (content_hash, data) in self._analyse(missing, cache):
            cache.store(item.path, item.info, content_hash, _cached_as(item), data)
            results[item.path] = data
        cache.save()
        return results

    def facts_of(self, path: str) -> FileFacts | None:
        """One file's facts: from the whole-repository pass when a rule has asked for it, else
        from analysing that file alone (an audit of configuration rules reads no source tree)."""
        computed: dict[str, FileFacts] | None = self.__dict__.get("facts")
        if computed is not None:
            return computed.get(path)
        if path not in self._scanned_set or self._stat(path) is None:
            return None
        from prodready.source.facts import analyse_path

        answer = analyse_path(self._root_text, path, self.context_for(path), False)
        return answer[1] if answer is not None else None

    @cached_property
    def _scanned_set(self) -> frozenset[str]:
        return frozenset(self.scanned_files)

    def facts_for(self, paths: list[str]) -> list[tuple[str, FileFacts]]:
        """(path, facts) for those of `paths` that could be analysed."""
        facts = self.facts
        return [(path, facts[path]) for path in paths if path in facts]

    @cached_property
    def entry_modules(self) -> frozenset[str]:
        """Files of the modules that console scripts and `__main__` run, and those named like
        a command layer (`cli.py`, `main.py`, `cli/`): where a last-resort handler belongs."""
        named = {
            f
            for f in self._packaging.package_files
            if f.endswith(("/cli.py", "/main.py")) or "/cli/" in f
        }
        return frozenset(named | self.script_modules)

    @cached_property
    def script_modules(self) -> frozenset[str]:
        """Files of the modules that console scripts and `python -m` run (`__main__.py`)."""
        found = {f for f in self._packaging.package_files if f.endswith("/__main__.py")}
        scripts = self._packaging.declared.get("scripts")
        for target in scripts.values() if isinstance(scripts, dict) else []:
            module = str(target).partition(":")[0].strip().replace(".", "/")
            found.update(
                f
                for f in self._packaging.package_files
                if f.endswith((f"{module}.py", f"{module}/__init__.py"))
            )
        return frozenset(found)

    @cached_property
    def runtime_files(self) -> list[str]:
        """Python files that run as the product: the package, scripts and examples, not tests."""
        tests = self._test_set
        return [f for f in self.python_files if f not in tests and f in self._own_set]

    @cached_property
    def product_files(self) -> list[str]:
        """Python files that certainly run as the product: the package's modules when there is a
        package; otherwise the runtime files outside documentation and example folders (whose
        snippets are often written for one Python version, as `tutorial001_py310.py`)."""
        package = self._packaging.package_files
        if package:
            return package
        return [f for f in self.runtime_files if not NOT_PRODUCT.search(f)]

    @cached_property
    def _own_set(self) -> frozenset[str]:
        return frozenset(self._repo.own_files)

    @cached_property
    def _root_text(self) -> str:
        return str(self._repo.root)

    def _stat(self, path: str) -> os.stat_result | None:
        """The file's status, through a link (remembered in `_links`); None for what is not a
        regular file of a size worth reading."""
        where = os.path.join(self._root_text, path)
        try:
            info = os.lstat(where)
            if stat.S_ISLNK(info.st_mode):
                self._links.add(path)
                info = os.stat(where)
        except OSError:
            return None
        return info if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_SOURCE_BYTES else None

    @cached_property
    def _links(self) -> set[str]:
        return set()

    def _analyse(
        self, missing: list[Pending], cache: FactsCache
    ) -> Iterator[tuple[Pending, tuple[str, FileFacts]]]:
        """(file, (content hash, facts)) for the files the cache could not answer by their size
        and time: by their content hash, or by analysing them (over processes when many)."""
        todo: list[Pending] = []
        for item in missing:
            if not cache.knows(item.path, item.info):
                todo.append(item)
                continue
            try:
                data = read_bytes(self._repo.root, item.path, MAX_SOURCE_BYTES)
            except Unreadable:
                continue
            content = digest(data)
            cached = cache.lookup_hash(item.path, content, item.info, _cached_as(item))
            if cached is not None:
                yield item, (content, cached)
            else:
                todo.append(item)
        from prodready.source.facts import analyse_path

        root = self._root_text
        links = self._links  # ruff reads regular files only: links get CPython's verdict
        syntax_paths = [i.path for i in todo if i.path.endswith(".py") and i.path not in links]
        if (
            len(todo) >= PARALLEL_FROM
            and (os.cpu_count() or 1) > 1
            and not os.environ.get(IN_WORKER)
        ):
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(
                max_workers=min(os.cpu_count() or 2, 8), initializer=remember_folders
            ) as pool:
                answers = pool.map(
                    analyse_path,
                    [root] * len(todo),
                    [item.path for item in todo],
                    [item.context for item in todo],
                    [cache.enabled] * len(todo),
                    [stamp_of(item.info) for item in todo],
                    chunksize=32,
                )
                # started once the workers are forked: a fork must not copy a running thread
                checking = _SyntaxCheck(root, syntax_paths, self._packaging.min_python)
                pairs = list(zip(todo, answers, strict=True))
        else:
            checking = _SyntaxCheck(root, syntax_paths, self._packaging.min_python)
            pairs = [
                (
                    item,
                    analyse_path(root, item.path, item.context, cache.enabled, stamp_of(item.info)),
                )
                for item in todo
            ]
        verdicts = checking.result()
        for item, answer in pairs:
            if answer is not None and item.path.endswith(".py"):
                yield item, (answer[0], self._with_syntax(item, answer[1], verdicts))
            elif answer is not None:
                yield item, answer

    def _with_syntax(
        self, item: Pending, facts: FileFacts, verdicts: dict[str, Verdict] | None
    ) -> FileFacts:
        """The facts with the syntax check's verdict: an error where the analysis found none
        (it parses only the files its rules need), and the first construct too new for the
        oldest supported Python."""
        if facts.problem is not None:
            return facts  # it does not decode: there is no source to parse
        verdict = (verdicts or {}).get(item.path)
        if verdict is None:  # ruff did not read it: CPython's parser, in this process
            try:
                data = read_bytes(self._repo.root, item.path, MAX_SOURCE_BYTES)
            except Unreadable:
                return facts
            verdict = parse_with_ast(data.decode("utf-8", "replace"), item.context.min_python)
        return facts._replace(problem=verdict.broken, too_new=verdict.too_new)


def _is_lock(name: str) -> bool:
    """True for a lock file's name (`uv.lock`, `pylock.toml`, PEP 751's named `pylock.dev.toml`):
    hashes and URLs, never secrets."""
    return name in LOCK_NAMES or (name.startswith("pylock.") and name.endswith(".toml"))
