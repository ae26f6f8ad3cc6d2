"""Where a fleet scan's audits run: one module per executor (`local.py` is `--executor local`),
each registering its factory with `@executor(name)`; `interface.py` says what an executor is.
The modules import their heavy libraries (Dask) only when an executor is made."""

from __future__ import annotations

from collections.abc import Callable

from prodready.fleet.executors.interface import Executor, ExecutorOptions, Factory
from prodready.registry import Registry

EXECUTORS: Registry[Factory] = Registry("prodready.fleet.executors", "executor")

__all__ = ["EXECUTORS", "Executor", "ExecutorOptions", "Factory", "executor", "make"]


def executor(name: str) -> Callable[[Factory], Factory]:
    """Register the decorated factory as the executor `name`."""
    return EXECUTORS.decorator(name)


def make(name: str, options: ExecutorOptions) -> Executor:
    """The executor `name`, made with `options`."""
    return EXECUTORS.get(name)(options)
