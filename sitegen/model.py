"""The data model: plain dataclasses, no I/O, no HTML.

Priorities are normalised to "P1" (critical) … "P4" (low) across all kinds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

PRIORITIES = ("P1", "P2", "P3", "P4")


def record(item, omit: tuple[str, ...] = ()) -> dict:
    """A model object's fields as a plain dict, in declaration order: the order
    content files and caches store them in."""
    return {f.name: getattr(item, f.name) for f in fields(item) if f.name not in omit}


@dataclass(slots=True)
class Note:
    """Text kept from a document that is not a task: a plain bullet or a paragraph."""

    text: str
    line: int


@dataclass(slots=True)
class Task:
    id: str
    text: str
    """The item's Markdown as written, without its checkbox."""
    done: bool
    line: int
    priority: str | None = None
    owners: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    due: str | None = None
    files: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    children: list[Task] = field(default_factory=list)

    def walk(self):
        """This task and every task nested below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(slots=True)
class DeclaredStatus:
    """What a heading or the document claims about its own progress."""

    text: str
    """The claim as written, e.g. "✅ COMPLETED", "(12/20)", "Completed: 12"."""
    complete: bool = False
    done: int | None = None
    total: int | None = None

    def mismatch(self, done: int, total: int) -> str | None:
        """How the claim disagrees with the counted progress, or None."""
        problems = []
        if self.complete and done != total:
            problems.append(f"declared complete but {total - done} of {total} open")
        if self.done is not None and self.done != done:
            problems.append(f"declares {self.done} done, counted {done}")
        if self.total is not None and self.total != total:
            problems.append(f"declares {self.total} in total, counted {total}")
        return "; ".join(problems) or None


@dataclass(slots=True)
class Section:
    title: str
    level: int
    """Heading level 1–6; 0 for content before the first heading."""
    line: int
    anchor: str
    heading: str = ""
    """The heading text as written (may differ from `title` for messy headings)."""
    phase: str | None = None
    """The phase number as written ("1", "0.5", "1.0"), when the heading names a phase."""
    phase_kind: str | None = None
    """"Phase", "Stage", "Milestone" or "Version"."""
    priority: str | None = None
    """The priority this heading sets (or inherits) for its items."""
    path: list[str] = field(default_factory=list)
    """Titles of the enclosing headings, outermost first, ending with this one."""
    declared: DeclaredStatus | None = None
    done: int = 0
    total: int = 0
    """Counts of tasks at any depth, sub-sections included."""
    items: list[Task] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def tasks(self):
        for item in self.items:
            yield from item.walk()

    @property
    def label(self) -> str:
        """"Phase 1 · Critical fixes" for a phase, else the title."""
        if self.phase is None:
            return self.title
        name = f"{self.phase_kind} {self.phase}"
        return f"{name} · {self.title}" if self.title else name


@dataclass(slots=True)
class Checklist:
    path: str
    """Repo-relative, with forward slashes."""
    slug: str
    title: str
    done: int = 0
    total: int = 0
    declared: DeclaredStatus | None = None
    sections: list[Section] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def tasks(self):
        for section in self.sections:
            yield from section.tasks()

    @property
    def phases(self) -> list[Section]:
        return [s for s in self.sections if s.phase is not None]


@dataclass(slots=True)
class TriageEntry:
    """A hand-written override for one item, from content/triage.yaml."""

    priority: str | None = None
    category: str | None = None
    owner: str | None = None
    status: str | None = None
    notes: str | None = None
    issue: str | None = None


@dataclass(slots=True)
class Todo:
    """One marker comment (TODO, FIXME, …) in the source tree."""

    id: str
    tag: str
    text: str
    """The marker's text; continuation lines are kept on lines of their own."""
    file: str
    line: int
    priority: str
    category: str
    author: str | None = None
    refs: list[str] = field(default_factory=list)
    context_start: int = 1
    """Line number of the first line of `context`."""
    context: list[str] = field(default_factory=list)
    """A few source lines around the marker, so pages render without the tree."""


SEVERITIES = ("critical", "high", "medium", "low", "info")
OUTSIDE = "(outside the tree) "
"""How a finding's `files` entry starts when it names a place outside the tree."""


@dataclass(slots=True)
class Finding:
    """One result of a static-analysis tool or a readiness/audit document."""

    id: str
    priority: str
    severity: str
    title: str
    status: str
    """"open" or "resolved"."""
    files: list[str]
    """Repo-relative paths, "path:line" where a line is known."""
    source: str
    """The tool's name, or the document's path."""
    rule: str | None = None
    category: str | None = None
    detail: str = ""
    help_url: str | None = None
    line: int | None = None
    """Where the finding stands in its source document (Markdown reports)."""
    fields: dict[str, str] = field(default_factory=dict)
    """Labelled details of a report's finding block: Impact, Labels, Estimated Effort…"""
    criteria: list[list] = field(default_factory=list)
    """Acceptance criteria as [text, done] pairs."""
    also: list[str] = field(default_factory=list)
    """The same problem as other tools report it ("ruff S101"), folded into this one."""
