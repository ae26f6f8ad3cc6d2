"""The sources read model: facts about every Python file (and secrets in every text file), read
once, from the cache when unchanged, over several processes when many."""

from __future__ import annotations

import os
import stat
from functools import cached_property

from prodready.project.packaging import Packaging
from prodready.project.paths import in_test_tree
from prodready.project.repository import Repository
from prodready.source.cache import FactsCache, digest
from prodready.source.records import Context, FileFacts

MAX_SOURCE_BYTES = 8 * 1024 * 1024
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
        "package-lock.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "Cargo.lock",
    }
)

# Set in worker processes so a repository audited in a pool does not start a pool of its own.
IN_WORKER = "PRODREADY_WORKER"


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
            if not f.endswith((".py", *SKIP_SUFFIXES)) and f.rsplit("/", 1)[-1] not in LOCK_NAMES
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
        cache = FactsCache(self._repo.root, enabled=self._use_cache)
        results: dict[str, FileFacts] = {}
        missing: list[tuple[str, os.stat_result, str]] = []
        for path in self.scanned_files:
            info = self._stat(path)
            if info is None:
                continue
            context = repr(self.context_for(path))
            cached = cache.lookup(path, info, context)
            if cached is not None:
                results[path] = cached
            else:
                missing.append((path, info, context))
        for path, info, context, (content_hash, data) in self._analyse(missing, cache):
            cache.store(path, info, content_hash, context, data)
            results[path] = data
        cache.save(set(self.scanned_files))
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

        try:
            return analyse_path(self._root_text, path, self.context_for(path), False)[1]
        except (OSError, ValueError):
            return None

    @cached_property
    def _scanned_set(self) -> frozenset[str]:
        return frozenset(self.scanned_files)

    def facts_for(self, paths: list[str]) -> list[tuple[str, FileFacts]]:
        """(path, facts) for those of `paths` that could be analysed."""
        facts = self.facts
        return [(path, facts[path]) for path in paths if path in facts]

    @cached_property
    def entry_modules(self) -> frozenset[str]:
        """Files of the modules that console scripts and `__main__` run: the command layer."""
        found = {
            f
            for f in self._packaging.package_files
            if f.endswith(("/__main__.py", "/cli.py", "/main.py")) or "/cli/" in f
        }
        scripts = self._packaging.meta.get("scripts")
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
    def _own_set(self) -> frozenset[str]:
        return frozenset(self._repo.own_files)

    @cached_property
    def _root_text(self) -> str:
        return str(self._repo.root)

    def _stat(self, path: str) -> os.stat_result | None:
        try:
            info = os.stat(os.path.join(self._root_text, path))
        except OSError:
            return None
        return info if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_SOURCE_BYTES else None

    def _analyse(self, missing: list[tuple[str, os.stat_result, str]], cache: FactsCache):  # type: ignore[no-untyped-def]
        """Yield (path, stat, context, (hash, facts data)) for files the cache could not answer."""
        todo = []
        for path, info, context in missing:
            if not cache.knows(path):
                todo.append((path, info, context))
                continue
            try:
                data = (self._repo.root / path).read_bytes()
            except OSError:
                continue
            content = digest(data)
            cached = cache.lookup_hash(path, content, info, context)
            if cached is not None:
                yield path, info, context, (content, cached)
            else:
                todo.append((path, info, context))
        from prodready.source.facts import analyse_path

        root = str(self._repo.root)
        if (
            len(todo) >= PARALLEL_FROM
            and (os.cpu_count() or 1) > 1
            and not os.environ.get(IN_WORKER)
        ):
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=min(os.cpu_count() or 2, 8)) as pool:
                contexts = [self.context_for(p) for p, _, _ in todo]
                answers = pool.map(
                    analyse_path,
                    [root] * len(todo),
                    [p for p, _, _ in todo],
                    contexts,
                    [cache.enabled] * len(todo),
                    chunksize=32,
                )
                for (path, info, context), answer in zip(todo, answers, strict=True):
                    yield path, info, context, answer
            return
        for path, info, context in todo:
            try:
                yield (
                    path,
                    info,
                    context,
                    analyse_path(root, path, self.context_for(path), cache.enabled),
                )
            except OSError:
                continue
