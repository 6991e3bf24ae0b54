"""File events for `sitegen serve`, from watchfiles (the Rust `notify`
crate: inotify on Linux, FSEvents on macOS), in debounced batches.

Events in sitegen's own folders (the output, its staging and previous
copies, the cache), in .git and in the tool and dependency folders the walk
never enters are dropped here; which of the rest matter is the session's
call, by the collectors' own selections.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
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


class Watcher:
    """Batches of changes under `paths`, gathered by a thread of its own into
    `batches`; `ready` is set once the watches are in place (events from then
    on are caught)."""

    def __init__(self, paths: list[Path], never: tuple[str, ...], batches: queue.Queue):
        self.paths = paths
        self.batches = batches
        self.stop = threading.Event()
        self.ready = threading.Event()
        self._ignored = ignored_by(never)
        self._thread = threading.Thread(target=self._run, name="sitegen-watch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        # yield_on_timeout: the first (empty) batch says the watches are in place.
        for raw in watchfiles.watch(*self.paths, watch_filter=lambda _, path: not self._ignored(path),
                                    debounce=1600, step=STEP_MS, stop_event=self.stop, rust_timeout=200,
                                    yield_on_timeout=True, raise_interrupt=False):
            self.ready.set()
            if raw:
                self.batches.put(sorted({Change(path, _KINDS[kind]) for kind, path in raw},
                                        key=lambda c: (c.path, c.kind)))
        self.ready.set()

    def close(self) -> None:
        self.stop.set()
        self._thread.join(timeout=1)
