"""What an executor is: something that maps a function over tasks in workers and yields the
results as they finish. The scan hands it `worker.audit_one`; `fleet fix` can hand it its own
function. The function and its tasks must be picklable (module-level, plain named tuples)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class ExecutorOptions(NamedTuple):
    """How many workers (None: one per core), and the Dask scheduler's address (None: a local
    cluster); `processes=False` runs a local Dask cluster's workers as threads (tests)."""

    jobs: int | None = None
    scheduler: str | None = None
    processes: bool = True


class Executor(Protocol):
    """Runs functions in workers; a context manager that releases them on exit."""

    def describe(self) -> str:
        """What runs the tasks, for the summary line and the `scans` table."""
        ...

    def map_unordered(self, function: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """`function(item)` for every item, yielded in the order they finish."""
        ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...


Factory = Callable[[ExecutorOptions], Executor]
