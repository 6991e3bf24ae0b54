"""Reading user files whose encoding nobody promised.

Policy (documented in the README): UTF-8 is expected; a UTF-8 or UTF-16 BOM is
honoured; anything else that is not valid UTF-8 is decoded as Latin-1 (every
byte maps to a character, so nothing is lost) and a warning names the file and
the line of the first invalid byte.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from sitegen.errors import Notice
from sitegen.files import read_regular

MAX_DOCUMENT_BYTES = 8 << 20
"""Markdown checklists and reports larger than this are not read (a warning
says so): the largest real ones are a few hundred KiB."""


def decode(data: bytes, display_path: str) -> tuple[str, Notice | None]:
    """Return the text of `data` and a warning when it was not UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:  # an odd length, a lone surrogate
            return data.decode("utf-16", "replace"), Notice(
                "not valid UTF-16; undecodable bytes replaced", display_path,
                data.decode("utf-16", "replace")[:exc.start // 2].count("\n") + 1)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        warning = Notice("not valid UTF-8; read as Latin-1", display_path, line)
        return data.decode("latin-1"), warning


def read_text(path: Path | str, display_path: str, max_bytes: int = MAX_DOCUMENT_BYTES) -> tuple[str, Notice | None]:
    """The text of the regular file at `path` (files.NotRead if it is not one,
    or is larger than `max_bytes`)."""
    return decode(read_regular(path, max_bytes), display_path)
