"""The priority table: every open item of every kind, P1 → P4."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.site.pages import DocumentSummary, Page, document_url
from sitegen.site.todo_pages import file_page_href
from sitegen.triage import Triage

CLOSED = {"done", "wontfix", "resolved"}
"""Triage statuses that close an item, and a finding's own "resolved"."""
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


def rows(documents: list[DocumentSummary], todo_views, finding_views, triage: Triage) -> list[Row]:
    # The views already carry the triage status; tasks come from summaries, so ask triage.
    out = [
        Row(priority, "Task", text, f"{doc.path}:{line}", f"{document_url(doc.slug)}#{task_id}", doc.title)
        for doc in documents for priority, task_id, text, line in doc.open_tasks
        if triage.status(task_id) not in CLOSED
    ]
    out += [
        Row(v.priority, "TODO", v.todo.text, f"{v.todo.file}:{v.todo.line}",
            f"{file_page_href(v.todo.file)}#{v.todo.id}", v.todo.tag)
        for v in todo_views if v.status not in CLOSED
    ]
    for v in finding_views:
        if v.status in CLOSED:
            continue
        first = next(((shown, path) for shown, path in v.locations if path), None)
        href = f"{file_page_href(first[1])}#{v.finding.id}" if first else f"findings/index.html#{v.finding.id}"
        location = first[0] if first else (v.locations[0][0] if v.locations else "")
        out.append(Row(v.priority, "Finding", v.finding.title, location, href, v.finding.source))
    return sorted(out, key=lambda r: (r.priority, KIND_ORDER[r.kind], r.location, r.title))


def priority_page(documents, todo_views, finding_views, triage: Triage) -> Page:
    table = rows(documents, todo_views, finding_views, triage)
    counts = {p: sum(1 for r in table if r.priority == p) for p in ("P1", "P2", "P3", "P4")}
    unprioritised = sum(d.open_by_priority.get("none", 0) for d in documents)
    return Page("priorities/index.html", "priorities/index.html",
                {"rows": table, "counts": counts, "unprioritised_tasks": unprioritised})
