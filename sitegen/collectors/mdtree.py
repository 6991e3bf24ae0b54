"""A Markdown document as a tree of sections and blocks, made from its block tokens.

The checklist reader and the report reader both read this tree, not the
token stream: a section is a heading with the blocks under it (up to the next
heading) and the sections below it; a block is a paragraph, a list (its items
each hold blocks of their own), a quote, a table, a code or HTML block, a
thematic break, a heading inside a list or quote, or the text of a container
nested too deep (see blocks.TOO_DEEP). Walking a section's heading, then its
blocks, then its sections, meets everything in the document's order.

The tokens are markdown-it-py's, or simple_blocks' for the simplest documents;
only their type, tag, nesting, `map` (first line) and inline `content` are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

from sitegen.collectors.blocks import TOO_DEEP

# A task's checkbox at the start of its item's first paragraph.
_CHECKBOX = re.compile(r"^\[([ xX])\](?:[ \t]+|$)")


@dataclass(slots=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass(slots=True)
class Paragraph:
    text: str
    line: int


@dataclass(slots=True)
class Item:
    line: int
    blocks: list[Block] = field(default_factory=list)
    checked: bool | None = None
    """Whether its checkbox is ticked; None when it has none: its first block
    (headings aside) is not a paragraph that starts with "[ ]", "[x]" or "[X]"."""
    task: str = ""
    """That paragraph's text after the checkbox."""


@dataclass(slots=True)
class List:
    ordered: bool
    line: int
    items: list[Item] = field(default_factory=list)


@dataclass(slots=True)
class Quote:
    line: int
    blocks: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class Row:
    cells: list[str]
    line: int


@dataclass(slots=True)
class Table:
    line: int
    header: Row | None = None
    rows: list[Row] = field(default_factory=list)


@dataclass(slots=True)
class Code:
    """A fenced or indented code block, or an HTML block."""

    kind: str
    """markdown-it's name for it: "fence", "code_block" or "html_block"."""
    text: str
    line: int


@dataclass(slots=True)
class Rule:
    line: int


@dataclass(slots=True)
class TooDeep:
    """The rest of a container nested deeper than blocks.MAX_LEVEL, as text."""

    text: str
    first: int
    last: int


Block = Union[Heading, Paragraph, List, Quote, Table, Code, Rule, TooDeep]


@dataclass(slots=True)
class Section:
    heading: Heading | None
    """None for the document's start, before its first heading."""
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    @property
    def level(self) -> int:
        return self.heading.level if self.heading else 0


class Builder:
    """Puts blocks in their places: a heading outside every list and quote opens
    a section (below the open one of a lower level); any other block goes
    into the innermost open section, list, item or quote."""

    __slots__ = ("root", "sections", "blocks", "outer")

    def __init__(self) -> None:
        self.root = Section(None)
        self.sections = [self.root]  # the open sections, each below the one before
        self.blocks: list = self.root.blocks  # where the next block goes
        self.outer: list[list] = []  # the block lists of the containers around it

    def heading(self, heading: Heading) -> None:
        if self.outer:  # in a list or a quote: a block there
            self.blocks.append(heading)
            return
        sections = self.sections
        while sections[-1].level >= heading.level:
            sections.pop()
        section = Section(heading)
        sections[-1].sections.append(section)
        sections.append(section)
        self.blocks = section.blocks

    def open(self, container: List | Item | Quote) -> None:
        """Add `container`; the blocks that follow go into it until `close`."""
        self.blocks.append(container)
        self.outer.append(self.blocks)
        self.blocks = container.items if type(container) is List else container.blocks

    def close(self) -> None:
        self.blocks = self.outer.pop()

    def close_item(self) -> None:
        """Close the item being read; its checkbox is now known."""
        blocks = self.blocks
        self.blocks = self.outer.pop()
        item = self.blocks[-1]
        first = next((block for block in blocks if type(block) is not Heading), None)
        if type(first) is Paragraph and (box := _CHECKBOX.match(first.text)):
            item.checked, item.task = box.group(1) != " ", first.text[box.end():]


_LISTS = {"bullet_list_open": False, "ordered_list_open": True}
_CODE = ("fence", "code_block", "html_block")


def section_tree(tokens) -> Section:
    """The document the block `tokens` make, as its first section (the text
    before any heading) holding the sections of its top-level headings."""
    tree = Builder()
    index, end = 0, len(tokens)
    while index < end:
        token = tokens[index]
        kind = token.type
        if kind == "paragraph_open":
            tree.blocks.append(Paragraph(tokens[index + 1].content, token.map[0] + 1))
            index += 3
            continue
        if kind == "heading_open":
            tree.heading(Heading(int(token.tag[1]), tokens[index + 1].content, token.map[0] + 1))
            index += 3
            continue
        if kind == "list_item_open":
            tree.open(Item(token.map[0] + 1))
        elif kind == "list_item_close":
            tree.close_item()
        elif kind in _LISTS:
            tree.open(List(_LISTS[kind], token.map[0] + 1))
        elif kind == "blockquote_open":
            tree.open(Quote(token.map[0] + 1))
        elif kind in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            tree.close()
        elif kind == "table_open":
            table, index = _table(tokens, index)
            tree.blocks.append(table)
        elif kind in _CODE:
            tree.blocks.append(Code(kind, token.content, token.map[0] + 1))
        elif kind == "hr":
            tree.blocks.append(Rule(token.map[0] + 1))
        elif kind == TOO_DEEP:
            tree.blocks.append(TooDeep(token.content, token.map[0] + 1, token.map[1]))
        index += 1
    return tree.root


def _table(tokens, index: int) -> tuple[Table, int]:
    """The table whose `table_open` is at `index`, and the index of its `table_close`."""
    table = Table(tokens[index].map[0] + 1)
    row: Row | None = None
    header = False
    while True:
        index += 1
        token = tokens[index]
        kind = token.type
        if kind == "table_close":
            return table, index
        if kind == "tr_open":
            row, header = Row([], token.map[0] + 1), False
        elif kind in ("th_open", "td_open"):
            row.cells.append(tokens[index + 1].content.strip())
            header = header or kind == "th_open"
        elif kind == "tr_close":
            if header:
                table.header = row
            else:
                table.rows.append(row)
