"""CSV: one row per item under a header row, RFC 4180 (the csv module,
CRLF line ends), safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from dataclasses import fields

from sitegen.export.snapshot import Snapshot
from sitegen.items import Item

COLUMNS = [f.name for f in fields(Item)]
# A cell starting with one of these is a formula to Excel, LibreOffice and
# Google Sheets (OWASP's CSV injection); item text comes from the tree, untrusted.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A value as a cell: "" for None, and a leading ' where a spreadsheet
    would read a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write(snapshot: Snapshot) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([cell(getattr(item, name)) for name in COLUMNS] for item in snapshot.items)
    return out.getvalue()
