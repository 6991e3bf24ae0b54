"""The findings page: every finding by severity, category and source."""

from __future__ import annotations

from collections import Counter

from sitegen.model import PRIORITIES, SEVERITIES
from sitegen.site import urls
from sitegen.site.paging import paged_groups
from sitegen.site.pagespec import PageSpec
from sitegen.site.views import FindingView


def _order(view: FindingView) -> tuple:
    """Most urgent first; at equal priority and severity, hand-written reports before tool output."""
    return view.priority, SEVERITIES.index(view.finding.severity), not view.hand_written, view.finding.source


def _by_rule(views: list[FindingView]) -> list[tuple[str, list[FindingView]]]:
    """One tool's findings grouped by rule: the group holding the most urgent
    finding first, then the larger group."""
    groups: dict[str, list[FindingView]] = {}
    for view in views:  # already in _order
        groups.setdefault(view.finding.rule or "", []).append(view)
    return sorted(groups.items(), key=lambda group: (_order(group[1][0])[:2], -len(group[1]), group[0]))


def findings_pages(views: list[FindingView], documents: list[dict] = (), tools: dict | None = None) -> list[PageSpec]:
    """`tools`: how many static-analysis results were read, left out and merged (content's `tools`)."""
    tools = tools or {}
    ordered = sorted(views, key=_order)
    by_source: dict[str, list[FindingView]] = {}
    for view in ordered:
        by_source.setdefault(view.finding.source, []).append(view)
    reports = sorted(d["path"] for d in documents)  # a hand-written finding's source is its report's path
    tool_names = sorted(by_source.keys() - set(reports))
    categories = Counter(v.finding.category or "Uncategorised" for v in views).most_common()
    by_severity = [(s, [v for v in ordered if v.finding.severity == s]) for s in SEVERITIES]
    by_category = [(c, [v for v in ordered if (v.finding.category or "Uncategorised") == c]) for c, _ in categories]
    about = {"kind": "findings", "noun": "Findings"}
    groups = [
        *paged_groups(urls.FINDINGS_BY_SEVERITY, "groups.html", about,
                      [(s, items) for s, items in by_severity if items], "severity"),
        *paged_groups(urls.FINDINGS_BY_CATEGORY, "groups.html", about, by_category, "category"),
    ]
    return groups + [PageSpec(urls.FINDINGS, "findings/index.html", {
        "documents": {d["path"]: d for d in documents},
        "count": len(views),
        "open": sum(1 for v in views if v.status == "open"),
        "by_severity": [(s, sum(1 for v in views if v.finding.severity == s)) for s in SEVERITIES],
        "by_priority": [(p, sum(1 for v in views if v.priority == p)) for p in PRIORITIES],
        "by_category": categories,
        "reports": [(name, by_source.get(name, [])) for name in reports],
        "tools": [(name, len(by_source[name]), _by_rule(by_source[name])) for name in tool_names],
        "tools_read": tools.get("read", 0),
        "tools_merged": tools.get("merged", 0),
        "excluded": tools.get("excluded", []),
        "excluded_total": sum(count for _, count in tools.get("excluded", [])),
    })]
