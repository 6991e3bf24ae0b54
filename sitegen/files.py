"""Writing files in one step, and not at all when they already hold the bytes:
a reader never sees half a file, and an unchanged file keeps its time stamp
and costs the file system nothing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_BLOCK = 1 << 20


def holds(path: Path | str, data: bytes) -> bool:
    """Whether the file at `path` holds exactly `data` (read a block at a time,
    so a large file is never in memory twice)."""
    try:
        with open(path, "rb") as old:
            if os.fstat(old.fileno()).st_size != len(data):
                return False
            for start in range(0, len(data), _BLOCK):
                block = data[start:start + _BLOCK]  # the whole of a small file, not a copy
                if old.read(len(block)) != block:
                    return False
            return old.read(1) == b""
    except OSError:
        return False


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` in one step (unless it holds `text` already)."""
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: Path, data: bytes) -> None:
    if holds(path, data):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private; these are shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
