"""Spreading independent work over the machine's cores."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def process_map(func: Callable[[T], R], items: Sequence[T], min_items: int = 200) -> list[R]:
    """`[func(i) for i in items]`, in worker processes when there is enough work.

    Results keep the order of `items`. Small inputs stay in this process:
    starting workers costs more than it saves.
    """
    workers = min(worker_count(), max(1, len(items) // min_items))
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [func(item) for item in items]
    chunk = max(1, len(items) // (workers * 4))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(func, items, chunksize=chunk))


def chunks(items: Sequence[T], count: int) -> Iterable[Sequence[T]]:
    size = max(1, -(-len(items) // count))
    for start in range(0, len(items), size):
        yield items[start:start + size]
