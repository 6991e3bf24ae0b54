"""SARIF 2.1.0: one run of the tool "sitegen", a result for each open TODO
and finding that has a place in the tree (see `rules.reported`), for GitHub
code scanning and any SARIF viewer.

Each result carries the item's stable id as a partial fingerprint, which
code scanning matches alerts by from one upload to the next; its severity
(findings) and priority go in its properties, where sitegen's own SARIF
reader takes the severity back."""

from __future__ import annotations

import json
from urllib.parse import quote

from sitegen import __version__
from sitegen.collectors.sarif import OWN_TOOL
from sitegen.export.rules import reported, rule_description, rule_id
from sitegen.export.snapshot import Snapshot
from sitegen.items import Item

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT = "sitegenItemId/v1"
SOURCE_ROOT = "%SRCROOT%"
_PRIORITY_LEVELS = {"P1": "error", "P2": "warning", "P3": "note", "P4": "note"}
_SEVERITY_LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


def level(item: Item) -> str:
    """A finding's by its severity (as the tool or report judged it), a
    TODO's by its priority (triage's, else its tag's)."""
    if item.severity:
        return _SEVERITY_LEVELS.get(item.severity, "warning")
    return _PRIORITY_LEVELS.get(item.priority or "", "note")


def _location(item: Item) -> dict:
    physical: dict = {"artifactLocation": {"uri": quote(item.path or ""), "uriBaseId": SOURCE_ROOT}}
    if item.line and item.line > 0:
        physical["region"] = {"startLine": item.line}
    return {"physicalLocation": physical}


def _properties(item: Item) -> dict:
    values = {"kind": item.kind, "priority": item.priority, "severity": item.severity,
              "status": item.status, "category": item.category, "owner": item.owner}
    return {name: value for name, value in values.items() if value is not None}


def _result(item: Item, rule_index: int) -> dict:
    return {
        "ruleId": rule_id(item),
        "ruleIndex": rule_index,
        "level": level(item),
        "message": {"text": item.title.strip() or rule_id(item)},
        "locations": [_location(item)],
        "partialFingerprints": {FINGERPRINT: item.id},
        "properties": _properties(item),
    }


def sarif_log(snapshot: Snapshot) -> dict:
    items = reported(snapshot.items)
    rules: dict[str, dict] = {}
    for item in items:
        rules.setdefault(rule_id(item), {"id": rule_id(item),
                                         "shortDescription": {"text": rule_description(item)}})
    index = {rule: number for number, rule in enumerate(rules)}
    run: dict = {
        "tool": {"driver": {"name": OWN_TOOL, "version": __version__, "rules": list(rules.values())}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(item, index[rule_id(item)]) for item in items],
    }
    if snapshot.revision:
        run["properties"] = {"revision": snapshot.revision}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def write(snapshot: Snapshot) -> str:
    return json.dumps(sarif_log(snapshot), sort_keys=True, indent=1, ensure_ascii=True) + "\n"
