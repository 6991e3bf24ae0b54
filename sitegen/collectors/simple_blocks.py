"""markdown-it-py's block tokens for the simplest checklist documents, made
by a line scanner in a tenth of the time.

Most task lists are only ATX headings, bullet items (with or without a
checkbox), plain paragraphs at the margin and thematic breaks. For such a
document `block_tokens` returns the tokens markdown-it-py would make (type,
tag, level, nesting, the first line of `map`, and the inline `content`: all
that the checklist reader looks at); for anything else (a code fence, a
quote, an ordered list, HTML, a tab, an indent that is not a nesting step …)
it returns None and markdown-it-py parses the document. HTML comments and
fenced code at the margin are taken whole. tests/test_simple_blocks.py
checks the tokens against markdown-it-py's on generated documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitegen.collectors.blocks import MAX_LEVEL

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
class Token:
    type: str
    tag: str
    level: int
    nesting: int
    map: list[int] | None = None
    content: str = ""


@dataclass(slots=True)
class _OpenList:
    indent: int
    bullet: str


class _NotSimple(Exception):
    pass


class _Scanner:
    def __init__(self) -> None:
        self.tokens: list[Token] = []
        self.lists: list[_OpenList] = []
        self.paragraph: tuple[int, list[str]] | None = None  # (first line, lines) at the margin

    def block(self, kind: str, tag: str, level: int, line: int, content: str, last: int | None = None) -> None:
        where = [line, (last if last is not None else line) + 1]
        self.tokens += [
            Token(f"{kind}_open", tag, level, 1, where),
            Token("inline", "", level + 1, 0, where, content),
            Token(f"{kind}_close", tag, level, -1),
        ]

    def end_paragraph(self) -> None:
        if self.paragraph is not None:
            first, lines = self.paragraph
            self.block("paragraph", "p", 0, first, "\n".join(lines).strip(), first + len(lines) - 1)
            self.paragraph = None

    def close_lists(self, keep: int = 0) -> None:
        while len(self.lists) > keep:
            depth = len(self.lists) - 1
            self.tokens += [Token("list_item_close", "li", 2 * depth + 1, -1),
                            Token("bullet_list_close", "ul", 2 * depth, -1)]
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
            self.tokens.append(Token("list_item_close", "li", 2 * sibling + 1, -1))
        elif indent == (self.lists[-1].indent + 2 if self.lists else 0):
            self.tokens.append(Token("bullet_list_open", "ul", 2 * len(self.lists), 1, [line, line + 1]))
            self.lists.append(_OpenList(indent, bullet))
        else:
            raise _NotSimple
        depth = len(self.lists) - 1
        if 2 * depth + 2 >= MAX_LEVEL:
            raise _NotSimple  # markdown-it's bounded parser keeps the rest as text
        self.tokens.append(Token("list_item_open", "li", 2 * depth + 1, 1, [line, line + 1]))
        self.block("paragraph", "p", 2 * depth + 2, line, text.strip())


def block_tokens(text: str) -> list[Token] | None:
    """markdown-it-py's block tokens for `text` (newlines already "\\n"), or
    None when the document holds anything but the simplest blocks."""
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
    return scanner.tokens


def _whole_block(scanner: _Scanner, lines: list[str], start: int) -> int:
    """Take an HTML comment or a fenced code block starting at line `start`;
    returns its last line."""
    opening = lines[start]
    if opening.startswith("<!--"):
        kind, closed = "html_block", lambda line: "-->" in line
        last = next((n for n in range(start, len(lines)) if closed(lines[n])), len(lines) - 1)
    else:
        fence = _FENCE.fullmatch(opening)
        marker = fence.group(1)
        if marker[0] == "`" and "`" in fence.group(2):
            raise _NotSimple  # not a fence: a code span
        closing = re.compile(rf" {{0,3}}{re.escape(marker[0])}{{{len(marker)},}} *")
        kind = "fence"
        last = next((n for n in range(start + 1, len(lines)) if closing.fullmatch(lines[n])), len(lines) - 1)
    scanner.tokens.append(Token(kind, "code" if kind == "fence" else "", 0, 0, [start, last + 1]))
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
        scanner.block("heading", f"h{len(heading.group(1))}", 0, number, heading.group(2))
        return "heading"
    if item := _ITEM.fullmatch(line):
        if not _PLAIN_START.match(item.group(3)):
            raise _NotSimple
        scanner.item(number, len(item.group(1)), item.group(2), item.group(3))
        return "item"
    if _BREAK.fullmatch(line) and previous == "blank":
        scanner.close_lists()
        scanner.tokens.append(Token("hr", "hr", 0, 0, [number, number + 1]))
        return "break"
    if _PLAIN_START.match(line) and previous != "item":  # after an item, it would continue the item
        if scanner.paragraph is None:
            scanner.close_lists()
            scanner.paragraph = (number, [line])
        else:
            scanner.paragraph[1].append(line)
        return "text"
    raise _NotSimple
