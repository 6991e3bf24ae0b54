"""The priority table: every open item of every kind, P1 → P4."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from itertools import islice
from operator import attrgetter

from sitegen.carried import Carried, by_identity, reuse, reuse_each
from sitegen.model import PRIORITIES, TriageEntry
from sitegen.site import urls
from sitegen.site.ordered import Ordered, ordered, patched
from sitegen.site.paging import group_hrefs, marked_by, paged_groups
from sitegen.site.pagespec import PageSpec
from sitegen.site.views import DocumentSummary, FindingView, TodoView
from sitegen.triage import CLOSED, Triage

KIND_ORDER = {"Finding": 0, "TODO": 1, "Task": 2}


# Not frozen: a frozen dataclass is made 5x slower, and a build makes one per open item;
# weakly referable: site/rows.py keeps each row's HTML while the Row lives.
@dataclass(slots=True, weakref_slot=True)
class Row:
    priority: str
    kind: str
    title: str
    """Markdown for tasks (rendered with the md filter), plain text otherwise."""
    location: str
    href: str
    """Site-relative link to the item's permalink."""
    source: str
    item_id: str
    owner: str = ""
    """Triage's owner, else (for a TODO) the author its marker names."""
    status: str = "open"
    """Triage's status, else the item's own (a finding's) or "open"."""
    from_tool: bool = False
    """Static-analysis output, listed after hand-written findings of the same priority."""
    # Made once with the row (a session keeps the rows of unchanged items): each
    # build sorts and pages 10,000 rows at 100,000 files.
    shown_chars: int = field(init=False, repr=False, compare=False)
    """The characters the row shows (what paging weighs it by)."""
    order: tuple = field(init=False, repr=False, compare=False)
    """Where the row sorts in the table (see `rows`)."""

    def __post_init__(self) -> None:
        self.shown_chars = len(self.title) + len(self.location) + len(self.href) + len(self.source) + len(self.owner)
        self.order = (self.priority, KIND_ORDER[self.kind], self.from_tool, *_place(self.location), self.title)


def rows(documents: list[DocumentSummary], todo_views: list[TodoView], finding_views: list[FindingView],
         triage: Triage, listed_on: dict[str, str] | None = None, carried: Carried | None = None) -> Ordered[Row]:
    """Every open item that has a priority, P1 first; at one priority, findings, then
    TODOs, then tasks, and hand-written findings before tools' output; and
    the rows of each priority. A finding with no place in the tree links to
    the page that lists it (`listed_on`, by id; else the findings page). With
    `carried`, the rows of the documents, TODOs and findings that are the same
    objects as in an earlier build are kept, and the table before is patched
    for the others (Carried.priority_table)."""
    listed_on = listed_on or {}

    def tasks_triage(doc: DocumentSummary) -> tuple:
        return tuple(triage.get(task[1]) for task in doc.open_tasks) if triage.entries else ()

    out = [row for rows in reuse_each(carried, "task_rows", documents, tasks_triage,
                                      lambda doc: _task_rows(doc, triage), context=triage.entries)
           for row in rows]
    out += reuse(carried, "priority_rows", (todo_views, finding_views, listed_on),
                 lambda: _todo_and_finding_rows(todo_views, finding_views, listed_on, carried))
    by_id = by_identity(out)
    before = carried.priority_table if carried is not None else None
    found = patched(before, by_id, _ORDER, _BY_PRIORITY) if before is not None else None
    table = found[0] if found is not None else ordered(out, by_id, _ORDER, _BY_PRIORITY)
    if carried is not None:
        carried.priority_table = table
    return table


_ORDER = attrgetter("order")
_BY_PRIORITY = {"priority": attrgetter("priority")}


def _task_rows(doc: DocumentSummary, triage: Triage) -> list[Row]:
    return [Row(priority, "Task", text, f"{doc.path}:{line}", doc.task_href(task_id), doc.title,
                task_id, _owner(triage.get(task_id)), triage.status(task_id) or "open")
            for priority, task_id, text, line in doc.open_tasks]


def _todo_and_finding_rows(todo_views: list[TodoView], finding_views: list[FindingView],
                           listed_on: dict[str, str], carried: Carried | None = None) -> list[Row]:
    """The rows of the open TODOs and findings; with `carried`, a view that is
    the same object as in an earlier build keeps its row (the same object:
    site/rows.py keeps the HTML of each row while its object is the same)."""
    todo_rows = reuse_each(carried, "todo_rows", todo_views, _nothing_else, _todo_row, context=())
    finding_rows = reuse_each(carried, "finding_rows", finding_views, lambda v: listed_on.get(v.finding.id),
                              lambda v: _finding_row(v, listed_on), context=listed_on)
    return [row for row in todo_rows if row is not None] + [row for row in finding_rows if row is not None]


def _nothing_else(_) -> None:
    return None


def _todo_row(v: TodoView) -> Row | None:
    if v.status in CLOSED:
        return None
    return Row(v.priority, "TODO", v.todo.text, f"{v.todo.file}:{v.todo.line}", v.href, v.todo.tag, v.todo.id,
               v.owner or v.todo.author or "", v.status or "open")


def _finding_row(v: FindingView, listed_on: dict[str, str]) -> Row | None:
    if v.status in CLOSED:
        return None
    href, location = finding_href(v, listed_on)
    return Row(v.priority, "Finding", v.finding.title, location, href, v.finding.source, v.finding.id,
               v.owner or "", v.status or "open", not v.hand_written)


def _place(location: str) -> tuple[str, int]:
    """(path, line) of "path:line", so that line 9 sorts before line 10."""
    path, _, line = location.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (location, 0)


def finding_href(v: FindingView, listed_on: dict[str, str]) -> tuple[str, str]:
    """(the site-relative link to a finding, the location shown with it): its
    first place in the tree, on that file's page; else the page that lists it
    (`listed_on`, by id; else the findings page)."""
    first = next((location for location in v.locations if location.inside_root), None)
    location = first.text if first else (v.locations[0].text if v.locations else "")
    if first is not None:
        return v.href_at(first), location
    return urls.item(listed_on.get(v.finding.id, urls.FINDINGS), v.finding.id), location


def _owner(entry: TriageEntry | None) -> str:
    # Tasks reach this page as their documents' summaries, which the checklist index shares
    # (and does not show owners): their triage is read here, not in the summaries.
    return entry.owner or "" if entry else ""


FIRST = 10
"""Open P1 and P2 items the dashboard lists, in the priority table's order."""


def first_rows(table: list[Row]) -> list[Row]:
    """(P1 and P2 come first in the table: the first FIRST of them are the first rows looked at.)"""
    return list(islice((row for row in table if row.priority in ("P1", "P2")), FIRST))


def priority_pages(table: Ordered[Row], documents: list[DocumentSummary]) -> list[PageSpec]:
    """The priority table (`rows`), one section a priority (anchors #priority-1
    … #priority-4), over as many pages as its rows need."""
    sections = [(p, table.groups["priority"].get(p, [])) for p in PRIORITIES]
    # Counted on the first page only: a task without a priority, added or
    # ticked, then changes that page, not every page of the table.
    unprioritised = sum(d.open_by_priority.get("none", 0) for d in documents)
    return paged_groups(urls.PRIORITIES, "priorities/index.html", {}, sections, "priority",
                        first={"unprioritised_tasks": unprioritised, "total": len(table.rows)},
                        ends=marked_by(attrgetter("item_id")))


def section_hrefs(pages: list[PageSpec]) -> dict[str, str]:
    """Priority → the site-relative link to its section of the priority table."""
    folder = posixpath.dirname(urls.PRIORITIES)
    return {p: posixpath.join(folder, href) for p, href in group_hrefs(pages).items()}
