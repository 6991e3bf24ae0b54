"""The site model: which pages exist, and the plain data each one shows.

Everything a template displays is computed here (counts, totals, mismatches,
effective priorities); templates only lay it out. A document's own page is
made from its full Checklist; the pages that span documents (dashboard,
index) only need each document's DocumentSummary, so the full task trees
never have to be in one process at once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from sitegen.model import PRIORITIES, Checklist, DeclaredStatus, Section, Task
from sitegen.triage import Triage

UNSET = "none"


@dataclass(frozen=True)
class Page:
    url: str
    """Path of the output file, relative to the site root (posix)."""
    template: str
    context: dict


@dataclass
class DocumentSummary:
    """What the cross-document pages show of one checklist document."""

    path: str
    slug: str
    title: str
    done: int
    total: int
    declared: DeclaredStatus | None
    warnings: list[str]
    phases: list[Section]
    """The document's phase sections, without their items."""
    open_by_priority: Counter[str]
    mismatches: int
    task_ids: list[str]
    open_tasks: list[tuple[str, str, str, int]]
    """(priority, id, text, line) of each open task that has a priority."""


@dataclass(frozen=True)
class Totals:
    documents: int
    done: int
    total: int
    open_by_priority: dict[str, int]

    @property
    def open(self) -> int:
        return self.total - self.done


def effective_priority(task: Task, triage: Triage) -> str | None:
    return triage.priority(task.id, task.priority)


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


def summarize(checklist: Checklist, triage: Triage) -> DocumentSummary:
    open_by: Counter[str] = Counter()
    ids, open_tasks = [], []
    for task in checklist.tasks():
        ids.append(task.id)
        if not task.done:
            priority = effective_priority(task, triage)
            open_by[priority or UNSET] += 1
            if priority:
                open_tasks.append((priority, task.id, task.text, task.line))
    return DocumentSummary(
        path=checklist.path, slug=checklist.slug, title=checklist.title,
        done=checklist.done, total=checklist.total, declared=checklist.declared,
        warnings=checklist.warnings,
        phases=[replace(s, items=[], notes=[]) for s in checklist.phases],
        open_by_priority=open_by,
        mismatches=len(section_mismatches(checklist)) + (document_mismatch(checklist) is not None),
        task_ids=ids,
        open_tasks=open_tasks,
    )


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


def _title_section_anchor(checklist: Checklist) -> str | None:
    """The anchor of the section whose heading is the document's title (its
    first h1, usually), which the page shows once, as the page title."""
    first = checklist.sections[0] if checklist.sections else None
    if first is not None and first.level == 1 and first.heading == checklist.title:
        return first.anchor
    return None


def document_url(slug: str) -> str:
    return f"checklists/{slug}/index.html"


def document_page(checklist: Checklist, triage: Triage) -> Page:
    tasks = list(checklist.tasks())
    return Page(
        url=document_url(checklist.slug),
        template="checklists/document.html",
        context={
            "doc": checklist,
            "title_anchor": _title_section_anchor(checklist),
            "phases": checklist.phases,
            "mismatches": section_mismatches(checklist),
            "doc_mismatch": document_mismatch(checklist),
            "triage": {t.id: triage.entries[t.id] for t in tasks if t.id in triage.entries},
            "priority_of": {t.id: effective_priority(t, triage) for t in tasks},
        },
    )


@dataclass(frozen=True)
class TodoTotals:
    total: int
    by_priority: dict[str, int]
    hotspots: list[tuple[str, int]]
    """The files with the most TODOs, most first."""


def todo_totals(todo_views) -> TodoTotals:
    per_file = Counter(v.todo.file for v in todo_views)
    return TodoTotals(
        total=len(todo_views),
        by_priority={p: sum(1 for v in todo_views if v.priority == p) for p in PRIORITIES},
        hotspots=sorted(per_file.items(), key=lambda kv: (-kv[1], kv[0]))[:10],
    )


@dataclass(frozen=True)
class FindingTotals:
    open: int
    open_by_priority: dict[str, int]


def finding_totals(finding_views) -> FindingTotals:
    by_priority = {p: sum(1 for v in finding_views if v.priority == p and v.status == "open") for p in PRIORITIES}
    return FindingTotals(open=sum(by_priority.values()), open_by_priority=by_priority)


def overview_pages(documents: list[DocumentSummary], todo_views, warnings: list[str],
                   finding_views=()) -> list[Page]:
    overall = totals(documents)
    return [
        Page("index.html", "index.html", {
            "totals": overall, "documents": documents, "warnings": warnings,
            "todos": todo_totals(todo_views), "findings": finding_totals(finding_views),
        }),
        Page("checklists/index.html", "checklists/index.html", {
            "totals": overall, "documents": documents,
        }),
    ]
