"""The findings page: every finding by severity, category and source."""

from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import dataclass
from operator import attrgetter

from sitegen.ids import SlugSet
from sitegen.model import SEVERITIES
from sitegen.site import urls
from sitegen.site.paging import ROW_BYTES, marked_by, paged_groups
from sitegen.site.pagespec import PageSpec
from sitegen.site.views import FindingView, priority_counts


_ENDS = marked_by(attrgetter("finding.id"))
"""Where a page of a list of findings may end (paging)."""


def _order(view: FindingView) -> tuple:
    """Most urgent first; at equal priority and severity, hand-written reports before tool output."""
    return view.priority, SEVERITIES.index(view.finding.severity), not view.hand_written, view.finding.source


def ordered_findings(views: list[FindingView]) -> list[FindingView]:
    return sorted(views, key=_order)


def _by_rule(views: list[FindingView]) -> list[tuple[str, list[FindingView]]]:
    """One tool's findings grouped by rule: the group holding the most urgent
    finding first, then the larger group."""
    groups: dict[str, list[FindingView]] = {}
    for view in views:  # already in _order
        groups.setdefault(view.finding.rule or "", []).append(view)
    return sorted(groups.items(), key=lambda group: (_order(group[1][0])[:2], -len(group[1]), group[0]))


@dataclass(frozen=True)
class ToolSummary:
    """What the findings page shows of one tool: its rules, each linked to
    where its findings start on the tool's own pages."""

    name: str
    count: int
    href: str
    """The tool's first page, relative to the findings folder."""
    rules: list[tuple[str, int, list[str], str]]
    """(rule, findings, their severities, href) of each rule, in _by_rule's order."""


def _tool_pages(tool_names: list[str], by_source: dict[str, list[FindingView]]) -> tuple[list[PageSpec],
                                                                                        list[ToolSummary]]:
    """Each tool's findings grouped by rule, on pages of their own (paged: a
    linter run on a large tree reports tens of thousands)."""
    pages, summaries, slugs = [], [], SlugSet()
    for name in tool_names:
        rule_groups = _by_rule(by_source[name])
        slug = slugs.claim(name, "tool")
        url = urls.tool_findings(slug)
        tool_pages = paged_groups(url, "findings/tool.html", {"tool": name, "count": len(by_source[name]),
                                                              "list": urls.tool_list(slug)}, rule_groups, "rule",
                                  ends=_ENDS, sized=True)  # (a rule's parts are open while it has 20 findings or fewer)
        hrefs = [href for _, _, href in tool_pages[0].inputs["index"]]
        rules = [(rule, len(items), list(dict.fromkeys(v.finding.severity for v in items)), href)
                 for (rule, items), href in zip(rule_groups, hrefs)]
        summaries.append(ToolSummary(name, len(by_source[name]), posixpath.basename(url), rules))
        pages += tool_pages
    return pages, summaries


def findings_pages(views: list[FindingView], documents: list[dict] = (), tools: dict | None = None) -> list[PageSpec]:
    """`tools`: how many static-analysis results were read, left out and merged (content's `tools`)."""
    tools = tools or {}
    ordered = ordered_findings(views)
    by_source: dict[str, list[FindingView]] = {}
    for view in ordered:
        by_source.setdefault(view.finding.source, []).append(view)
    reports = sorted(d["path"] for d in documents)  # a hand-written finding's source is its report's path
    tool_names = sorted(by_source.keys() - set(reports))
    categories = Counter(v.finding.category or "Uncategorised" for v in views).most_common()
    by_severity = [(s, [v for v in ordered if v.finding.severity == s]) for s in SEVERITIES]
    by_category = [(c, [v for v in ordered if (v.finding.category or "Uncategorised") == c]) for c, _ in categories]
    tool_pages, tool_summaries = _tool_pages(tool_names, by_source)
    about = {"kind": "findings", "noun": "Findings"}
    groups = [
        *paged_groups(urls.FINDINGS_BY_SEVERITY, "groups.html", about,
                      [(s, items) for s, items in by_severity if items], "severity", ends=_ENDS),
        *paged_groups(urls.FINDINGS_BY_CATEGORY, "groups.html", about, by_category, "category", ends=_ENDS),
    ]
    report_groups = [(name, by_source.get(name, [])) for name in reports]
    shown = {d["path"]: with_notes_shown(d) for d in documents}
    return groups + tool_pages + paged_groups(urls.FINDINGS, "findings/index.html", {"documents": shown},
                                              report_groups, "source", ends=_ENDS, first={
        "count": len(views),
        "open": sum(1 for v in views if v.status == "open"),
        "by_severity": [(s, sum(1 for v in views if v.finding.severity == s)) for s in SEVERITIES],
        "by_priority": list(priority_counts(views).items()),
        "by_category": categories,
        "tools": tool_summaries,
        "tools_read": tools.get("read", 0),
        "tools_merged": tools.get("merged", 0),
        "excluded": tools.get("excluded", []),
        "excluded_total": sum(count for _, count in tools.get("excluded", [])),
    }, header=lambda path: _extras_bytes(shown[path]) if path in shown else 0)


NOTES_SHOWN = 100_000
"""Characters of a report's other passages (its notes: what is not a finding)
the findings page shows with the report; a long prose document read as a
report made that page as large as the document (4.6 MB for a 4.3 MB one)."""


def with_notes_shown(document: dict) -> dict:
    """The report's summary with its first notes, up to NOTES_SHOWN characters
    (at least one); `notes_total`: how many it has, when they are not all shown."""
    notes, chars = [], 0
    for note in document["notes"]:
        chars += len(note["text"])
        if notes and chars > NOTES_SHOWN:
            return {**document, "notes": notes, "notes_total": len(document["notes"])}
        notes.append(note)
    return {**document, "notes_total": None}


def _extras_bytes(document: dict) -> int:
    """An upper estimate of the HTML a report's summary adds above its findings."""
    texts = [note["text"] for note in document["notes"]] + [check["text"] for check in document["tracker"]]
    return ROW_BYTES + sum(ROW_BYTES + 2 * len(text) for text in texts)


def tool_lists(pages: list[PageSpec]) -> dict[str, list[FindingView]]:
    """Each tool's list name → its findings in the order its pages show them
    (by rule), which its data file holds (list_data.finding_list)."""
    lists: dict[str, list[FindingView]] = {}
    for page in pages:
        if page.template == "findings/tool.html":
            lists.setdefault(page.inputs["list"], []).extend(view for part in page.inputs["parts"]
                                                               for view in part.items)
    return lists


def listed_on(pages: list[PageSpec]) -> dict[str, str]:
    """Finding id → the URL of the page of its report's or tool's list that shows it."""
    return {view.finding.id: page.url for page in pages if page.template in ("findings/tool.html", "findings/index.html")
            for part in page.inputs["parts"] for view in part.items}
