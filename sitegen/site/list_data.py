"""The data the browser's scripts read: each long list's rows (sorting and
filtering a list act on all its pages, not only the one shown) and every
item for the search box.

Each is a JavaScript file that assigns to `window.sitegenData` and is loaded
by a `<script src>` element the scripts insert when first needed: `fetch`
does not read files from `file://`, where a CI artifact is opened. The text
is JSON that is safe inside a script (ASCII only, so U+2028 and U+2029 are
escaped, and no "<") and deterministic (sorted keys, the lists' own order).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sitegen.site.priority_pages import Row, finding_href
from sitegen.site.views import DocumentSummary, FindingView, TodoView
from sitegen.triage import Triage


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: str = "text"
    """How the browser shows and sorts a cell: text (compared as text, numbers in it by value),
    priority (P1 first, none last), location ([text, href, file, line]), refs (a list), or the
    name of the class its value is shown with: badge-like `status`, `severity`, `tag`, `id`."""
    facet: bool = False
    """Offered as a filter by its values."""
    hidden: bool = False
    """Filtered on, not shown as a column."""


@dataclass(frozen=True)
class ListData:
    """One list's columns and rows (each row a list of cells, in `columns`' order)."""

    name: str
    columns: tuple[Column, ...]
    rows: list[list[Any]]

    def value(self) -> dict:
        return {"columns": [{key: value for key, value in vars(c).items() if value != DEFAULTS.get(key)}
                            for c in self.columns],
                "rows": self.rows}


DEFAULTS = {"type": "text", "facet": False, "hidden": False}
"""Left out of the data files, for size."""
PRIORITY = Column("priority", "Priority", "priority", facet=True)
STATUS = Column("status", "Status", "status", facet=True)
ID = Column("id", "Id", "id")


def _location(text: str, href: str) -> list:
    """A location cell: [text, href, path, line], the last two for sorting by line number."""
    path, _, line = text.rpartition(":")
    return [text, href, path, int(line)] if path and line.isdigit() else [text, href, text, 0]


def todo_list(items: list[TodoView]) -> ListData:
    """The TODO list, in the TODO pages' order (`items` is in it)."""
    columns = (PRIORITY, Column("tag", "Tag", "tag", facet=True), Column("category", "Category", facet=True),
               Column("location", "Location", "location"), Column("text", "Text"), Column("owner", "Owner"),
               STATUS, Column("refs", "Refs", "refs"), ID)
    rows = [[v.priority, v.todo.tag, v.todo.category,
             _location(f"{v.todo.file}:{v.todo.line}", v.href),
             v.todo.text, v.owner or v.todo.author or "", v.status or "open", list(v.todo.refs), v.todo.id]
            for v in items]
    return ListData("todos", columns, rows)


def priority_list(table: list[Row]) -> ListData:
    """The priority table: every open item of every kind."""
    columns = (PRIORITY, Column("kind", "Kind", facet=True), Column("title", "Item"),
               Column("location", "Location", "location"), Column("source", "Source"), Column("owner", "Owner"),
               STATUS, ID)
    rows = [[r.priority, r.kind, r.title, _location(r.location, r.href), r.source, r.owner, r.status, r.item_id]
            for r in table]
    return ListData("priorities", columns, rows)


def finding_list(views: list[FindingView], listed_on: dict[str, str], name: str = "findings",
                 by_source: bool = True) -> ListData:
    """Findings in their pages' order (`views` is in it): every finding, or
    (`name` a tool's list, `by_source` false) one tool's, whose source
    would be a filter of one value."""
    source = (Column("source", "Source", facet=True, hidden=True),) if by_source else ()
    columns = (PRIORITY, Column("severity", "Severity", "severity", facet=True), Column("rule", "Rule"),
               Column("title", "Finding"), Column("location", "Location", "location"), STATUS,
               Column("category", "Category", facet=True, hidden=True), *source, ID)
    rows = []
    for v in views:
        href, location = finding_href(v, listed_on)
        row = [v.priority, v.finding.severity, v.finding.rule or "", v.finding.title,
               _location(location, href), v.status, v.finding.category or "Uncategorised"]
        if by_source:
            row.append(v.finding.source)
        row.append(v.finding.id)
        rows.append(row)
    return ListData(name, columns, rows)


SEARCH_FIELDS = ("kind", "priority", "text", "location", "href", "tag", "category", "severity", "status", "id")
"""The fields of each search item, in order (items are lists, for size: 50,000 of them)."""


def search_items(documents: list[DocumentSummary], todos: list[TodoView], findings: list[FindingView],
                 triage: Triage, listed_on: dict[str, str]) -> dict:
    """Every item of every kind, open or not, for the search box: each with
    the link to its own place (a TODO's or finding's file page, a task's
    document page)."""
    items = [["TODO", v.priority, v.todo.text, f"{v.todo.file}:{v.todo.line}",
              v.href, v.todo.tag, v.todo.category, "",
              v.status or "open", v.todo.id] for v in todos]
    for v in findings:
        href, location = finding_href(v, listed_on)
        items.append(["Finding", v.priority, v.finding.title, location, href, v.finding.rule or "",
                      v.finding.category or "", v.finding.severity, v.status, v.finding.id])
    priorities, statuses = triage.priorities, triage.statuses  # dict lookups: 100,000 tasks
    for doc in documents:
        path, title = doc.path, doc.title
        items += [["Task", priorities.get(task_id, priority) or "", text, f"{path}:{line}", href, "", title, "",
                   statuses.get(task_id) or ("done" if done else "open"), task_id]
                  for (task_id, done, priority, text, line), href in zip(doc.tasks, doc.task_hrefs())]
    return {"fields": list(SEARCH_FIELDS), "items": items}


def script(name: str, value: Any) -> str:
    """A script (ASCII only) that puts `value` at `window.sitegenData[name]`."""
    text = json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")
    return (f"window.sitegenData=window.sitegenData||{{}};"
            f"window.sitegenData[{json.dumps(name)}]={text};\n")
