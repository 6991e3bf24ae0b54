"""GitLab Code Quality: the JSON array of issues that a merge request's
Code Quality widget reads (`artifacts: reports: codequality:`), with the
fields GitLab documents: description, check_name, fingerprint, severity,
location.path and location.lines.begin.

The same items as SARIF (`rules.reported`): an issue must have a path, so
findings outside the tree are left out, as are checklist tasks."""

from __future__ import annotations

import json

from sitegen.export.rules import reported, rule_id
from sitegen.export.snapshot import Snapshot
from sitegen.items import Item

SEVERITIES = ("info", "minor", "major", "critical", "blocker")
"""GitLab's severities, least first."""
_OF_PRIORITY = {"P1": "critical", "P2": "major", "P3": "minor", "P4": "info"}
_OF_SEVERITY = {"critical": "critical", "high": "major", "medium": "minor", "low": "info", "info": "info"}


def severity(item: Item) -> str:
    """A finding's from its severity, a TODO's from its priority (as SARIF's level)."""
    if item.severity:
        return _OF_SEVERITY.get(item.severity, "minor")
    return _OF_PRIORITY.get(item.priority or "", "info")


def issue(item: Item) -> dict:
    return {
        "description": item.title.strip() or rule_id(item),
        "check_name": rule_id(item),
        "fingerprint": item.id,
        "severity": severity(item),
        "location": {"path": item.path, "lines": {"begin": item.line if item.line and item.line > 0 else 1}},
    }


def write(snapshot: Snapshot) -> str:
    return json.dumps([issue(item) for item in reported(snapshot.items)], sort_keys=True, indent=1,
                      ensure_ascii=True) + "\n"
