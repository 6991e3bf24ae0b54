"""What the pages show of each collected item, built once per build: triage is
applied here and nowhere else, and finding locations are parsed here once.

A checklist document reaches this step as its *outline* (a plain record of
its counts, phases and tasks, without triage), not as its task tree: the
pages that span documents need no more, and an unchanged document's outline
comes from the cache without its Markdown or content being read again. Its
own page is made from its content chunk by whichever process renders it.
"""

from __future__ import annotations

import functools
import posixpath
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from operator import attrgetter, itemgetter
from urllib.parse import quote

from sitegen import content
from sitegen.carried import Carried, by_identity, reuse, reuse_each
from sitegen.model import OUTSIDE, PRIORITIES, Checklist, DeclaredStatus, Finding, Task, Todo, TriageEntry
from sitegen.site import document_parts, urls
from sitegen.site.document_parts import Part, Shown
from sitegen.triage import Triage

UNSET = "none"


# --- checklist documents ------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PhaseSummary:
    label: str
    """"Phase 1 · Critical fixes"."""
    anchor: str
    done: int
    total: int
    part: int = 1
    """The part of the document's page that holds its heading."""


_first = itemgetter(0)

TaskRecord = tuple[str, bool, "str | None", str, int]
"""(id, done, priority as written, text, line) of one task."""


@dataclass(frozen=True)
class Outline:
    """What the pages that span documents need of one checklist document, no
    triage applied; kept in the cache as a plain record (marshal)."""

    path: str
    slug: str
    title: str
    done: int
    total: int
    declared: DeclaredStatus | None
    warnings: tuple[str, ...]
    phases: tuple[PhaseSummary, ...]
    mismatches: int
    tasks: tuple[TaskRecord, ...] = field(repr=False)
    """Not in the repr: pages' input hashes take the counts made from them."""
    parts: tuple[Part, ...] = field(default=(), repr=False)
    """Not in the repr (the pages that span documents do not show it).
    Where each part of the document's page begins, when it has more than one (document_parts)."""
    task_ids: tuple[str, ...] = field(init=False, repr=False, compare=False)
    """The tasks' ids (derived; not in the record)."""

    def __post_init__(self):
        object.__setattr__(self, "task_ids", tuple(map(_first, self.tasks)))

    @classmethod
    def of(cls, checklist: Checklist) -> Outline:
        parts = document_parts.layout(checklist)
        heading_parts = [part.sections for part in parts]
        return cls(
            path=checklist.path, slug=checklist.slug, title=checklist.title,
            done=checklist.done, total=checklist.total, declared=checklist.declared,
            warnings=tuple(checklist.warnings),
            phases=tuple(PhaseSummary(s.label, s.anchor, s.done, s.total,
                                      document_parts.part_number(heading_parts, n) if parts else 1)
                         for n, s in enumerate(checklist.sections) if s.phase is not None),
            mismatches=len(section_mismatches(checklist)) + (document_mismatch(checklist) is not None),
            tasks=tuple((t.id, t.done, t.priority, t.text, t.line) for t in checklist.tasks()),
            parts=parts,
        )

    def task_href(self, task_id: str) -> str:
        """The link to a task of this document: its anchor on the part that holds it."""
        number = self._task_parts.get(task_id, 1) if self.parts else 1
        return urls.item(self._part_pages[number - 1], task_id)

    def task_hrefs(self) -> list[str]:
        """`task_href` of every task, in order (the search data's 100,000 links, 0.1 s less)."""
        prefixes = [urls.item(page, "") for page in self._part_pages]
        if not self.parts:
            return [prefixes[0] + task_id for task_id in self.task_ids]
        parts = self._task_parts
        return [prefixes[parts.get(task_id, 1) - 1] + task_id for task_id in self.task_ids]

    @functools.cached_property
    def _part_pages(self) -> list[str]:
        # Made once: the search and list data ask for 100,000 tasks' links.
        return [urls.document_part(self.slug, number) for number in range(1, max(len(self.parts), 1) + 1)]

    @functools.cached_property
    def _task_parts(self) -> dict[str, int]:
        starts = [part.tasks for part in self.parts]
        return {task_id: document_parts.part_number(starts, n) for n, task_id in enumerate(self.task_ids)}

    def record(self) -> list:
        return [self.path, self.slug, self.title, self.done, self.total, content.declared_record(self.declared),
                list(self.warnings), [[p.label, p.anchor, p.done, p.total, p.part] for p in self.phases],
                self.mismatches, [list(column) for column in zip(*self.tasks)],
                [[part.sections, part.tasks, part.digest] for part in self.parts]]

    @classmethod
    def from_record(cls, record: list) -> Outline:
        """The outline a `record` holds; ValueError if it has another shape
        (a damaged cache must not reach the pages)."""
        try:
            path, slug, title, done, total, declared, warnings, phases, mismatches, columns, parts = record
            tasks = _tasks_of_columns(columns)
            phases = tuple(PhaseSummary(*phase) for phase in phases)
            parts = tuple(document_parts.Part(*part) for part in parts)
        except TypeError as exc:
            raise ValueError(str(exc)) from None
        texts = (path, slug, title, *warnings, *(p.label for p in phases), *(p.anchor for p in phases),
                 *(part.digest for part in parts))
        counts = (done, total, mismatches, *(p.done for p in phases), *(p.total for p in phases),
                  *(p.part for p in phases), *(part.sections for part in parts), *(part.tasks for part in parts))
        if not (_types(texts) <= {str} and _types(counts) <= {int}):
            raise ValueError("an outline of another shape")
        return cls(path, slug, title, done, total, content.declared_from_record(declared), tuple(warnings),
                   phases, mismatches, tasks, parts)


def _types(values) -> set[type]:
    return set(map(type, values))


def _tasks_of_columns(columns: list[list]) -> tuple[TaskRecord, ...]:
    """The tasks an outline record holds a field at a time (`record`): a
    fifth of the objects to read from the cache, and each field's type
    checked without a Python call per task (100,000 tasks a build). ValueError
    if they are not TaskRecords."""
    if columns == []:
        return ()
    if not (isinstance(columns, list) and all(type(column) is list for column in columns)):
        raise ValueError("tasks of another shape")
    ids, done, priorities, texts, lines = columns
    if not (len(ids) == len(done) == len(priorities) == len(texts) == len(lines) > 0
            and _types(ids) <= {str} and _types(done) <= {bool} and _types(priorities) <= {str, type(None)}
            and _types(texts) <= {str} and _types(lines) <= {int}):
        raise ValueError("tasks of another shape")
    return tuple(zip(ids, done, priorities, texts, lines))


@dataclass(frozen=True)
class DocumentSummary(Outline):
    """An outline with triage applied: what the cross-document pages show of one document."""

    open_by_priority: Counter[str] = field(default_factory=Counter)
    """Open tasks by priority (triage's, else their own; "none" for none)."""
    open_tasks: list[tuple[str, str, str, int]] = field(default_factory=list)
    """(priority, id, text, line) of each open task that has a priority and
    that triage has not closed (the priority table's rows)."""


_OUTLINE_FIELDS = [f.name for f in fields(Outline) if f.init]


def document_summary(outline: Outline, triage: Triage) -> DocumentSummary:
    """A document's summary, with triage applied (comprehensions rather than
    a loop: 100,000 tasks pass here in every build)."""
    overrides, closed = triage.priorities, triage.closed
    open_tasks = [task for task in outline.tasks if not task[1]]
    priorities = [overrides.get(t[0], t[2]) for t in open_tasks] if overrides else [t[2] for t in open_tasks]
    return DocumentSummary(
        **{name: getattr(outline, name) for name in _OUTLINE_FIELDS},
        open_by_priority=Counter([p or UNSET for p in priorities]),
        open_tasks=[(p, t[0], t[3], t[4]) for p, t in zip(priorities, open_tasks) if p and t[0] not in closed],
    )


def document_summaries(outlines: list[Outline], triage: Triage, carried: Carried | None = None) -> list[DocumentSummary]:
    """Each document's summary; `carried`: see carried.reuse_each, a summary
    is made from its outline and what triage says of its tasks' priorities
    and closes."""
    entries, priorities, closed = triage.entries, triage.priorities, triage.closed

    def made_from(outline: Outline) -> tuple:
        return tuple((i, priorities.get(i), i in closed) for i in outline.task_ids if i in entries) if entries else ()

    return reuse_each(carried, "document_summaries", outlines, made_from,
                      lambda outline: document_summary(outline, triage), context=entries)


@dataclass(slots=True)
class TaskView:
    """A checklist task as its document's page shows it, triage applied."""

    task: Task
    priority: str | None
    """Triage's, else the task's own."""
    triage: TriageEntry | None
    children: list[TaskView]
    seen: str | None = None
    """When it was first seen (content/history.yaml)."""
    continued: bool = False
    """It begins on an earlier part of the page, which holds its anchor: shown for its nested tasks."""


def task_views(shown: list[Shown], triage: Triage, seen: dict[str, str]) -> list[TaskView]:
    """The tasks a document's page (or one part of it) shows, triage applied
    and each with when it was first seen (`seen`)."""
    entries, overrides = triage.entries, triage.priorities
    return [TaskView(view.task, overrides.get(view.task.id, view.task.priority), entries.get(view.task.id),
                     task_views(view.children, triage, seen), seen.get(view.task.id), view.continued)
            for view in shown]


def section_mismatches(checklist: Checklist) -> dict[str, str]:
    """Section anchor → how its declared status disagrees with the count."""
    found = {}
    for section in checklist.sections:
        if section.declared and (problem := section.declared.mismatch(section.done, section.total)):
            found[section.anchor] = problem
    return found


def document_mismatch(checklist: Checklist) -> str | None:
    if checklist.declared is None:
        return None
    return checklist.declared.mismatch(checklist.done, checklist.total)


# --- TODO comments --------------------------------------------------------------------

@dataclass
class TodoView:
    """A Todo as shown: its effective priority and triage."""

    todo: Todo
    priority: str
    status: str | None = None
    owner: str | None = None
    notes: str | None = None
    source: str | None = None
    """Link to the line in the hosted repository, when `source_url` is set."""
    context_html: str = ""
    changed: str | None = None
    """The day its line was last changed, by git blame (todos.blame)."""
    changed_by: str | None = None
    page: str | None = None
    """The part of its file's page that holds it, when that page is split
    into parts and it is not on the first (`placed`)."""

    @property
    def href(self) -> str:
        """The link to its anchor on its file's page (site-relative)."""
        return urls.item(self.page or urls.file_page(self.todo.file), self.todo.id)

    @functools.cached_property
    def shown_chars(self) -> int:
        """The characters a list's row shows (what paging weighs it by; kept,
        as views are never changed in place: every save weighs every view)."""
        todo = self.todo
        return (len(todo.text) + 2 * len(todo.file) + sum(map(len, todo.refs)) + len(todo.author or "")
                + len(self.owner or "") + len(self.source or ""))


def todo_views(todos: list[Todo], triage: Triage, source_url: str, revision: str | None,
               blame: dict[str, tuple[str, str]] | None = None,
               carried: Carried | None = None) -> list[TodoView]:
    """`carried`: see carried.reuse_each; a view is made from its Todo, triage
    entry, blame and the source link."""
    blame = blame or {}

    def view(todo: Todo) -> TodoView:
        entry = triage.get(todo.id)
        changed, changed_by = blame.get(todo.id, (None, None))
        return TodoView(
            todo=todo,
            priority=triage.priority(todo.id, todo.priority),
            status=triage.status(todo.id),
            owner=entry.owner if entry else None,
            notes=entry.notes if entry else None,
            source=source_url.format(revision=revision or "HEAD", path=quote(todo.file), line=todo.line)
            if source_url else None,
            changed=changed, changed_by=changed_by,
        )

    return reuse_each(carried, "todo_views", todos,
                      lambda todo: (triage.get(todo.id), blame.get(todo.id), source_url, revision), view,
                      context=(triage.entries, blame, source_url, revision))


# --- findings ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Location:
    """Where a finding is, as its content file states it ("path:line", "path"
    or "(outside the tree) …")."""

    text: str
    """As shown."""
    path: str | None
    """The repo path its file's page is made for; None outside the tree."""
    line: int | None = None
    page: str | None = None
    """The part of the file's page that shows the finding, when that page is
    split into parts and it is not the first (`placed`)."""

    @property
    def inside_root(self) -> bool:
        return self.path is not None

    @classmethod
    def parse(cls, entry: str) -> Location:
        if entry.startswith(OUTSIDE):
            return cls(entry, None)
        path, _, line = entry.rpartition(":")
        numbered = bool(path) and line.isdigit()
        path = path if numbered else entry
        normal = posixpath.normpath(path)
        if normal.startswith(("../", "/")) or normal in ("..", "."):  # content edited by hand
            return cls(entry, None)
        return cls(entry, path, int(line) if numbered else None)


@dataclass
class FindingView:
    finding: Finding
    priority: str
    status: str
    """The triage status if any, else the finding's own."""
    locations: list[Location] = field(default_factory=list)
    criteria_done: int = 0
    hand_written: bool = False
    """From a Markdown report (listed before tool output at equal priority)."""
    owner: str | None = None
    """Triage's."""

    def href_at(self, location: Location) -> str:
        """The link to this finding on the page of `location`'s file (inside the tree)."""
        return urls.item(location.page or urls.file_page(location.path), self.finding.id)

    @functools.cached_property
    def shown_chars(self) -> int:
        """The characters a list's row shows (what paging weighs it by; kept, as a TodoView's is)."""
        finding = self.finding
        return (len(finding.title) + len(finding.detail) + len(finding.help_url or "") + len(finding.rule or "")
                + sum(len(name) + len(value) for name, value in finding.fields.items())
                + sum(len(text) for text, _ in finding.criteria) + sum(map(len, finding.also))
                + 2 * sum(len(location.text) for location in self.locations)
                + 40 * (len(finding.criteria) + len(finding.fields) + len(self.locations)))  # their markup


def finding_views(findings: list[Finding], triage: Triage, reports: frozenset[str] = frozenset(),
                  carried: Carried | None = None) -> list[FindingView]:
    """`reports`: the paths of the Markdown reports (the other findings are
    tools'); `carried`: see carried.reuse_each (findings are read again only
    when a report or tool output changed)."""

    def view(finding: Finding) -> FindingView:
        entry = triage.get(finding.id)
        return FindingView(
            finding=finding,
            priority=triage.priority(finding.id, finding.priority),
            status=triage.status(finding.id, finding.status),
            locations=[Location.parse(f) for f in finding.files],
            criteria_done=sum(1 for _, done in finding.criteria if done),
            hand_written=finding.source in reports,
            owner=entry.owner if entry else None,
        )

    return reuse_each(carried, "finding_views", findings,
                      lambda finding: (triage.get(finding.id), finding.source in reports), view,
                      context=(triage.entries, reports))


def priority_counts(views: Iterable) -> dict[str, int]:
    """How many of `views` (findings') have each priority, in PRIORITIES'
    order, counted in one pass in C. (The TODOs' are kept by the TODO list's
    order, todo_pages.TodoOrder, which a save patches.)"""
    counted = Counter(map(attrgetter("priority"), views))
    return {p: counted[p] for p in PRIORITIES}


# --- everything a build shows -------------------------------------------------------------

@dataclass
class Views:
    documents: list[DocumentSummary]
    todos: list[TodoView]
    todo_meta: dict
    findings: list[FindingView]
    report_documents: list[dict]
    tool_summary: dict
    warnings: list[str]

    @functools.cached_property
    def todos_by_id(self) -> dict[int, TodoView]:
        """The TODOs' views by_identity (what tells the views a save changed),
        made once for the file pages and the TODO list."""
        return by_identity(self.todos)


@dataclass(frozen=True)
class Totals:
    documents: int
    done: int
    total: int
    open_by_priority: dict[str, int]

    @property
    def open(self) -> int:
        return self.total - self.done


def totals(documents: list[DocumentSummary]) -> Totals:
    open_by: Counter[str] = Counter()
    for doc in documents:
        open_by.update(doc.open_by_priority)
    return Totals(
        documents=len(documents),
        done=sum(d.done for d in documents),
        total=sum(d.total for d in documents),
        open_by_priority={p: open_by[p] for p in (*PRIORITIES, UNSET)},
    )


def placed(views: Views, pages: dict) -> Views:
    """`views` whose TODOs and findings know which part of their file's page
    holds them; `pages`: TODO id, or (path, finding id), → that part's URL,
    for the items of split pages that are not on the first part
    (todo_pages.file_pages). Items elsewhere are the same objects."""
    if not pages:
        return views
    todos = [replace(v, page=pages[v.todo.id]) if v.todo.id in pages else v for v in views.todos]
    findings = []
    for v in views.findings:
        moved = [replace(location, page=pages[(location.path, v.finding.id)])
                 if (location.path, v.finding.id) in pages else location for location in v.locations]
        findings.append(replace(v, locations=moved) if moved != v.locations else v)
    return replace(views, todos=todos, findings=findings)


def make_views(outlines: list[Outline], todos: list[Todo], todo_meta: dict, findings: list[Finding],
               report_documents: list[dict], tool_summary: dict, warnings: list[str], triage: Triage,
               source_url: str, carried: Carried | None = None) -> Views:
    """Every item as the pages show it, triage applied; with `carried`, the
    views of an earlier build that are the same are taken (todo_views,
    finding_views)."""
    return Views(
        documents=document_summaries(outlines, triage, carried),
        # the whole list kept while its TODOs are the same objects (a save of a document)
        todos=reuse(carried, "todo_view_list", (list(todos), triage.entries, source_url, todo_meta.get("revision"),
                                            todo_meta.get("blame")),
                    lambda: todo_views(todos, triage, source_url, todo_meta.get("revision"), todo_meta.get("blame"),
                                       carried)),
        todo_meta=todo_meta,
        findings=finding_views(findings, triage, frozenset(d["path"] for d in report_documents), carried),
        report_documents=report_documents,
        tool_summary=tool_summary,
        warnings=warnings,
    )
