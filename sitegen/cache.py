"""Caches in .sitegen-cache/, each valid for one `key` — a hash of the
settings that shape the results, of sitegen's version and of its code — so
changing the config or the code starts afresh.

FileCache keeps a result per file: an unchanged file (same size and
modification time) is not read again. `load_keyed`/`save_keyed` store any
plain mapping (highlighted snippets, say).

A cache file is its key, a checksum and the marshalled data: a file made
with another key is not unmarshalled, and a damaged one is ignored whole.
The checksum finds accidents (a truncated or half-overwritten file), not
deliberate changes: what a cache holds is checked for its shape where it is
read, as anything from the repository is."""

from __future__ import annotations

import functools
import hashlib
import marshal
import operator
import os
import zlib
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.files import NotRead, read_regular, write_atomic_bytes

CACHE_DIR = ".sitegen-cache"
# Bump when what callers store changes shape: old caches are then ignored.
FORMAT = 5
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


def _header(key: str) -> bytes:
    return b"sitegen-cache\0" + key.encode("ascii", "replace") + b"\0"


def load_keyed(path: Path, key: str) -> dict | None:
    """What `save_keyed` stored under `key`; None if absent, damaged or made with another key."""
    try:
        raw = read_regular(path, MAX_CACHE_BYTES)
    except (OSError, NotRead):
        return None  # a cache is only ever an optimisation
    start = len(header := _header(key)) + 4
    if not raw.startswith(header) or zlib.crc32(payload := memoryview(raw)[start:]) != int.from_bytes(
            raw[len(header):start], "big"):
        return None
    try:
        data = marshal.loads(payload)
    except (ValueError, EOFError, TypeError, RecursionError, MemoryError):
        return None
    return data if isinstance(data, dict) else None


def save_keyed(path: Path, key: str, data: dict) -> None:
    payload = marshal.dumps(data)
    write_atomic_bytes(path, _header(key) + zlib.crc32(payload).to_bytes(4, "big") + payload)


def file_stamp(path: str) -> int | None:
    """One int that changes whenever the file's inode, size or modification
    time does (exact for files under 1 TiB), or None if it cannot be read; an
    int per file loads far faster than a list. The inode: another file put at
    a path, of the same size and time (`touch -r`, an archive unpacked, a
    name read as Latin-1 whose UTF-8 twin appeared), is not the one cached."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino << 104) | (info.st_mtime_ns << 40) | (info.st_size & (1 << 40) - 1)


def exact_stamp(path: str | Path) -> list[int] | None:
    """The file's inode, size, modification and change time (lstat), None if
    there is none: any write, rename or edit by hand changes one of them."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return exact_stamp_of(info)


def exact_stamp_of(info: os.stat_result) -> list[int]:
    """`exact_stamp` from an lstat already made."""
    return [info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


class KeptFiles:
    """Cache files that a long-lived process (`sitegen serve`) read or wrote,
    kept in memory while the file on disk is still that one (its
    `exact_stamp`): the highlighted snippets of 100,000 files (19 MB) are not
    unmarshalled again on every save. What `load` returns is shared: callers
    only read it."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[str, list[int], dict]] = {}

    def load(self, path: Path, key: str) -> dict | None:
        stamp = exact_stamp(path)  # (taken first: a file replaced meanwhile is read again next time)
        kept = self._kept.get(str(path))
        if kept is not None and stamp is not None and kept[:2] == (key, stamp):
            return kept[2]
        data = load_keyed(path, key)
        if data is not None and stamp is not None:
            self._kept[str(path)] = (key, stamp, data)
        return data

    def save(self, path: Path, key: str, data: dict) -> None:
        save_keyed(path, key, data)
        if (stamp := exact_stamp(path)) is not None:
            self._kept[str(path)] = (key, stamp, data)


def load_with(kept: KeptFiles | None, path: Path, key: str) -> dict | None:
    return kept.load(path, key) if kept is not None else load_keyed(path, key)


def save_with(kept: KeptFiles | None, path: Path, key: str, data: dict) -> None:
    if kept is not None:
        kept.save(path, key, data)
    else:
        save_keyed(path, key, data)


class WrittenFiles:
    """Files that sitegen wrote, each with a hash of what it was made from and
    its `exact_stamp` just after: while both are unchanged, the file holds what
    it would be written with again, so it is not made again (the checklists.yaml
    of 100,000 tasks: 0.2 s each build to make and to compare with the file)."""

    def __init__(self, cache_dir: Path, enabled: bool = True):
        self.path = cache_dir / "written.marshal"
        self.key = settings_key("written")
        self.enabled = enabled
        self._entries = (load_keyed(self.path, self.key) or {}) if enabled else {}

    def holds(self, target: Path, made_from: str) -> bool:
        """Whether `target` is as written last from inputs hashed to `made_from`."""
        return self.enabled and self._entries.get(str(target)) == [made_from, exact_stamp(target)]

    def wrote(self, target: Path, made_from: str) -> None:
        if self.enabled:
            # Read again: another content file may have been noted since this one's entries were read.
            self._entries = load_keyed(self.path, self.key) or {}
            self._entries[str(target)] = [made_from, exact_stamp(target)]
            save_keyed(self.path, self.key, self._entries)


def _stamps_of(paths: list[str]) -> list[int | None]:
    return list(map(file_stamp, paths))


class FileCache:
    """Results per file, stored with marshal: for 100,000 files it loads in
    about a third of the time JSON takes. Most files' result is `default`
    (nothing found); only their stamp is stored."""

    def __init__(self, path: Path, key: str, enabled: bool = True, default: Any = None):
        self.path = path
        self.key = key
        self.enabled = enabled
        self.default = default
        self._stamps: dict[str, int] = {}
        self._payloads: dict[str, Any] = {}
        self._changed = False

    @functools.cached_property
    def _old(self) -> tuple[dict[str, int], dict[str, Any]]:
        """(stamps, payloads) as stored, read when first needed."""
        data = load_keyed(self.path, self.key) if self.enabled else None
        if not (data and isinstance(data.get("stamps"), dict) and isinstance(data.get("payloads"), dict)):
            return {}, {}
        return data["stamps"], data["payloads"]

    def get(self, rel: str, stamp: int) -> Any | None:
        """The stored result for `rel` if its `file_stamp` is unchanged, else None."""
        old_stamps, old_payloads = self._old
        if old_stamps.get(rel) != stamp:
            return None
        self._stamps[rel] = stamp
        payload = old_payloads.get(rel, self.default)
        if payload is not self.default:
            self._payloads[rel] = payload
        return payload

    def check(self, files: list[tuple[str, str]]) -> tuple[dict[str, Any], list[tuple[str, str]], dict[str, int]]:
        """`get` for many (relative path, path) at once: the stored results of
        the unchanged files that are not `default`, the files to read again,
        and the `file_stamp` of each of those that has one. The stats run on both cores
        (50,000 files: 0.3 s on one), and the cache file is read meanwhile."""
        from sitegen.parallel import in_two

        def load_then_stat(paths: list[str]) -> list[int | None]:
            self._old  # noqa: B018 (read while the other half is stat-ed)
            return _stamps_of(paths)

        parts = in_two(_stamps_of, [path for _, path in files], here=load_then_stat)
        (old_stamps, old_payloads), default = self._old, self.default
        # In C loops (map, compress): a loop in Python over 50,000 files took as long as the stats.
        now = parts[0] if len(parts) == 1 else parts[0] + parts[1]
        rels = list(map(itemgetter(0), files))
        same = list(map(operator.eq, map(old_stamps.get, rels), now))
        if None in now:  # a file that cannot be stat-ed is read again (to say why), stored or not
            same = [unchanged and stamp is not None for unchanged, stamp in zip(same, now)]
        kept = dict(compress(zip(rels, now), same))
        found = {rel: payload for rel, payload in old_payloads.items() if rel in kept and payload is not default}
        self._stamps.update(kept)
        self._payloads.update(found)
        changed = list(map(operator.not_, same))
        stamps = {rel: stamp for rel, stamp in compress(zip(rels, now), changed) if stamp is not None}
        return found, list(compress(files, changed)), stamps

    def put(self, rel: str, stamp: int, payload: Any) -> None:
        if self.enabled:
            self._stamps[rel] = stamp
            if payload != self.default:
                self._payloads[rel] = payload
            self._changed = True

    def save(self) -> None:
        """Keep the entries of this run's files only (deleted files drop out);
        a run that changed nothing leaves the file as it is."""
        if self.enabled and (self._changed or self._stamps.keys() != self._old[0].keys()):
            save_keyed(self.path, self.key, {"stamps": self._stamps, "payloads": self._payloads})
