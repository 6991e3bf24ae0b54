"""A per-file result cache: an unchanged file (same size and modification
time) is not read again. The whole cache is valid for one `key` — a hash of
the settings that shape the results and of sitegen's version — so changing
the config or upgrading sitegen starts afresh."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.content import write_atomic

CACHE_DIR = ".sitegen-cache"
# Bump when what callers store changes shape: old caches are then ignored.
FORMAT = 2


def settings_key(*parts: object) -> str:
    return hashlib.sha256(repr((__version__, FORMAT, *parts)).encode()).hexdigest()[:16]


def code_fingerprint(*modules) -> str:
    """A hash of the modules' source, so a cache made by other code is not trusted
    (a development checkout changes code without changing the version)."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


class FileCache:
    def __init__(self, path: Path, key: str, enabled: bool = True):
        self.path = path
        self.key = key
        self.enabled = enabled
        self._old: dict[str, list] = self._load() if enabled else {}
        self._new: dict[str, list] = {}
        self._changed = False

    def _load(self) -> dict[str, list]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # absent or damaged: a cache is only ever an optimisation
        if not isinstance(data, dict) or data.get("key") != self.key:
            return {}
        entries = data.get("files")
        return entries if isinstance(entries, dict) else {}

    def get(self, rel: str, size: int, mtime_ns: int) -> Any | None:
        entry = self._old.get(rel)
        if entry and entry[0] == size and entry[1] == mtime_ns:
            self._new[rel] = entry
            return entry[2]
        return None

    def put(self, rel: str, size: int, mtime_ns: int, payload: Any) -> None:
        if self.enabled:
            self._new[rel] = [size, mtime_ns, payload]
            self._changed = True

    def save(self) -> None:
        """Keep the entries of this run's files only (deleted files drop out);
        a run that changed nothing leaves the file as it is."""
        if self.enabled and (self._changed or self._new.keys() != self._old.keys()):
            data = {"key": self.key, "files": self._new}
            write_atomic(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
