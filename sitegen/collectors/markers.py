"""TODO-style markers in comments: tag, author, references and text.

A marker counts only at the start of a comment (after its delimiter and any
decoration such as `*`, `!` or `@`) or at the start of a docstring line; a
tag later in a comment is prose. A tag is a whole word followed by a space,
":", "(", "[", "!" or the end ("Todoist", "TODO_PATH", "TODO.md" and
"XXXX-XXXX" are not tags), in any case ("todo", "@todo"),
except tags that are ordinary English words (BUG, HACK, NOTE…): written in
lower case they count only before ":" or "(" or after "@", so that
"# bug in the parser" stays prose. The lines after a marker that continue
its comment are part of its text (kept on their own lines), until a blank
comment line, the end of the comment run, another marker, or a line of
commented-out code (`from x import y`, `client = Client(auth)`, `foo(bar);`,
`if (x) {`, `}`, `#include <x.h>`, `rm -rf "$DIR"`, `SELECT * FROM t;`: see
commented_code; that check needs the comments' syntax, and without one the
text runs on as before). Prose with brackets, colons, code spans or URLs
("the parser (see #12) should handle this", "e.g. `x = 1` is wrong") stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sitegen.collectors.lexers import Comment, Syntax

DEFAULT_TAGS = {"FIXME": "P2", "BUG": "P2", "TODO": "P3", "HACK": "P3", "XXX": "P3"}
# Tags that are also ordinary words: lower case needs a ":" or "(" after them.
WORD_TAGS = frozenset("BUG HACK NOTE REVIEW OPTIMIZE IDEA QUESTION WARNING SAFETY DEPRECATED".split())

_DECORATION = re.compile(r"^[\s*/!#;%=-]*@?")
# What `\s` matches but a newline, as one character class's body (tests check it).
_SPACES_BUT_NEWLINE = r"\t\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# A URL ends before trailing punctuation, as forges' autolinkers end it ("see https://x/1, which…")
_REF = re.compile(r"\b[A-Z][A-Z0-9]+-\d+\b|(?<![\w&])#\d+\b|https?://[^\s<>\"')\]]*[^\s<>\"')\].,;:!?]")
_TRAILING_AUTHOR = re.compile(r"\s/([A-Za-z][\w.-]*)\s*$")  # leasot's "text /alice"
_AT_AUTHOR = re.compile(r"^@([A-Za-z0-9][\w.-]*)\b[:,]?\s*")
_SEPARATOR = re.compile(r"^\s*[:\-–—,.]*\s*")
# "# --- TODO comments ---": a heading between rules, not a marker.
_BANNER = re.compile(r"^[\s#/*;%!]*[-=]{2,}.*[-=]{2,}\s*$")
# A docstring line may be written as a comment: "# TODO: complete the docstring".
_DOC_HASH = re.compile(r"^#+\s*")


@dataclass
class Marker:
    tag: str
    line: int
    text: str
    author: str | None = None
    refs: list[str] = field(default_factory=list)
    trailing: bool = False
    """The marker's comment follows code on its line."""


def tag_pattern(tags) -> re.Pattern:
    words = "|".join(re.escape(t) for t in sorted(tags, key=len, reverse=True))
    # group 1: the tag as written. Followed by the end, a space, ":", "(", "[", "!",
    # a dash that is not a hyphen, a qualifier and a colon ("TODO-TYPING:"), or ",",
    # "." or "?" before a space ("Fixme, this fails", "TODO. Look", "FIXME?"), so that
    # "TODO_PATH", "TODO.md" and "TODO-list" are not tags (nor "XXX, TODO": see match).
    return re.compile(rf"(?i:({words}))(?=$|[\s:(\[!]|-(?!\w)|-\w[\w-]*:|[,.?](?:\s|$))")


@dataclass(frozen=True)
class _TagMatcher:
    tags: frozenset[str]
    pattern: re.Pattern
    folded: tuple[str, ...]
    """The tags case-folded: a line whose case-folded text holds none of them
    cannot start with a tag (a quick no for most comment lines; a plain loop
    of `in` tests is 4× faster than a case-insensitive regex here)."""

    def may_match(self, line: str) -> bool:
        folded = line.casefold()
        for tag in self.folded:
            if tag in folded:
                return True
        return False

    def match(self, line: str, after_at: bool = False) -> tuple[str, str] | None:
        """(canonical tag, rest of the line) if `line` starts with a tag."""
        found = self.pattern.match(line)
        if not found:
            return None
        written, rest = found.group(1), line[found.end():]
        tag = written.upper()
        if tag in WORD_TAGS and written != tag and not after_at and rest.lstrip()[:1] not in (":", "("):
            return None
        if rest.startswith(",") and self.pattern.match(rest[1:].lstrip()):
            return None  # "XXX, TODO and FIXME are tags": a list of tags, not a marker
        return tag, rest


def opening(tags) -> str:
    """A regex that matches at the start of every comment line that may open
    a marker (and of some that do not): the tag after any decoration,
    whitespace or "#" of a docstring line. The lexer leaves out the comments
    no line of which it matches (see lexers.comments)."""
    words = "|".join(re.escape(t) for t in sorted(tags, key=len, reverse=True))
    firsts = "".join(sorted({re.escape(c) for t in tags for c in (t[0].lower(), t[0].upper())}))
    # One character class, possessive, and the tags' first letters tried
    # before the tags: the lexer tries this at every line of every comment.
    # (The lookahead folds case as the tags do: "ſafety" is a SAFETY tag to the regex engine.)
    return rf"[{_SPACES_BUT_NEWLINE}*/!#;%=@-]*+(?=(?i:[{firsts}]))(?i:{words})"


def matcher(tags) -> _TagMatcher:
    return _TagMatcher(frozenset(t.upper() for t in tags), tag_pattern(tags), tuple(sorted({t.casefold() for t in tags})))


def _split_author_and_refs(rest: str) -> tuple[str | None, list[str], str]:
    """(author, refs, text) from what follows the tag."""
    author, refs = None, []
    if rest.startswith("("):
        close = rest.find(")")
        if close > 0:
            for part in (p.strip() for p in rest[1:close].split(",")):
                if _REF.fullmatch(part):
                    refs.append(part)
                elif part and author is None:
                    author = part.lstrip("@")
            rest = rest[close + 1:]
    rest = _SEPARATOR.sub("", rest, count=1)
    if author is None and (at := _AT_AUTHOR.match(rest)):
        author, rest = at.group(1), rest[at.end():]
        rest = _SEPARATOR.sub("", rest, count=1)
    if author is None and (trailing := _TRAILING_AUTHOR.search(rest)):
        author, rest = trailing.group(1), rest[:trailing.start()]
    return author, refs, rest.strip()


def _content(line: str, doc: bool, first: bool = True) -> tuple[str, bool]:
    """(a comment line without its decoration, whether that ended in "@").
    Docstring lines keep theirs, but for a "#" that opens a line after the
    first (as in pylint, a docstring that opens with "# TODO" holds no
    marker; a "# TODO: …" line in a docstring's body is one)."""
    if doc:
        return (line.strip() if first else _DOC_HASH.sub("", line.strip(), count=1)), False
    decoration = _DECORATION.match(line)
    return line[decoration.end():].strip(), decoration.group().endswith("@")


class _Continued:
    """A marker whose comment may go on: its lines and references, gathered
    in a list and a set (adding to its text and refs one line at a time would
    copy them each time)."""

    def __init__(self, marker: Marker):
        self.marker = marker
        self.lines = [marker.text]
        self.refs = set(marker.refs)

    def add(self, content: str) -> None:
        self.lines.append(content)
        new = [r for r in _REF.findall(content) if r not in self.refs]
        self.marker.refs += new
        self.refs.update(new)

    def close(self) -> None:
        """Give the marker its whole text; returns None, what is open after it."""
        if len(self.lines) > 1:
            self.marker.text = "\n".join(self.lines)
        return None


def find(comment_list: list[Comment], tags: _TagMatcher, syntax: Syntax | None = None) -> list[Marker]:
    """Every marker in the comments of one file, in line order.

    With the `syntax` the comments were lexed with, a marker's text also stops
    at a line of commented-out code; without it, only at a blank comment line,
    the end of the comment run or another marker."""
    # Imported here: its thirty patterns take 8 ms to compile, which a run that
    # reads every file from the cache never needs.
    from sitegen.collectors.commented_code import judge

    is_code = judge(syntax.name) if syntax is not None else None
    markers: list[Marker] = []
    open_marker: _Continued | None = None
    previous: Comment | None = None
    for comment in comment_list:
        if open_marker is not None and not comment.follows(previous):
            open_marker = open_marker.close()
        previous = comment
        for offset, raw in enumerate(comment.lines):
            if open_marker is None and not tags.may_match(raw):
                continue  # neither a marker nor the text of one
            content, after_at = _content(raw, comment.doc, offset == 0)
            found = tags.match(content, after_at)
            if found and _BANNER.match(raw):
                found = None
            if found:
                author, refs, text = _split_author_and_refs(found[1])
                known = set(refs)
                marker = Marker(
                    tag=found[0], line=comment.line + offset, text=text, author=author,
                    refs=refs + [r for r in _REF.findall(text) if r not in known],
                    trailing=comment.trailing and offset == 0,
                )
                markers.append(marker)
                if open_marker is not None:
                    open_marker.close()
                open_marker = _Continued(marker)
            elif open_marker is not None and content and not open_marker.marker.trailing and not (
                    is_code is not None and is_code(content, raw)):
                open_marker.add(content)
            elif open_marker is not None:
                open_marker = open_marker.close()
    if open_marker is not None:
        open_marker.close()
    return markers
