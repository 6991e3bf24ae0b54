"""`data/health.json`: everything, machine-readable, in the versioned schema
`sitegen/health@1` that docs/health-json.md documents field by field.

Adding a field keeps @1; renaming or removing one, or changing its meaning,
makes @2. Deterministic: keys sorted, items in the order `items_of` gives,
and no time unless SOURCE_DATE_EPOCH sets one."""

from __future__ import annotations

import json
from collections import Counter
from operator import attrgetter

from sitegen import __version__
from sitegen.export.snapshot import Snapshot
from sitegen.items import KINDS, Item
from sitegen.model import PRIORITIES, SEVERITIES
from sitegen.site import urls
from sitegen.triage import CLOSED

SCHEMA = "sitegen/health@1"
UNSET = "none"
"""The priority key of items that have none (tasks written without one)."""


_facets = attrgetter("kind", "status", "priority", "severity")


def _totals(items: list[Item]) -> dict:
    # Each (kind, status, priority, severity) counted in one C pass, then
    # summed over those few: 100,000 items a build.
    by_kind = {kind: {"total": 0, "open": 0} for kind in KINDS}
    by_priority, by_severity, by_status = Counter(), Counter(), Counter()
    opened = 0
    for (kind, status, priority, severity), count in Counter(map(_facets, items)).items():
        by_status[status] += count
        is_open = status not in CLOSED
        opened += count if is_open else 0
        if kind in by_kind:
            by_kind[kind]["total"] += count
            by_kind[kind]["open"] += count if is_open else 0
        if is_open:
            by_priority[priority or UNSET] += count
        if is_open and severity:
            by_severity[severity] += count
    return {
        "items": len(items),
        "open": opened,
        "by_kind": by_kind,
        "open_by_priority": {p: by_priority[p] for p in (*PRIORITIES, UNSET)},
        "open_by_severity": {s: by_severity[s] for s in SEVERITIES},
        "by_status": dict(sorted(by_status.items())),
    }


def _checklists(snapshot: Snapshot) -> list[dict]:
    return [{"path": doc.path, "title": doc.title, "page": urls.document(doc.slug),
             "done": doc.done, "total": doc.total,
             "phases": [{"label": p.label, "done": p.done, "total": p.total} for p in doc.phases]}
            for doc in snapshot.documents]


def _item(item: Item) -> dict:
    # A dict display, its keys in the order `sort_keys` gives (a test holds it
    # to Item's fields): the whole list is then encoded in one call, without
    # sorting each; 0.3 s less for 100,000 items than dict(zip(keys, values)).
    return {"category": item.category, "id": item.id, "kind": item.kind, "line": item.line, "open": item.is_open,
            "owner": item.owner, "path": item.path, "priority": item.priority, "rule": item.rule,
            "severity": item.severity, "source": item.source, "status": item.status, "title": item.title}


def _head(snapshot: Snapshot) -> dict:
    """Everything data/health.json holds but its items."""
    return {
        "schema": SCHEMA,
        "generator": {"name": "sitegen", "version": __version__},
        "revision": snapshot.revision,
        "generated": snapshot.generated,
        "totals": _totals(snapshot.items),
        "checklists": _checklists(snapshot),
    }


# ASCII: item text may hold lone surrogates (undecodable bytes of a source
# file), which only an escape keeps valid JSON.
_ITEM_LIST = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True)
_ITEMS = "\0items\0"
_ITEM_START = '{"category":'
"""How every item's object begins. A string never holds an unescaped `"`,
so `},` followed by this is always the boundary of two items."""


PER_CHUNK = 2_000
"""Items encoded at a time: their objects, made for the encoder, never all
exist at once (100,000 items' took 150 MiB, three times the file)."""


def _item_lines(items: list[Item], per_chunk: int) -> list[str]:
    """The items' objects, a line each, in chunks of lines (without the
    separator after a chunk's last): each chunk encoded in one call and then
    cut into lines, 0.5 s for 100,000 items where an encoding per item took
    1.0 s."""
    return [_ITEM_LIST.encode([_item(item) for item in items[start:start + per_chunk]])[1:-1]
            .replace("}," + _ITEM_START, "},\n  " + _ITEM_START)
            for start in range(0, len(items), per_chunk)]


def write(snapshot: Snapshot) -> str:
    """Indented, but an item a line: with `indent`, json encodes in Python,
    4.3 s for 100,000 items against 0.75 s so (and 30 MB against 24)."""
    head = json.dumps({**_head(snapshot), "items": _ITEMS}, sort_keys=True, indent=1, ensure_ascii=True)
    # The last one: only checklists' titles, which sort before "items", are text from the tree.
    before, _, after = head.rpartition(json.dumps(_ITEMS))
    chunks = _item_lines(snapshot.items, PER_CHUNK)
    if not chunks:
        return before + "[]" + after + "\n"
    # One join: each + of the file's text would copy all of it.
    return "".join([before, "[\n  ", *_separated(chunks, ",\n  "), "\n ]", after, "\n"])


def _separated(pieces: list[str], separator: str) -> list[str]:
    return [part for piece in pieces for part in (separator, piece)][1:]
