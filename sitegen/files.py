"""Reading and writing files safely.

Reading: the repository is untrusted, so a file is read only when it is a
regular file — never a FIFO (opening one would wait for a writer), a socket
or a device — and no more than a bound's worth of it. Where a path comes from
is checked by its caller (the walk, or `inside`); the open itself refuses a
symbolic link, so what was checked is what is read.

Writing: files are replaced in one step, and not at all when they already
hold the bytes: a reader never sees half a file, and an unchanged file keeps
its time stamp and costs the file system nothing.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

_BLOCK = 1 << 20
# O_NONBLOCK: a FIFO put where a file was expected opens at once instead of
# waiting for a writer, and is then refused by the fstat check.
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class NotRead(Exception):
    """A file that was not read, and why, in words for the skip summary."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _open_regular(path: str | Path) -> tuple[int, int]:
    """(a descriptor, the size) of the regular file at `path`; a symbolic link
    is refused."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        if exc.errno == getattr(os, "ELOOP", None) or os.path.islink(path):
            raise NotRead("symbolic link") from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotRead("not a regular file")
    return fd, info.st_size


def read_regular(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of the regular file at `path`; NotRead if it is something
    else or larger than `max_bytes`, OSError if it cannot be read."""
    fd, size = _open_regular(path)
    # Unbuffered and sized by fstat: read(max_bytes) would allocate that much
    # for every file, which costs more than reading a typical source file.
    with open(fd, "rb", buffering=0) as handle:
        if size > max_bytes:
            raise NotRead(f"larger than {describe_size(max_bytes)}")
        chunks, total, want = [], 0, size + 1
        # Read to the end, but never past the bound: a file may grow while it
        # is read, and some file systems report a size of 0 for any file.
        while chunk := handle.read(min(want, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise NotRead(f"larger than {describe_size(max_bytes)}")
            want = _BLOCK
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_start(path: str | Path, size: int) -> bytes:
    """The first `size` bytes of the regular file at `path` (NotRead if it is
    a link or not a regular file)."""
    fd, _ = _open_regular(path)
    with open(fd, "rb", buffering=0) as handle:
        return handle.read(size)


def read_checked(path: str | Path, max_bytes: int) -> bytes:
    """`read_regular` for a path nothing has looked at yet: it is resolved and
    stat'ed first, so a FIFO or a device is never opened at all."""
    real = os.path.realpath(path)
    if not stat.S_ISREG(os.stat(real).st_mode):
        raise NotRead("not a regular file")
    return read_regular(real, max_bytes)


def why_not_read(exc: NotRead | OSError) -> str:
    return exc.reason if isinstance(exc, NotRead) else exc.strerror or str(exc)


def describe_size(size: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def within(real: str, folder: str) -> bool:
    """Whether the resolved path `real` is `folder` or lies within it."""
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)


def inside(path: str | Path, folder: str | Path) -> bool:
    """Whether `path`, with every symbolic link resolved, is `folder` or lies
    within it (`folder` must be resolved already)."""
    return within(os.path.realpath(path), os.fspath(folder))


def holds(path: Path | str, data: bytes) -> bool:
    """Whether the regular file at `path` holds exactly `data` (read a block
    at a time, so a large file is never in memory twice)."""
    try:
        fd, size = _open_regular(path)
    except (OSError, NotRead):
        return False
    with open(fd, "rb") as old:
        try:
            if size != len(data):
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
