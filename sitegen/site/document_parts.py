"""A checklist document's page in parts: a TASKS.md of 30,000 tasks is not
one page of 15 MB but parts of at most `paging.PAGE_ROWS` rows and
`paging.PAGE_BYTES` bytes, cut as a list's pages are (`paging.chunks`).

A document's rows are its sections' headings (with their notes) and its
tasks, in document order, nested tasks included: a part may begin inside a
section or inside a nested list. The cut is made when the document is
collected (`layout`, kept in its outline), so that the page list knows each
part's URL, which part holds each task and section, and a digest of what
each part shows, without reading the document again: a part whose digest,
triage and pager are unchanged is not rendered again.

The first part keeps the page's URL and shows the document's summary
(progress, declared status, phases); the others show its title, the pager,
and their rows. A section or task whose start is on an earlier part is
shown again, without its anchor, as "continued", so every row keeps its
place in the document's outline.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from sitegen.model import Checklist, Section, Task
from sitegen.site.paging import chunks

SECTION_BYTES = 800
"""A section's heading without its text: its element, heading, permalink, progress bar."""
TASK_BYTES = 450
"""A task's item without its text: checkbox, badge, permalink, list markup."""
DETAIL_BYTES = 80
"""One detail of a task (an owner, a tag, a file, a link, a note) without its text."""


@dataclass(frozen=True)
class Part:
    """Where one part of a document's page begins: the sections whose
    headings and the tasks (by position in `Checklist.tasks()`) before it."""

    sections: int
    tasks: int
    digest: str
    """A hash of what the part shows besides triage and its pager."""


def _task_bytes(task: Task) -> int:
    details = (*task.owners, *task.tags, *task.files, *task.links, *(note.text for note in task.notes))
    return (TASK_BYTES + 2 * (len(task.text) + sum(map(len, details)) + len(task.due or ""))
            + DETAIL_BYTES * len(details))


def _section_bytes(section: Section) -> int:
    notes = [note.text for note in section.notes]
    texts = (section.title, section.heading, section.declared.text if section.declared else "", *section.warnings,
             *notes)
    return SECTION_BYTES + 2 * sum(map(len, texts)) + DETAIL_BYTES * len(notes)


def layout(checklist: Checklist) -> tuple[Part, ...]:
    """The parts of the document's page, when it needs more than one; else ()."""
    weights, starts = [], []
    tasks = 0
    for number, section in enumerate(checklist.sections):
        weights.append(_section_bytes(section))
        starts.append((number, tasks))
        for task in section.tasks():
            weights.append(_task_bytes(task))
            starts.append((number + 1, tasks))
            tasks += 1
    spans = chunks(weights, weigh=int)
    if len(spans) < 2:
        return ()
    bounds = [starts[start] if start < len(starts) else (len(checklist.sections), tasks) for start, _ in spans]
    ends = [*bounds[1:], (len(checklist.sections), tasks)]
    return tuple(Part(s, t, _digest(checklist, (s, t), end)) for (s, t), end in zip(bounds, ends))


def part_number(starts: Sequence[int], position: int) -> int:
    """The part (1-based) holding the section or task at `position`, given
    where each part's sections or tasks start."""
    return max(1, bisect_right(starts, position))


@dataclass(slots=True)
class Shown:
    """A task as one part shows it: `continued` when it begins on an earlier
    part (shown for its nested tasks, without its anchor)."""

    task: Task
    continued: bool
    children: list[Shown]


def shown_sections(checklist: Checklist, start: tuple[int, int],
                   end: tuple[int, int]) -> list[tuple[Section, list[Shown], bool]]:
    """(section, its tasks on the part, whether its heading is on an earlier
    part) of each section the part from `start` to `end` (sections, tasks
    before each) shows."""
    (first_section, first_task), (end_section, end_task) = start, end
    out, position = [], 0
    for number, section in enumerate(checklist.sections):
        if position >= end_task and number >= end_section:
            break
        heading_here = first_section <= number < end_section
        shown, position = _shown(section.items, position, first_task, end_task)
        if heading_here or shown:
            out.append((section, shown, not heading_here))
    return out


def _shown(tasks: list[Task], position: int, low: int, high: int) -> tuple[list[Shown], int]:
    """The tasks (from preorder `position`) whose own place or nested tasks
    are in [low, high); and the position after them all."""
    out = []
    for task in tasks:
        own = position
        if own >= high:  # the rest are after the part: their positions no longer matter
            return out, position
        children, position = _shown(task.children, position + 1, low, high) if task.children else ([], position + 1)
        if own >= low:
            out.append(Shown(task, False, children))
        elif children:
            out.append(Shown(task, True, children))
    return out, position


def _digest(checklist: Checklist, start: tuple[int, int], end: tuple[int, int]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((checklist.title, checklist.path, title_section(checklist))).encode("utf-8", "surrogatepass"))
    for section, shown, continued in shown_sections(checklist, start, end):
        fields = (section.title, section.level, section.line, section.anchor, section.heading, section.phase,
                  section.phase_kind, section.priority, section.declared, section.done, section.total,
                  section.warnings, section.notes, continued)
        digest.update(repr(fields).encode("utf-8", "surrogatepass"))
        _feed(digest, shown)
    return digest.hexdigest()


def _feed(digest, shown: list[Shown]) -> None:
    for view in shown:
        task = view.task
        digest.update(repr((task.id, task.text, task.done, task.line, task.priority, task.owners, task.tags,
                            task.due, task.files, task.links, task.notes, view.continued,
                            len(view.children))).encode("utf-8", "surrogatepass"))
        _feed(digest, view.children)


def title_section(checklist: Checklist) -> str | None:
    """The anchor of the section whose heading is the document's title (its
    first h1, usually), which the page shows once, as the page title."""
    first = checklist.sections[0] if checklist.sections else None
    if first is not None and first.level == 1 and first.heading == checklist.title:
        return first.anchor
    return None
