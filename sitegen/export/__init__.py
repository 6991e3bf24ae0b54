"""`sitegen export`: the collected items in other tools' formats.

One module per format, each with `write(Snapshot) -> str`; FORMATS is the
only list of them (the command's --format choices come from it), so a new
format is a module and one entry here. A format's module is imported when
it is asked for: a build needs only json_format (data/health.json)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (the snapshot's module brings the views: `sitegen collect` never needs them)
    from sitegen.export.snapshot import Snapshot

Writer = Callable[["Snapshot"], str]

FORMATS: dict[str, str] = {
    "json": "json_format",
    "csv": "csv_format",
    "markdown": "markdown",
    "sarif": "sarif",
    "codequality": "codequality",
}
"""Each format's name (as --format takes it) → its module in this package."""


def writer(name: str) -> Writer:
    """The `write` function of the format called `name` (one of FORMATS)."""
    return importlib.import_module(f"{__name__}.{FORMATS[name]}").write


__all__ = ["FORMATS", "Writer", "writer"]
