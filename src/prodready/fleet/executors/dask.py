"""`--executor dask`: Dask distributed, on the cluster at `--scheduler ADDRESS`, or on a local
cluster started for the scan (one single-threaded worker per `--jobs`, default one per core).
Every worker needs prodready installed, at the same version (the results record it)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from prodready.errors import UsageError
from prodready.fleet.executors import executor
from prodready.fleet.executors.interface import Executor, ExecutorOptions

if TYPE_CHECKING:
    from distributed import Client

T = TypeVar("T")
R = TypeVar("R")


class DaskExecutor:
    """A Dask client, and the local cluster it started when no scheduler was given."""

    def __init__(self, options: ExecutorOptions) -> None:
        self.options = options
        self._client: Client | None = None
        self._cluster: Any = None

    def describe(self) -> str:
        if self.options.scheduler:
            return f"dask ({self.options.scheduler})"
        workers = self.options.jobs or os.cpu_count() or 1
        return f"dask (local cluster, {workers} {'worker' if workers == 1 else 'workers'})"

    def __enter__(self) -> DaskExecutor:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UsageError(
                "--executor dask needs Dask distributed: pip install 'prodready[fleet]'"
            ) from None
        if self.options.scheduler:
            try:
                self._client = Client(self.options.scheduler, timeout="30s")
            except OSError as exc:
                raise UsageError(f"--scheduler {self.options.scheduler}: {exc}") from None
            return self
        self._cluster = LocalCluster(
            n_workers=self.options.jobs or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=self.options.processes,
            # any free port on this machine: with None, Dask still serves HTTP on 8787 and
            # moves (with a warning) when another cluster holds it
            dashboard_address="127.0.0.1:0",
        )
        self._client = Client(self._cluster)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def map_unordered(self, function: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        from distributed import as_completed

        if self._client is None:
            raise RuntimeError("use the executor in a `with` block")
        if not items:
            return
        futures = self._client.map(function, list(items), pure=False)
        for future in as_completed(futures):
            result: R = future.result()
            yield result


@executor("dask")
def make_dask(options: ExecutorOptions) -> Executor:
    """Dask distributed: `--scheduler ADDRESS`, or a local cluster."""
    return DaskExecutor(options)
