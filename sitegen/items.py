"""Every item of every kind (checklist task, TODO comment, finding) as one flat
record with triage applied: what the quality gate, history and exports
count and compare, across kinds, by the items' stable ids."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sitegen.site.views import Views
from sitegen.triage import CLOSED, Triage

KINDS = ("task", "todo", "finding")
SETTLED = CLOSED | {"accepted"}
"""Statuses under which an item no longer counts against the gate: closed, or
accepted (a risk or debt the team has decided to keep)."""


@dataclass(slots=True)  # not frozen: a frozen dataclass takes five times as long to make (100,000 tasks a build)
class Item:
    kind: str
    """One of KINDS."""
    id: str
    priority: str | None
    """Triage's, else the item's own; None for a task without one."""
    status: str
    """Triage's, else the item's own: a task's "done" or "open", a finding's as
    its report or tool gives it, "open" for a TODO."""
    title: str
    path: str | None
    """The repo path it is in or about (a task's document); None outside the tree."""
    line: int | None
    source: str
    """The document, tool or (for a TODO) tag it comes from."""
    severity: str | None = None
    """A finding's."""
    category: str | None = None
    owner: str | None = None
    rule: str | None = None
    """A finding's rule as its tool names it ("S101"); None for other kinds
    (a TODO's tag is its `source`)."""

    @property
    def place(self) -> str:
        """"path:line", the path alone, or "" outside the tree."""
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED

    @property
    def counts(self) -> bool:
        """Whether the gate counts it: open, and not accepted by triage."""
        return self.status not in SETTLED


def _tasks(views: Views, triage: Triage) -> Iterable[Item]:
    entries = triage.entries
    for doc in views.documents:
        path = doc.path
        for task_id, done, own_priority, text, line in doc.tasks:
            entry = entries.get(task_id) if entries else None
            status = "done" if done else "open"
            if entry is None:  # most tasks: no triage to look up
                yield Item("task", task_id, own_priority, status, text, path, line, path)
                continue
            yield Item("task", task_id, entry.priority or own_priority, entry.status or status, text, path, line,
                       path, category=entry.category, owner=entry.owner)


def _todos(views: Views) -> Iterable[Item]:
    for view in views.todos:
        todo = view.todo
        yield Item("todo", todo.id, view.priority, view.status or "open", todo.text.split("\n", 1)[0],
                   todo.file, todo.line, todo.tag, category=todo.category, owner=view.owner or todo.author)


def _findings(views: Views) -> Iterable[Item]:
    for view in views.findings:
        finding = view.finding
        place = next((location for location in view.locations if location.inside_root), None)
        yield Item("finding", finding.id, view.priority, view.status, finding.title,
                   place.path if place else None, place.line if place else None, finding.source,
                   severity=finding.severity, category=finding.category, owner=view.owner, rule=finding.rule)


def items_of(views: Views, triage: Triage) -> list[Item]:
    """Every item of `views`, tasks first (in document order), then TODOs, then findings."""
    return [*_tasks(views, triage), *_todos(views), *_findings(views)]
