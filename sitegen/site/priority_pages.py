"""The priority table: every open item of every kind, P1 → P4."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.site import urls
from sitegen.site.pagespec import PageSpec
from sitegen.site.views import DocumentSummary, FindingView, TodoView
from sitegen.triage import CLOSED

KIND_ORDER = {"Finding": 0, "TODO": 1, "Task": 2}


@dataclass(frozen=True)
class Row:
    priority: str
    kind: str
    title: str
    """Markdown for tasks (rendered with the md filter), plain text otherwise."""
    location: str
    href: str
    """Site-relative link to the item's permalink."""
    source: str
    from_tool: bool = False
    """Static-analysis output, listed after hand-written findings of the same priority."""


def rows(documents: list[DocumentSummary], todo_views: list[TodoView], finding_views: list[FindingView]) -> list[Row]:
    out = [
        Row(priority, "Task", text, f"{doc.path}:{line}", f"{urls.document(doc.slug)}#{task_id}", doc.title)
        for doc in documents for priority, task_id, text, line in doc.open_tasks
    ]
    out += [
        Row(v.priority, "TODO", v.todo.text, f"{v.todo.file}:{v.todo.line}",
            f"{urls.file_href(v.todo.file)}#{v.todo.id}", v.todo.tag)
        for v in todo_views if v.status not in CLOSED
    ]
    for v in finding_views:
        if v.status in CLOSED:
            continue
        first = next((location for location in v.locations if location.inside_root), None)
        href = f"{urls.file_href(first.path)}#{v.finding.id}" if first else f"{urls.FINDINGS}#{v.finding.id}"
        location = first.text if first else (v.locations[0].text if v.locations else "")
        out.append(Row(v.priority, "Finding", v.finding.title, location, href, v.finding.source, not v.hand_written))
    return sorted(out, key=lambda r: (r.priority, KIND_ORDER[r.kind], r.from_tool, r.location, r.title))


def priority_page(documents: list[DocumentSummary], todo_views: list[TodoView],
                  finding_views: list[FindingView]) -> PageSpec:
    table = rows(documents, todo_views, finding_views)
    counts = {p: sum(1 for r in table if r.priority == p) for p in ("P1", "P2", "P3", "P4")}
    unprioritised = sum(d.open_by_priority.get("none", 0) for d in documents)
    return PageSpec(urls.PRIORITIES, "priorities/index.html",
                {"rows": table, "counts": counts, "unprioritised_tasks": unprioritised})
