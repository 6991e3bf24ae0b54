"""Markdown task checklists (TODO.md, TASKS.md, ROADMAP.md …) → Checklist.

Reads the section tree (mdtree) of markdown-it-py's block tokens (CommonMark,
with HTML blocks on so that comments are recognised); simple_blocks makes the
same tree faster for the documents most task lists are. A task is a list
item — bulleted or ordered, at any depth, inside a blockquote or not — whose
first paragraph starts with `[ ]`, `[x]` or `[X]`. Code blocks, HTML comments and paragraphs
outside list items never produce tasks. Everything else in a list is kept as a
note of its task or section, so nothing in the document is lost.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from sitegen import yamlio
from sitegen.collectors import blocks, headings, inline_meta, mdtree, simple_blocks
from sitegen.collectors.checklist_files import document_jobs
from sitegen.errors import Notice
from sitegen.files import NotRead, why_not_read
from sitegen.ids import SlugSet, normalised, stable_id
from sitegen.model import Checklist, Note, Section, Task
from sitegen.textio import read_text
from sitegen.walk import Listing, WalkSummary

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@functools.cache
def _markdown() -> MarkdownIt:
    """The parser, made on first use: most checklists never need it (simple_blocks),
    and importing markdown-it-py costs 50 ms of every start."""
    from markdown_it import MarkdownIt

    # Inline parsing is skipped: inline tokens keep their source text in `content`,
    # which is all the reader needs, and it halves the parse time.
    return blocks.bounded(MarkdownIt("commonmark", {"html": True}).disable(["inline", "text_join"]))


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
MAX_FRONT_MATTER = 64 * 1024
"""Front matter longer than this (in characters) is not read (PyYAML's
Python parser takes about 4 s a megabyte): ignored, with a warning."""
# A front matter title is used only when it is one of these (never a list or
# mapping, which could be a "billion laughs" of aliases).
_SCALARS = (str, int, float, datetime.date)


def split_front_matter(text: str) -> tuple[dict, str, str | None]:
    """(front matter mapping, text with the front matter blanked out, problem).

    The front matter's lines are replaced by empty lines so that every line
    number after it stays right.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, None
    body = "\n" * match.group().count("\n") + text[match.end():]
    if len(match.group(1)) > MAX_FRONT_MATTER:
        return {}, body, f"front matter is longer than {MAX_FRONT_MATTER // 1024} KiB; ignored"
    try:
        data = yamlio.load_untrusted(match.group(1))
    except yaml.YAMLError as exc:
        return {}, body, f"front matter is not valid YAML ({yamlio.problem(exc)}); ignored"
    if data is not None and not isinstance(data, dict):
        return {}, body, "front matter is not a mapping of keys; ignored"
    return data or {}, body, None


class _Reader:
    """Reads one document's section tree (see mdtree) into sections, tasks and notes."""

    def __init__(self, path: str):
        self.path = path
        self.sections: list[Section] = []
        self.open_headings: list[Section] = []
        self.anchors = SlugSet()
        self.notices: list[Notice] = []
        self.first_h1: str | None = None
        self.declared = None

    # -- sections ---------------------------------------------------------
    def section(self) -> Section:
        if not self.sections:  # content before the first heading
            self._add_section(Section(title="", level=0, line=1, anchor=self.anchors.claim("top")))
        return self.sections[-1]

    def _add_section(self, section: Section) -> None:
        while self.open_headings and self.open_headings[-1].level >= section.level:
            self.open_headings.pop()
        parent = self.open_headings[-1] if self.open_headings else None
        section.path = [*(parent.path if parent else []), section.label]
        section.priority = section.priority or (parent.priority if parent else None)
        self.sections.append(section)
        self.open_headings.append(section)

    def heading(self, heading: mdtree.Heading) -> None:
        level, line, text = heading.level, heading.line, heading.text
        info = headings.analyse(text)
        if level == 1 and self.first_h1 is None:
            self.first_h1 = text.strip()
        section = Section(
            title=info.title, level=level, line=line, anchor="", heading=text.strip(),
            phase=info.phase, phase_kind=info.phase_kind, priority=info.priority,
            declared=info.declared,
        )
        section.anchor = self.anchors.claim(section.label, "section")
        if info.warning:
            section.warnings.append(info.warning)
            self.notices.append(Notice(info.warning, self.path, line))
        self._add_section(section)

    # -- blocks -----------------------------------------------------------------
    def read(self, section: mdtree.Section) -> None:
        """`section`, then the sections below it, in the document's order."""
        if section.heading is not None:
            self.heading(section.heading)
        self.blocks(section.blocks, None, False)
        for below in section.sections:
            self.read(below)

    def blocks(self, blocks: list[mdtree.Block], owner: Task | None, in_item: bool) -> None:
        """Read `blocks`, whose notes are `owner`'s (else the section's)."""
        for block in blocks:
            kind = type(block)
            if kind is mdtree.Paragraph:
                self.note(block.text, block.line, owner)
                if not in_item and self.declared is None:
                    self.declared, _ = headings.declared_status_in_prose(block.text)
            elif kind is mdtree.List:
                for item in block.items:
                    self.item(item, owner)
            elif kind is mdtree.Heading:
                self.heading(block)
            elif kind is mdtree.Quote:
                self.blocks(block.blocks, owner, in_item)
            elif kind is mdtree.TooDeep:
                self.too_deep(block, owner)

    def item(self, item: mdtree.Item, owner: Task | None) -> None:
        """A list item: a task if it has a checkbox (a sub-task of `owner`'s), else its blocks are notes."""
        blocks = item.blocks
        if item.checked is not None:
            at = next(at for at, block in enumerate(blocks) if type(block) is not mdtree.Heading)
            for heading in blocks[:at]:  # "- # Title" then "  [ ] task": a section, then its task
                self.heading(heading)
            task = _task(item.task, item.checked, blocks[at].line)
            (owner.children if owner else self.section().items).append(task)
            owner, blocks = task, blocks[at + 1:]
        self.blocks(blocks, owner, True)

    def note(self, text: str, line: int, owner: Task | None) -> None:
        (owner.notes if owner else self.section().notes).append(Note(text, line))

    def too_deep(self, block: mdtree.TooDeep, owner: Task | None) -> None:
        """The rest of a container nested deeper than blocks.MAX_LEVEL: a note."""
        self.note(block.text, block.first, owner)
        self.notices.append(Notice(blocks.too_deep_warning(block.first, block.last), self.path, block.first))


def _task(text: str, done: bool, line: int) -> Task:
    meta = inline_meta.parse(text)
    return Task(
        id="", text=text, done=done, line=line, priority=meta.priority, owners=meta.owners,
        tags=meta.tags, due=meta.due, files=meta.files, links=meta.links,
    )


def _assign_ids_and_priorities(checklist: Checklist) -> None:
    seen: Counter[str] = Counter()
    for section in checklist.sections:
        for item in section.items:
            _inherit_priority(item, section.priority)
        for task in section.tasks():
            key = normalised(task.text)
            task.id = stable_id("ck", checklist.path, key, seen[key])
            seen[key] += 1


def _inherit_priority(task: Task, inherited: str | None) -> None:
    task.priority = task.priority or inherited
    stack = [task]  # iterative: depth costs no recursion
    while stack:
        parent = stack.pop()
        for child in parent.children:
            child.priority = child.priority or parent.priority
            stack.append(child)


def _roll_up(checklist: Checklist) -> None:
    """Each section's counts include its sub-sections; the document's, all."""
    open_sections: list[Section] = []
    for section in checklist.sections:
        done = total = 0
        for task in section.tasks():
            total += 1
            done += task.done
        while open_sections and open_sections[-1].level >= section.level:
            open_sections.pop()
        open_sections.append(section)
        for counted in open_sections:
            counted.done += done
            counted.total += total
        checklist.done += done
        checklist.total += total


def parse_document(text: str, path: str, slug: str = "") -> tuple[Checklist, list[Notice]]:
    """One Markdown document → its Checklist and any notices about it."""
    front_matter, body, problem = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    reader = _Reader(path)
    if problem:
        reader.notices.append(Notice(problem, path, 1))
    tree = simple_blocks.section_tree(body)
    reader.read(tree if tree is not None else mdtree.section_tree(_markdown().parse(body)))
    title = front_matter.get("title")
    if title and not isinstance(title, _SCALARS):
        reader.notices.append(Notice("the front matter's title is not text; ignored", path, 1))
        title = None
    checklist = Checklist(
        path=path,
        slug=slug,
        title=str(title) if title else (reader.first_h1 or Path(path).name),
        declared=reader.declared,
        sections=reader.sections,
        warnings=[str(n) for n in reader.notices],
    )
    _assign_ids_and_priorities(checklist)
    _roll_up(checklist)
    return checklist, reader.notices


def read_document(rel: str, absolute: str, slug: str) -> tuple[Checklist, list[Notice]]:
    """Read and parse one document file (`rel` is its repo-relative path); a
    file that cannot be read gives an empty checklist that says why."""
    try:
        text, notice = read_text(absolute, rel)
    except (NotRead, OSError) as exc:
        problem = Notice(f"not read: {why_not_read(exc)}", rel)
        return Checklist(path=rel, slug=slug, title=Path(rel).name, warnings=[str(problem)]), [problem]
    checklist, notices = parse_document(text, rel, slug)
    if notice is not None:
        checklist.warnings.insert(0, str(notice))
        notices.insert(0, notice)
    return checklist, notices


def collect(tree: Listing, patterns: tuple[str, ...]) -> tuple[list[Checklist], list[Notice]]:
    """Every checklist document in `tree`, parsed in this process, sorted by path."""
    documents, notices = [], []
    walked = WalkSummary()
    for job in document_jobs(tree, patterns, walked):
        checklist, found = read_document(*job)
        documents.append(checklist)
        notices.extend(found)
    return documents, walked.notices + notices
