"""`--executor local` (the default): a pool of processes on this machine."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import TypeVar

from prodready.fleet.executors import executor
from prodready.fleet.executors.interface import Executor, ExecutorOptions

T = TypeVar("T")
R = TypeVar("R")


class LocalExecutor:
    """A process pool; `forkserver` where there is one, so a parent with threads (a Dask
    client, a progress timer) is never forked. Its workers take this process's environment as
    it is when the pool starts (a forkserver keeps the one it was started with): a code host's
    token set since is seen by the fetches."""

    def __init__(self, options: ExecutorOptions) -> None:
        self.workers = max(1, options.jobs or os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    def describe(self) -> str:
        return f"local ({self.workers} {'process' if self.workers == 1 else 'processes'})"

    def __enter__(self) -> LocalExecutor:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else None)
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_adopt_environment,
            initargs=(dict(os.environ),),
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def map_unordered(self, function: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        if self._pool is None:
            raise RuntimeError("use the executor in a `with` block")
        futures: list[Future[R]] = [self._pool.submit(function, item) for item in items]
        for future in as_completed(futures):
            yield future.result()


def _adopt_environment(environment: dict[str, str]) -> None:
    """In a worker: make its environment the pool's parent's."""
    os.environ.clear()
    os.environ.update(environment)


@executor("local")
def make_local(options: ExecutorOptions) -> Executor:
    """A process pool of `--jobs` processes (default: one per core)."""
    return LocalExecutor(options)
