"""File events for `sitegen serve`, from watchfiles (the Rust `notify`
crate: inotify on Linux, FSEvents on macOS), in debounced batches.

Events in sitegen's own folders (the output, its staging and previous
copies, the cache), in .git and in the tool and dependency folders the walk
never enters are dropped here; which of the rest matter is the session's
call, by the collectors' own selections.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import watchfiles

from sitegen.serve.session import ADDED, DELETED, MODIFIED, Change
from sitegen.walk import SKIPPED_DIRS

_KINDS = {watchfiles.Change.added: ADDED, watchfiles.Change.modified: MODIFIED, watchfiles.Change.deleted: DELETED}
STEP_MS = 50
"""A batch is handed over once no new event came for this long (with the
first event's wait, about 100 ms from a save to a rebuild)."""


def ignored_by(never: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether an event at a path can never matter."""
    prefixes = tuple(folder.rstrip(os.sep) + os.sep for folder in never)
    skipped = SKIPPED_DIRS | {".git"}

    def ignored(path: str) -> bool:
        if path.startswith(prefixes) or path in never:
            return True
        return not skipped.isdisjoint(path.split(os.sep))

    return ignored


def batches(paths: list[Path], never: tuple[str, ...], stop: threading.Event) -> Iterator[list[Change]]:
    """Each batch of changes under `paths` until `stop` is set."""
    ignored = ignored_by(never)
    for raw in watchfiles.watch(*paths, watch_filter=lambda _, path: not ignored(path), debounce=1600,
                                step=STEP_MS, stop_event=stop, raise_interrupt=False, rust_timeout=500,
                                yield_on_timeout=False):
        yield sorted({Change(path, _KINDS[kind]) for kind, path in raw}, key=lambda c: (c.path, c.kind))
