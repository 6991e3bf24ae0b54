"""content/triage.yaml: hand-written overrides by item id. Read, never written.

    ck-1a2b3c4d5e:
      priority: P1
      owner: alice
      status: accepted
      notes: Waiting for the vendor's fix.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields
from pathlib import Path

from sitegen.content import read_content_text
from sitegen.errors import Notice, SitegenError
from sitegen.model import PRIORITIES, TriageEntry
from sitegen.yamlio import LineDict, load_with_lines

MAX_TRIAGE_BYTES = 16 << 20
STATUSES = ("open", "accepted", "in-progress", "blocked", "wontfix", "done")
CLOSED = frozenset({"done", "wontfix", "resolved"})
"""Statuses that close an item: triage's "done" and "wontfix", and a finding's own "resolved"."""
_FIELDS = [f.name for f in fields(TriageEntry)]


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _entry(item_id: str, raw: object, path: str, line: int) -> TriageEntry:
    item_id = _short(item_id)
    if not isinstance(raw, LineDict):
        raise SitegenError(f"the entry for '{item_id}' must be a mapping of fields", path, line)
    values: dict[str, str] = {}
    for key, value in raw.items():
        key_line = raw.line_of(key)
        if key not in _FIELDS:
            raise SitegenError(
                f"unknown field '{_short(str(key))}' for '{item_id}' (known: {', '.join(_FIELDS)})", path, key_line
            )
        if value is None:
            continue
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise SitegenError(f"'{key}' of '{item_id}' must be text", path, key_line)
        value = str(value).strip()
        if key == "priority" and value.upper() not in PRIORITIES:
            raise SitegenError(
                f"priority of '{item_id}' must be one of {', '.join(PRIORITIES)}, not {_short(value)!r}",
                path, key_line,
            )
        if key == "status" and value.lower() not in STATUSES:
            raise SitegenError(
                f"status of '{item_id}' must be one of {', '.join(STATUSES)}, not {_short(value)!r}",
                path, key_line,
            )
        values[key] = value.upper() if key == "priority" else value.lower() if key == "status" else value
    return TriageEntry(**values)


@dataclass
class Triage:
    entries: dict[str, TriageEntry] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    path: str = "triage.yaml"

    def get(self, item_id: str) -> TriageEntry | None:
        return self.entries.get(item_id)

    def priority(self, item_id: str, default: str | None) -> str | None:
        """The priority triage gives the item, else `default`."""
        entry = self.entries.get(item_id)
        return entry.priority if entry and entry.priority else default

    def status(self, item_id: str, default: str | None = None) -> str | None:
        """The status triage gives the item, else `default`."""
        entry = self.entries.get(item_id)
        return entry.status if entry and entry.status else default

    @functools.cached_property
    def priorities(self) -> dict[str, str]:
        """Item id → the priority triage gives it, for the items it gives one."""
        return {i: e.priority for i, e in self.entries.items() if e.priority}

    @functools.cached_property
    def statuses(self) -> dict[str, str]:
        """Item id → the status triage gives it, for the items it gives one."""
        return {i: e.status for i, e in self.entries.items() if e.status}

    @functools.cached_property
    def closed(self) -> frozenset[str]:
        """The ids of the items triage closes."""
        return frozenset(i for i, e in self.entries.items() if e.status in CLOSED)

    def subset(self, item_ids) -> Triage:
        """The entries for these items only (what one page depends on)."""
        entries = self.entries
        return Triage(entries={i: entries[i] for i in item_ids if i in entries} if entries else {}, path=self.path)

    def stale(self, known_ids: set[str], shown: str | None = None) -> list[Notice]:
        """Notices for entries whose item no longer exists (naming the file as `shown`, else as read)."""
        return [
            Notice(f"no item has the id '{item_id}' (removed, or its text changed?)", shown or self.path, line)
            for item_id, line in self.lines.items()
            if item_id not in known_ids
        ]


def read_triage(path: Path, shown: str) -> Triage:
    """The overrides in `path` (shown in messages as `shown`); none if it is absent."""
    text = read_content_text(path, MAX_TRIAGE_BYTES)
    if text is None:
        return Triage(path=shown)
    return parse_triage(text, shown)


def parse_triage(text: str, shown: str) -> Triage:
    """The overrides a triage.yaml whose text is `text` holds."""
    raw = load_with_lines(text, shown)
    if raw is None:
        return Triage(path=shown)
    if not isinstance(raw, LineDict):
        raise SitegenError("triage.yaml must map item ids to their overrides", shown, 1)
    ids = [key for key in raw if key != "schema"]
    return Triage(
        entries={str(k): _entry(str(k), raw[k], shown, raw.line_of(k)) for k in ids},
        lines={str(k): raw.line_of(k) for k in ids},
        path=shown,
    )
