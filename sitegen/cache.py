"""Caches in .sitegen-cache/, each valid for one `key` — a hash of the
settings that shape the results, of sitegen's version and of its code — so
changing the config or the code starts afresh.

FileCache keeps a result per file: an unchanged file (same size and
modification time) is not read again. `load_keyed`/`save_keyed` store any
plain mapping (highlighted snippets, say)."""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.files import NotRead, read_regular, write_atomic_bytes

CACHE_DIR = ".sitegen-cache"
# Bump when what callers store changes shape: old caches are then ignored.
FORMAT = 4
MAX_CACHE_BYTES = 1 << 30


def settings_key(*parts: object) -> str:
    """The key of a cache made with `parts` (the settings that shape it) by this
    version and this code of sitegen."""
    return hashlib.sha256(repr((__version__, FORMAT, marshal.version, code_fingerprint(), *parts)).encode()).hexdigest()[:16]


@functools.cache
def code_fingerprint() -> str:
    """A hash of sitegen's source, so that a cache made by other code is not
    trusted (a development checkout changes code without changing the version).
    All of it: lists of the modules each cache depends on were kept by hand."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def load_keyed(path: Path, key: str) -> dict | None:
    """What `save_keyed` stored under `key`; None if absent, damaged or made with another key."""
    try:
        data = marshal.loads(read_regular(path, MAX_CACHE_BYTES))
    except (OSError, NotRead, ValueError, EOFError, TypeError, RecursionError, MemoryError):
        return None  # a cache is only ever an optimisation
    if not (isinstance(data, dict) and data.get("key") == key and isinstance(data.get("data"), dict)):
        return None
    return data["data"]


def save_keyed(path: Path, key: str, data: dict) -> None:
    write_atomic_bytes(path, marshal.dumps({"key": key, "data": data}))


def file_stamp(path: str) -> int | None:
    """One int that changes whenever the file's size or modification time does
    (exact for files under 1 TiB), or None if it cannot be read; an int per
    file loads far faster than a list."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns << 40) | (info.st_size & (1 << 40) - 1)


class FileCache:
    """Results per file, stored with marshal: for 100,000 files it loads in
    about a third of the time JSON takes. Most files' result is `default`
    (nothing found); only their stamp is stored."""

    def __init__(self, path: Path, key: str, enabled: bool = True, default: Any = None):
        self.path = path
        self.key = key
        self.enabled = enabled
        self.default = default
        self._old_stamps, self._old_payloads = self._load() if enabled else ({}, {})
        self._stamps: dict[str, int] = {}
        self._payloads: dict[str, Any] = {}
        self._changed = False

    def _load(self) -> tuple[dict[str, int], dict[str, Any]]:
        data = load_keyed(self.path, self.key)
        if not (data and isinstance(data.get("stamps"), dict) and isinstance(data.get("payloads"), dict)):
            return {}, {}
        return data["stamps"], data["payloads"]

    def get(self, rel: str, stamp: int) -> Any | None:
        """The stored result for `rel` if its `file_stamp` is unchanged, else None."""
        if self._old_stamps.get(rel) != stamp:
            return None
        self._stamps[rel] = stamp
        payload = self._old_payloads.get(rel, self.default)
        if payload is not self.default:
            self._payloads[rel] = payload
        return payload

    def put(self, rel: str, stamp: int, payload: Any) -> None:
        if self.enabled:
            self._stamps[rel] = stamp
            if payload != self.default:
                self._payloads[rel] = payload
            self._changed = True

    def save(self) -> None:
        """Keep the entries of this run's files only (deleted files drop out);
        a run that changed nothing leaves the file as it is."""
        if self.enabled and (self._changed or self._stamps.keys() != self._old_stamps.keys()):
            save_keyed(self.path, self.key, {"stamps": self._stamps, "payloads": self._payloads})
