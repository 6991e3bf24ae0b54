"""markdown-it-py's block parser as the collectors use it, with a bound on nesting.

markdown-it-py reads a list inside a list, or a quote inside a quote, by
recursion (two or three Python frames a level), and its own guard,
`maxNesting`, silently drops whatever lies deeper than 20 levels. Here a
rule that runs before every other takes the rest of a container nested
MAX_LEVEL levels deep as one `too_deep` token holding its raw text, so that
the readers keep that text (as a note) and warn, and the recursion stays
bounded whatever the input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock

MAX_LEVEL = 64
"""markdown-it's nesting level at which the rest of a container is kept as
text. A list adds two levels (the list and its item), a quote one: content
32 lists deep, or 64 quotes deep, is text."""

TOO_DEEP = "too_deep"
"""The type of the token that holds such text (in `content`, with its `map`)."""


def too_deep_warning(first: int, last: int) -> str:
    """The warning about a `too_deep` token's text, lines `first` to `last`."""
    return (f"lists or quotes nested more than {MAX_LEVEL // 2} lists or {MAX_LEVEL} quotes deep: "
            f"lines {first}-{last} are kept as text")


def _too_deep(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.level < MAX_LEVEL or silent:
        return False
    # The container's lines: up to the first line indented less than its
    # content, as markdown-it's own loop would stop (quotes end at `end`).
    line = last = start
    while line < end:
        if not state.isEmpty(line):
            if state.sCount[line] < state.blkIndent:
                break
            last = line + 1
        line += 1
    token = state.push(TOO_DEEP, "", 0)
    token.map = [start, last]
    token.content = state.getLines(start, last, state.blkIndent, False).strip()
    state.line = last
    return True


def bounded(md: MarkdownIt) -> MarkdownIt:
    """`md` with the nesting bound installed (before every other block rule)."""
    md.options["maxNesting"] = MAX_LEVEL + 8  # never reached: the rule stops at MAX_LEVEL
    md.block.ruler.before("table", TOO_DEEP, _too_deep)
    return md
