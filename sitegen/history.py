"""content/history.yaml: one entry per collected revision, for trends without
a server. An entry holds the totals the dashboard draws and the ids that
became open or stopped being open since the entry before, so that the open
set of any entry (and each item's first sighting) is replayed from the
entries, without a copy of every id in every entry.

The file is appended to, never rewritten from scratch: collecting again at
the same revision replaces that revision's entry only when it is the last
one; a damaged file is an error naming its line, and is left as it is.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from sitegen import gittree
from sitegen.errors import SitegenError
from sitegen.items import Item
from sitegen.site.views import DocumentSummary
from sitegen.yamlio import LineDict, load_fast, load_with_lines

SCHEMA = "sitegen/history@1"
FILE_NAME = "history.yaml"


@dataclass(frozen=True)
class Entry:
    revision: str
    date: str | None
    """The commit's date (ISO 8601), so that an entry is the same whenever it is made."""
    totals: dict[str, dict[str, int]]
    """Counted (open, not settled) items: {"kind": {...}, "priority": {...}, "severity": {...}, "category": {...}}."""
    progress: dict[str, dict]
    """Per checklist document: {"done", "total", "phases": {label: [done, total]}}."""
    new: tuple[str, ...]
    """Ids counted now and not in the entry before. The file holds them as one
    string, ids separated by spaces: a first entry of 100,000 ids as a YAML list
    took 1.2 s to load, each build."""
    resolved: tuple[str, ...]
    """Ids counted in the entry before and not now."""

    @property
    def open(self) -> int:
        return sum(self.totals.get("kind", {}).values())

    def as_data(self) -> dict:
        return {"revision": self.revision, "date": self.date, "totals": self.totals, "progress": self.progress,
                "new": " ".join(self.new), "resolved": " ".join(self.resolved)}


def history_path(content_dir: Path) -> Path:
    return content_dir / FILE_NAME


def commit_date(root: Path, revision: str) -> str | None:
    shown = gittree.output(root, "show", "-s", "--format=%cI", revision, timeout=10)
    return shown.decode().strip() or None if shown is not None else None


def _counted(items: Sequence[Item]) -> list[Item]:
    return [item for item in items if item.counts]


def _totals(counted: Sequence[Item]) -> dict[str, dict[str, int]]:
    def tally(values) -> dict[str, int]:
        return dict(sorted(Counter(value for value in values if value).items()))

    return {"kind": tally(i.kind for i in counted), "priority": tally(i.priority for i in counted),
            "severity": tally(i.severity for i in counted), "category": tally(i.category for i in counted)}


def _progress(documents: Sequence[DocumentSummary]) -> dict[str, dict]:
    return {doc.path: {"done": doc.done, "total": doc.total,
                       "phases": {phase.label: [phase.done, phase.total] for phase in doc.phases}}
            for doc in documents}


def open_ids(entries: Sequence[Entry]) -> set[str]:
    """The ids counted at the last of `entries`."""
    ids: set[str] = set()
    for entry in entries:
        ids = (ids - set(entry.resolved)) | set(entry.new)
    return ids


def first_seen(entries: Sequence[Entry]) -> dict[str, Entry]:
    """Item id → the entry where it was first counted."""
    seen: dict[str, Entry] = {}
    for entry in entries:
        for item_id in entry.new:
            seen.setdefault(item_id, entry)
    return seen


def entry_of(items: Sequence[Item], documents: Sequence[DocumentSummary], revision: str, date: str | None,
             earlier: set[str]) -> Entry:
    """The entry of `revision`, whose items are `items`; `earlier`: the ids
    counted at the entry before (open_ids)."""
    counted = _counted(items)
    now = {item.id for item in counted}
    return Entry(revision, date, _totals(counted), _progress(documents),
                 tuple(sorted(now - earlier)), tuple(sorted(earlier - now)))


# --- the file -----------------------------------------------------------------------------

def _bad(path: Path, line: int | None, problem: str) -> SitegenError:
    return SitegenError(f"{problem}; fix or delete the file (it is never rewritten while damaged)", path, line)


class _Invalid(Exception):
    """Entry `index` is not an entry (`problem`)."""

    def __init__(self, index: int | None, problem: str):
        super().__init__(problem)
        self.index, self.problem = index, problem


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _are_counts(totals) -> bool:
    """{grouping: {name: count}}, as _totals makes it (a file committed to the
    repository is as untrusted as the rest of it)."""
    return all(isinstance(group, dict) and all(isinstance(k, str) and _is_count(v) for k, v in group.items())
               for group in totals.values())


def _is_progress(value) -> bool:
    return (isinstance(value, dict) and _is_count(value.get("done")) and _is_count(value.get("total"))
            and isinstance(value.get("phases", {}), dict)
            and all(isinstance(pair, list) and len(pair) == 2 and all(map(_is_count, pair))
                    for pair in value.get("phases", {}).values()))


def _entry(data, index: int) -> Entry:
    if not isinstance(data, dict) or not isinstance(data.get("revision"), str):
        raise _Invalid(index, "a history entry must be a mapping with a 'revision'")
    for name, kind in {"totals": dict, "progress": dict}.items():
        if not isinstance(data.get(name, kind()), kind):
            raise _Invalid(index, f"'{name}' of the entry for {data['revision'][:12]} must be a {kind.__name__}")
    for name in ("new", "resolved"):
        if not isinstance(data.get(name) or "", str):
            raise _Invalid(index, f"'{name}' of the entry for {data['revision'][:12]} must be ids separated by spaces")
    if not _are_counts(data.get("totals", {})):
        raise _Invalid(index, f"'totals' of the entry for {data['revision'][:12]} must map names to counts")
    if not all(_is_progress(value) for value in data.get("progress", {}).values()):
        raise _Invalid(index, f"'progress' of the entry for {data['revision'][:12]} must give each document "
                              "its done, total and phases")
    date = data.get("date")
    return Entry(data["revision"], str(date) if date is not None else None, dict(data.get("totals", {})),
                 dict(data.get("progress", {})), tuple((data.get("new") or "").split()),
                 tuple((data.get("resolved") or "").split()))


def _entries(raw) -> list[Entry]:
    if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
        raise _Invalid(None, f"not a sitegen history (expected 'schema: {SCHEMA}' and 'entries:')")
    if raw.get("schema") != SCHEMA:
        newer = str(raw.get("schema", "")).startswith("sitegen/history@")
        raise _Invalid(None, f"written by a newer sitegen ({raw['schema']})" if newer
                       else f"not a sitegen history (expected 'schema: {SCHEMA}')")
    return [_entry(data, index) for index, data in enumerate(raw["entries"])]


def _line_of(text: str, path: Path, index: int | None) -> int:
    """The line of entry `index` (of the top, for None): found by the slower
    loader that keeps lines, only once something is wrong."""
    raw = load_with_lines(text, path)
    if index is None or not isinstance(raw, LineDict) or not hasattr(raw.get("entries"), "line_of"):
        return 1
    return raw["entries"].line_of(index)


def read_history(path: Path) -> list[Entry]:
    """The entries of `path`, oldest first; none if it is absent."""
    if not path.is_file():
        return []
    return history_from_text(path.read_text(encoding="utf-8", errors="replace"), path)


def history_from_text(text: str, path: Path) -> list[Entry]:
    """The entries a history.yaml whose text is `text` holds (errors name `path`)."""
    raw = load_fast(text, path)
    if raw is None:
        return []
    try:
        return _entries(raw)
    except _Invalid as exc:
        raise _bad(path, _line_of(text, path, exc.index), exc.problem) from None


def _dumped(entries: Sequence[Entry]) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump({"entries": [entry.as_data() for entry in entries]}, Dumper=dumper, sort_keys=False,
                     allow_unicode=True, width=100, default_flow_style=None)
    return f"schema: {SCHEMA}\n{body}"


def with_entry(entries: list[Entry], entry: Entry) -> list[Entry]:
    """`entries` with `entry` appended, or in place of the last when it is of the same revision."""
    if entries and entries[-1].revision == entry.revision:
        return [*entries[:-1], entry]
    return [*entries, entry]


def write_history(path: Path, entries: Sequence[Entry]) -> None:
    temporary = path.with_name(f".{path.name}.writing")
    temporary.write_text(_dumped(entries), encoding="utf-8")
    os.replace(temporary, path)


def record(content_dir: Path, items: Sequence[Item], documents: Sequence[DocumentSummary], revision: str,
           date: str | None) -> list[Entry]:
    """Append the entry of `revision` to content/history.yaml (see with_entry);
    every entry, as the file now holds them."""
    path = history_path(content_dir)
    entries = read_history(path)
    earlier = entries[:-1] if entries and entries[-1].revision == revision else entries
    updated = with_entry(entries, entry_of(items, documents, revision, date, open_ids(earlier)))
    if updated != entries:
        write_history(path, updated)
    return updated
