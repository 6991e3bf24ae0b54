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


_CONTAINERS = {"bullet_list_open": False, "ordered_list_open": True}
_CODE = ("fence", "code_block", "html_block")


def section_tree(tokens) -> Section:
    """The document the block `tokens` make, as its first section (the text
    before any heading) holding the sections of its top-level headings."""
    root = Section(None)
    sections = [root]  # the open sections, each below the one before
    blocks = root.blocks  # where the next block goes
    outer: list[list] = []  # the block lists of the containers around it
    index, end = 0, len(tokens)
    while index < end:
        token = tokens[index]
        kind = token.type
        if kind == "paragraph_open":
            blocks.append(Paragraph(tokens[index + 1].content, token.map[0] + 1))
            index += 3
            continue
        if kind == "heading_open":
            heading = Heading(int(token.tag[1]), tokens[index + 1].content, token.map[0] + 1)
            if outer:  # in a list or a quote: a block there
                blocks.append(heading)
            else:
                while sections[-1].level >= heading.level:
                    sections.pop()
                section = Section(heading)
                sections[-1].sections.append(section)
                sections.append(section)
                blocks = section.blocks
            index += 3
            continue
        if kind == "list_item_open":
            item = Item(token.map[0] + 1)
            blocks.append(item)
            outer.append(blocks)
            blocks = item.blocks
        elif kind == "list_item_close":
            _tick(blocks, outer[-1][-1])
            blocks = outer.pop()
        elif kind in _CONTAINERS:
            container = List(_CONTAINERS[kind], token.map[0] + 1)
            blocks.append(container)
            outer.append(blocks)
            blocks = container.items
        elif kind == "blockquote_open":
            quote = Quote(token.map[0] + 1)
            blocks.append(quote)
            outer.append(blocks)
            blocks = quote.blocks
        elif kind in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            blocks = outer.pop()
        elif kind == "table_open":
            table, index = _table(tokens, index)
            blocks.append(table)
        elif kind in _CODE:
            blocks.append(Code(kind, token.content, token.map[0] + 1))
        elif kind == "hr":
            blocks.append(Rule(token.map[0] + 1))
        elif kind == TOO_DEEP:
            blocks.append(TooDeep(token.content, token.map[0] + 1, token.map[1]))
        index += 1
    return root


def _tick(blocks: list[Block], item: Item) -> None:
    """Set `item`'s checkbox from its first block but headings (its `blocks`)."""
    first = next((block for block in blocks if type(block) is not Heading), None)
    if type(first) is Paragraph and (box := _CHECKBOX.match(first.text)):
        item.checked, item.task = box.group(1) != " ", first.text[box.end():]


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
