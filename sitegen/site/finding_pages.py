"""The findings page: every finding by severity, category and source."""

from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import dataclass

from sitegen.collectors.sarif import OUTSIDE
from sitegen.model import PRIORITIES, SEVERITIES, Finding
from sitegen.site.pages import Page
from sitegen.triage import Triage


@dataclass
class FindingView:
    finding: Finding
    priority: str
    status: str
    """The triage status if any, else the finding's own."""
    locations: list[tuple[str, str | None]]
    """(text as shown, repo path to link to, or None for a location outside the tree)."""
    criteria_done: int = 0


def _location(entry: str) -> tuple[str, str | None]:
    if entry.startswith(OUTSIDE):
        return entry, None
    path, _, line = entry.rpartition(":")
    path = path if path and line.isdigit() else entry
    normal = posixpath.normpath(path)
    if normal.startswith(("../", "/")) or normal in ("..", "."):  # content edited by hand
        return entry, None
    return entry, path


def finding_views(findings: list[Finding], triage: Triage) -> list[FindingView]:
    views = []
    for finding in findings:
        views.append(FindingView(
            finding=finding,
            priority=triage.priority(finding.id, finding.priority),
            status=triage.status(finding.id, finding.status),
            locations=[_location(f) for f in finding.files],
            criteria_done=sum(1 for _, done in finding.criteria if done),
        ))
    return views


def files_of(view: FindingView) -> list[tuple[str, int | None]]:
    """(repo path, line or None) of each location inside the tree."""
    out = []
    for shown, path in view.locations:
        if path is not None:
            line = shown.rpartition(":")[2]
            out.append((path, int(line) if shown != path and line.isdigit() else None))
    return out


def findings_pages(views: list[FindingView], documents: list[dict] = ()) -> list[Page]:
    ordered = sorted(views, key=lambda v: (v.priority, SEVERITIES.index(v.finding.severity), v.finding.source))
    sources = sorted({v.finding.source for v in views} | {d["path"] for d in documents})
    categories = Counter(v.finding.category or "Uncategorised" for v in views).most_common()
    by_severity = [(s, [v for v in ordered if v.finding.severity == s]) for s in SEVERITIES]
    by_category = [(c, [v for v in ordered if (v.finding.category or "Uncategorised") == c]) for c, _ in categories]
    groups = [
        Page("findings/by-severity.html", "groups.html", {
            "kind": "findings", "noun": "Findings", "grouping": "severity",
            "groups": [(s, items) for s, items in by_severity if items],
        }),
        Page("findings/by-category.html", "groups.html",
             {"kind": "findings", "noun": "Findings", "grouping": "category", "groups": by_category}),
    ]
    return groups + [Page("findings/index.html", "findings/index.html", {
        "documents": {d["path"]: d for d in documents},
        "count": len(views),
        "open": sum(1 for v in views if v.status == "open"),
        "by_severity": [(s, sum(1 for v in views if v.finding.severity == s)) for s in SEVERITIES],
        "by_priority": [(p, sum(1 for v in views if v.priority == p)) for p in PRIORITIES],
        "by_category": categories,
        "sources": [(name, [v for v in ordered if v.finding.source == name]) for name in sources],
    })]
