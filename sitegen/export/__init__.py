"""`sitegen export`: the collected items in other tools' formats.

One module per format, each with `write(Snapshot) -> str`; FORMATS is the
only list of them (the command's --format choices come from it), so a new
format is a module and one entry here."""

from __future__ import annotations

from collections.abc import Callable

from sitegen.export import codequality, csv_format, json_format, markdown, sarif
from sitegen.export.snapshot import Snapshot, snapshot_of

Writer = Callable[[Snapshot], str]

FORMATS: dict[str, Writer] = {
    "json": json_format.write,
    "csv": csv_format.write,
    "markdown": markdown.write,
    "sarif": sarif.write,
    "codequality": codequality.write,
}

__all__ = ["FORMATS", "Snapshot", "Writer", "snapshot_of"]
