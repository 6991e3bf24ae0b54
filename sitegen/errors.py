"""Errors and warnings that name the file and line they are about."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def shown(path: str | Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    path = Path(path)
    if not path.is_absolute():
        return str(path)
    try:
        return os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)
    except (ValueError, OSError):
        return str(path)


# Every character str.splitlines() breaks at: a message quoting untrusted text
# shows them escaped, so that it stays one line.
_LINE_BREAKS = {c: repr(chr(c))[1:-1] for c in (0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029)}


def one_line(text: str) -> str:
    return text.translate(_LINE_BREAKS)


def _where(path: str | Path | None, line: int | None) -> str:
    if path is None:
        return ""
    return f"{shown(path)}:{line}: " if line else f"{shown(path)}: "


class SitegenError(Exception):
    """Bad input or usage: the CLI prints it in one line and exits with 2."""

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        return one_line(_where(self.path, self.line) + self.message)

    def __reduce__(self):  # keep path and line when raised in a worker process
        return (self.__class__, (self.message, self.path, self.line))


class StrictFailure(SitegenError):
    """`--strict` turned warnings into a failure (exit 1)."""

    exit_code = 1

    def __init__(self, message: str, warnings: list[str]):
        super().__init__(message)
        self.warnings = warnings


@dataclass(frozen=True)
class Notice:
    """Something a user should see that does not stop the build."""

    message: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        return one_line(_where(self.path, self.line) + self.message)
