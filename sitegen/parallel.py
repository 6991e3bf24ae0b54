"""Spreading independent work over the machine's cores.

Workers are forked, so they start with the parent's memory: large read-only
inputs (the site model, say) reach them without being pickled. Only the
small per-item arguments and the results cross between processes.
"""

from __future__ import annotations

import gc
import marshal
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Set once in each worker by _adopt(); read-only afterwards.
_shared_in_worker: Any = None


def worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _adopt(shared: Any, parent: int) -> None:
    global _shared_in_worker
    _shared_in_worker = shared
    _end_with(parent)


_PR_SET_PDEATHSIG = 1


def _end_with(parent: int) -> None:
    """Have this worker killed when the thread that forked it ends (Linux's
    PR_SET_PDEATHSIG): when `sitegen serve` exits on Ctrl-C during a rebuild,
    which may have forked workers after those it found were ended, none is
    left behind waiting for work (or on a lock it was forked holding).
    Elsewhere it does nothing; on Linux it also ends a worker whose
    `parent` is gone already."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended before the prctl
        os._exit(1)


def _call_with_shared(job: tuple[Callable[[Any, T], R], T]) -> R:
    func, item = job
    return func(_shared_in_worker, item)


def process_map(
    func: Callable[[Any, T], R], items: Sequence[T], shared: Any = None, min_items: int = 200,
) -> list[R]:
    """`[func(shared, item) for item in items]`, in forked workers when there is
    enough work; results keep the order of `items`.

    Small inputs stay in this process: starting workers costs more than it
    saves. Where fork is unavailable everything runs here too.
    """
    workers = min(worker_count(), len(items) // min_items)
    if workers < 2:
        return [func(shared, item) for item in items]
    # Imported here: 15 ms that a build with little to do (nothing changed) never needs.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return [func(shared, item) for item in items]
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(items) // (workers * 32))  # small chunks: workers finish together
    # What the workers inherit is left out of their garbage collections (as
    # the gc docs advise before a fork): walking the parent's objects on each
    # collection took workers forked late in a build a tenth of their time.
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_adopt,
                                 initargs=(shared, os.getpid())) as pool:
            return list(pool.map(_call_with_shared, [(func, item) for item in items], chunksize=chunk))
    finally:
        gc.unfreeze()


def in_two(func: Callable[[Sequence[T]], R], items: Sequence[T], min_items: int = 20_000,
           here: Callable[[Sequence[T]], R] | None = None) -> list[R]:
    """`[func(first half of items), func(second half)]`, the second half in
    one forked child that sends its result back marshalled (so R must be
    marshal's kind of data), for work that is mostly system calls over many
    small items: a stat of each file, say. No pool: forking one child costs
    milliseconds, a ProcessPoolExecutor a tenth of a second. One part,
    `[func(items)]`, when there is little to do, one core or no fork; the
    second half is done here too if the child fails. `here`, if given, is
    what this process does with the first half instead of `func` (the same
    answer, and something else meanwhile)."""
    here = here or func
    if len(items) < min_items or worker_count() < 2 or not hasattr(os, "fork"):
        return [here(items)]
    half = len(items) // 2
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child never returns to the caller)
        code = 1
        try:
            os.close(reading)
            data = marshal.dumps(func(items[half:]))
            with os.fdopen(writing, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(writing)
    first = here(items[:half])
    with os.fdopen(reading, "rb") as incoming:
        data = incoming.read()
    _, status = os.waitpid(child, 0)
    try:
        if os.waitstatus_to_exitcode(status) == 0:
            return [first, marshal.loads(data)]
    except (ValueError, EOFError, TypeError):
        pass
    return [first, func(items[half:])]
