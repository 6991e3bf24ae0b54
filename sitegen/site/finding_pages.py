"""The findings page: every finding by severity, category and source."""

from __future__ import annotations

from collections import Counter

from sitegen.model import PRIORITIES, SEVERITIES
from sitegen.site import urls
from sitegen.site.pagespec import PageSpec
from sitegen.site.views import FindingView


def findings_pages(views: list[FindingView], documents: list[dict] = ()) -> list[PageSpec]:
    ordered = sorted(views, key=lambda v: (v.priority, SEVERITIES.index(v.finding.severity), v.finding.source))
    sources = sorted({v.finding.source for v in views} | {d["path"] for d in documents})
    categories = Counter(v.finding.category or "Uncategorised" for v in views).most_common()
    by_severity = [(s, [v for v in ordered if v.finding.severity == s]) for s in SEVERITIES]
    by_category = [(c, [v for v in ordered if (v.finding.category or "Uncategorised") == c]) for c, _ in categories]
    groups = [
        PageSpec(urls.FINDINGS_BY_SEVERITY, "groups.html", {
            "kind": "findings", "noun": "Findings", "grouping": "severity",
            "groups": [(s, items) for s, items in by_severity if items],
        }),
        PageSpec(urls.FINDINGS_BY_CATEGORY, "groups.html",
             {"kind": "findings", "noun": "Findings", "grouping": "category", "groups": by_category}),
    ]
    return groups + [PageSpec(urls.FINDINGS, "findings/index.html", {
        "documents": {d["path"]: d for d in documents},
        "count": len(views),
        "open": sum(1 for v in views if v.status == "open"),
        "by_severity": [(s, sum(1 for v in views if v.finding.severity == s)) for s in SEVERITIES],
        "by_priority": [(p, sum(1 for v in views if v.priority == p)) for p in PRIORITIES],
        "by_category": categories,
        "sources": [(name, [v for v in ordered if v.finding.source == name]) for name in sources],
    })]
