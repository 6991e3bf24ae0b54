"""The site model: which pages exist, and the plain data each one shows.

Everything a template displays is computed here (counts, totals,
mismatches, effective priorities); templates only lay it out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sitegen.model import PRIORITIES, Checklist, Task
from sitegen.triage import Triage


@dataclass(frozen=True)
class Page:
    url: str
    """Path of the output file, relative to the site root (posix)."""
    template: str
    context: dict


@dataclass
class SiteData:
    """Everything the site shows, as read from content/ and triage.yaml."""

    title: str
    checklists: list[Checklist] = field(default_factory=list)
    triage: Triage = field(default_factory=Triage)
    warnings: list[str] = field(default_factory=list)


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
    entry = triage.get(task.id)
    return entry.priority if entry and entry.priority else task.priority


def totals(checklists: list[Checklist], triage: Triage) -> Totals:
    open_by: Counter[str] = Counter()
    for checklist in checklists:
        for task in checklist.tasks():
            if not task.done:
                open_by[effective_priority(task, triage) or "none"] += 1
    return Totals(
        documents=len(checklists),
        done=sum(c.done for c in checklists),
        total=sum(c.total for c in checklists),
        open_by_priority={p: open_by[p] for p in (*PRIORITIES, "none")},
    )


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


def document_page(checklist: Checklist, site: SiteData) -> Page:
    ids = {task.id for task in checklist.tasks()}
    return Page(
        url=f"checklists/{checklist.slug}/index.html",
        template="checklists/document.html",
        context={
            "doc": checklist,
            "phases": checklist.phases,
            "mismatches": section_mismatches(checklist),
            "doc_mismatch": document_mismatch(checklist),
            "triage": {i: e for i, e in site.triage.entries.items() if i in ids},
            "priority_of": {t.id: effective_priority(t, site.triage) for t in checklist.tasks()},
        },
    )


def site_pages(site: SiteData) -> list[Page]:
    overall = totals(site.checklists, site.triage)
    mismatched = {
        c.slug: len(section_mismatches(c)) + (document_mismatch(c) is not None)
        for c in site.checklists
    }
    pages = [
        Page("index.html", "index.html", {
            "totals": overall, "documents": site.checklists, "warnings": site.warnings,
        }),
        Page("checklists/index.html", "checklists/index.html", {
            "totals": overall, "documents": site.checklists, "mismatched": mismatched,
        }),
    ]
    pages += [document_page(c, site) for c in site.checklists]
    return pages
