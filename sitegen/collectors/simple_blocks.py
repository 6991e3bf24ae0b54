"""The section tree (see mdtree) of the simplest checklist documents, made
by a line scanner in a tenth of the time markdown-it-py takes.

Most task lists are only ATX headings, bullet items (with or without a
checkbox), plain paragraphs at the margin and thematic breaks. For such a
document `section_tree` returns the tree markdown-it-py's tokens make; for
anything else (a quote, an ordered list, HTML, a tab, an indent that is not
a nesting step …) it returns None and markdown-it-py parses the document.
HTML comments and fenced code at the margin are taken whole.
tests/test_simple_blocks.py checks the trees against those of markdown-it-py's
tokens on generated documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitegen.collectors.blocks import MAX_LEVEL
from sitegen.collectors.mdtree import Builder, Code, Heading, Item, List, Paragraph, Rule, Section

_HEADING = re.compile(r"(#{1,6}) +(\S(?:.*\S)?) *")
_ITEM = re.compile(r"( *)([-*+]) (\S.*)")
_BREAK = re.compile(r"(?:-{3,}|\*{3,}|_{3,}) *")
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)")
# How a paragraph or an item's text may begin without starting another kind of
# block: a checkbox, a link (a "[label]:" would be a link definition), a
# letter, a digit that is not an ordered-list number, bold or emphasis, a code
# span, or an opening parenthesis.
_PLAIN_START = re.compile(r"\[[ xX]\] \S|\[[^\]\\]*\](?!:)|[^\W\d_]|\d(?!\d*[.)])|\*\*?[^\W_]|`[^`]|\(")


@dataclass(slots=True)
class _OpenList:
    indent: int
    bullet: str


class _NotSimple(Exception):
    pass


class _Scanner:
    def __init__(self) -> None:
        self.tree = Builder()
        self.lists: list[_OpenList] = []
        self.paragraph: tuple[int, list[str]] | None = None  # (first line, lines) at the margin

    def end_paragraph(self) -> None:
        if self.paragraph is not None:
            first, lines = self.paragraph
            self.tree.blocks.append(Paragraph("\n".join(lines).strip(), first + 1))
            self.paragraph = None

    def close_lists(self, keep: int = 0) -> None:
        while len(self.lists) > keep:
            self.tree.close_item()
            self.tree.close()
            self.lists.pop()

    def list_at(self, indent: int) -> int | None:
        """The depth of the open list whose items start at `indent`, if any."""
        # Indents grow with depth, and an item most often continues the innermost list.
        for depth in range(len(self.lists) - 1, -1, -1):
            if self.lists[depth].indent <= indent:
                return depth if self.lists[depth].indent == indent else None
        return None

    def item(self, line: int, indent: int, bullet: str, text: str) -> None:
        if self.paragraph is not None and indent:
            raise _NotSimple  # an indented list interrupting a paragraph
        self.end_paragraph()
        sibling = self.list_at(indent)
        if sibling is not None:
            if self.lists[sibling].bullet != bullet:
                raise _NotSimple  # another bullet character starts another list
            self.close_lists(keep=sibling + 1)
            self.tree.close_item()
        elif indent == (self.lists[-1].indent + 2 if self.lists else 0):
            self.tree.open(List(False, line + 1))
            self.lists.append(_OpenList(indent, bullet))
        else:
            raise _NotSimple
        if 2 * len(self.lists) >= MAX_LEVEL:
            raise _NotSimple  # markdown-it's bounded parser keeps the rest as text
        self.tree.open(Item(line + 1))
        self.tree.blocks.append(Paragraph(text.strip(), line + 1))


def section_tree(text: str) -> Section | None:
    """The section tree of markdown-it-py's tokens for `text` (newlines already
    "\\n"), or None when the document holds anything but the simplest blocks."""
    if "\t" in text or "\0" in text:
        return None
    scanner = _Scanner()
    lines = text.split("\n")
    previous = "blank"  # what the line before was: blank, item, heading, break, text or block
    number = 0
    try:
        while number < len(lines):
            line = lines[number]
            if line.startswith(("<!--", "```", "~~~")):
                if previous == "item":
                    raise _NotSimple
                scanner.end_paragraph()  # both kinds interrupt a paragraph
                scanner.close_lists()
                number = _whole_block(scanner, lines, number)
                previous = "block"
            else:
                previous = _scan_line(scanner, number, line, previous)
            number += 1
    except _NotSimple:
        return None
    scanner.end_paragraph()
    scanner.close_lists()
    return scanner.tree.root


def _whole_block(scanner: _Scanner, lines: list[str], start: int) -> int:
    """Take an HTML comment or a fenced code block starting at line `start`;
    returns its last line."""
    opening = lines[start]
    if opening.startswith("<!--"):
        kind, first = "html_block", start
        last = next((n for n in range(start, len(lines)) if "-->" in lines[n]), len(lines) - 1)
        end = last + 1
    else:
        fence = _FENCE.fullmatch(opening)
        marker = fence.group(1)
        if marker[0] == "`" and "`" in fence.group(2):
            raise _NotSimple  # not a fence: a code span
        closing = re.compile(rf" {{0,3}}{re.escape(marker[0])}{{{len(marker)},}} *")
        kind, first = "fence", start + 1
        last = end = next((n for n in range(start + 1, len(lines)) if closing.fullmatch(lines[n])), len(lines))
        last = min(last, len(lines) - 1)
    # Its text as markdown-it keeps it: without the fences, nor a last line of spaces only
    # (or the empty one after the document's last newline), which markdown-it counts as none.
    end = min(end, len(lines) - (not lines[-1].strip(" ")))
    text = "".join(f"{line}\n" for line in lines[first:end])
    if end == len(lines):
        text = text[:-1]  # the document's last line, with no newline after it
    scanner.tree.blocks.append(Code(kind, text, start + 1))
    return last


def _scan_line(scanner: _Scanner, number: int, line: str, previous: str) -> str:
    if not line.strip(" "):
        scanner.end_paragraph()
        return "blank"
    if heading := _HEADING.fullmatch(line):
        if heading.group(2).endswith("#"):
            raise _NotSimple  # a closing sequence, or a word ending in "#"
        scanner.end_paragraph()
        scanner.close_lists()
        scanner.tree.heading(Heading(len(heading.group(1)), heading.group(2), number + 1))
        return "heading"
    if item := _ITEM.fullmatch(line):
        if not _PLAIN_START.match(item.group(3)):
            raise _NotSimple
        scanner.item(number, len(item.group(1)), item.group(2), item.group(3))
        return "item"
    if _BREAK.fullmatch(line) and previous == "blank":
        scanner.close_lists()
        scanner.tree.blocks.append(Rule(number + 1))
        return "break"
    if _PLAIN_START.match(line) and previous != "item":  # after an item, it would continue the item
        if scanner.paragraph is None:
            scanner.close_lists()
            scanner.paragraph = (number, [line])
        else:
            scanner.paragraph[1].append(line)
        return "text"
    raise _NotSimple
