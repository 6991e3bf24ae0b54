"""Comment-aware lexing: where the comments of a source file are.

One Syntax per language family. A master regular expression, matched at a
position, consumes the code and the string literals after it (whole, so
nothing inside them is ever read as a comment) and stops at the next thing
the lexer handles in Python: a comment, a docstring, a template literal, a
JavaScript "/". When the TODO scan asks, it also consumes every comment that
cannot open a marker, so that most files cost one regex match per marker
rather than one per literal and comment. The plain regex (one search per
literal and comment) stays as the reference the tests hold it to. The result
is the list of comments, each with its lines and their line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# --- string literal patterns (each matches one whole literal) -----------------

# Single-line strings stop at an unescaped newline, so a stray quote cannot
# swallow the rest of a file. An escape may be a backslash before a newline
# (a continued line, in a string of any kind).
#
# Every pattern keeps the lexer linear in the file's length: the regex engine
# tries a pattern at each position in turn, so a literal that is not closed
# must not make each of many openers scan the rest of the file. Hence
# multi-line literals that need a closer either run to the end of the file
# when there is none (as in a compiler: the rest is inside the string), or
# cannot start where the previous opener's scan already went (a backtick
# after a backslash), or are bounded in length (Markdown code spans).
# Bodies are written unrolled, `[^"\\]*(?:\\.[^"\\]*)*` rather than
# `(?:[^"\\]|\\.)*`: the same strings, matched 2-3× faster (the engine runs
# a character class in a tight loop, an alternation once per character).
DQ = r'"[^"\\\n]*(?:\\[\s\S][^"\\\n]*)*(?:"|$)'
SQ = r"'[^'\\\n]*(?:\\[\s\S][^'\\\n]*)*(?:'|$)"
SQ_RAW = r"'[^'\n]*(?:'|$)"                                # shell: no escapes
BACKTICK = r"(?<!\\)`[^`\\]*(?:\\[\s\S][^`\\]*)*`"                     # JS template, shell
BACKTICK_RAW = r"`[^`]*`"                                  # Go raw strings
CHAR = r"'(?:[^'\\\n]|\\(?:u\{[0-9A-Fa-f]+\}|x[0-9A-Fa-f]{2}|.))'"  # Rust/Haskell chars, not lifetimes
# (A backslash may be the text's last character: the literal still runs to the
# end, which the skipping lexer relies on once it has seen the opening quotes.)
TRIPLE_DQ = r'"""[^"\\]*(?:(?:\\(?:[\s\S]|\Z)|"(?!""))[^"\\]*)*(?:"""|\Z)'
TRIPLE_SQ = r"'''[^'\\]*(?:(?:\\(?:[\s\S]|\Z)|'(?!''))[^'\\]*)*(?:'''|\Z)"
# Back-references are named: these patterns are combined into one regex.
RUST_RAW = r'\br(?P<rust_hashes>#*)"[\s\S]*?(?:"(?P=rust_hashes)|\Z)'
CPP_RAW = r'\bR"(?P<cpp_delim>[^()\\\s]{0,16})\([\s\S]*?(?:\)(?P=cpp_delim)"|\Z)'
CS_VERBATIM = r'@"[^"]*(?:""[^"]*)*"'
SQL_SQ = r"'[^']*(?:''[^']*)*'"                                 # '' escapes a quote, may span lines
SQL_DQ = r'"[^"]*(?:""[^"]*)*"'
LUA_LONG = r"\[(?P<lua_level>=*)\[[\s\S]*?(?:\](?P=lua_level)\]|\Z)"
SWIFT_RAW = r'(?<!#)#++"[\s\S]*?(?:"#+|\Z)'  # (a run of "#" is tried once, from its start)
# Markdown code is not markup: fenced blocks and code spans hide <!-- --> like strings.
MD_FENCE = r"^[ \t]{0,3}(?P<md_fence>`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^[ \t]{0,3}(?P=md_fence)[ \t]*$|\Z)"
MAX_CODE_SPAN = 4096
"""A Markdown code span longer than this (in characters) is not one: with
no bound, each of many unclosed backtick runs would scan the rest of the file."""
MD_CODE = rf"(?<!`)(?P<md_ticks>`++)[^`][\s\S]{{0,{MAX_CODE_SPAN}}}?(?P=md_ticks)(?!`)"


@dataclass(frozen=True)
class Syntax:
    name: str
    line: tuple[str, ...] = ()
    """Line comment openers: "//", "#", "--"."""
    block: tuple[tuple[str, str], ...] = ()
    """Block comment (open, close) pairs."""
    nested: bool = False
    """Block comments nest (Rust, Swift, Kotlin, Scala, Haskell, OCaml)."""
    strings: tuple[str, ...] = ()
    """Patterns that each match one whole string literal; earlier ones win."""
    hash_needs_space: bool = False
    """'#' opens a comment only at a line start or after whitespace (shell, YAML)."""
    docstrings: bool = False
    """A triple-quoted string that is a statement of its own is a comment (Python)."""
    regex_literals: bool = False
    """'/' can open a regex literal (JavaScript)."""
    line_start: tuple[str, ...] = ()
    """Comment openers valid only as a line's first non-blank text (Haml's '/')."""
    block_line_start: tuple[tuple[str, str], ...] = ()
    """Block comments whose open and close stand at a line start (=begin/=end)."""
    embedded: tuple[tuple[str, str, str], ...] = ()
    """(open regex, close regex, syntax name) of regions in another language:
    <script> in HTML is JavaScript."""
    templates: bool = False
    """Backtick template literals whose `${…}` holds code, lexed as code: its
    comments count, and a template nested in it ends where its own backtick does."""


@dataclass
class Comment:
    line: int
    """Line of the comment's first line."""
    lines: list[str]
    """The comment's text, line by line, without its delimiters."""
    trailing: bool = False
    """Code stands before it on its first line."""
    doc: bool = False
    """A docstring rather than a comment."""
    block: bool = False

    def follows(self, previous: Comment | None) -> bool:
        """Whether this comment is the next line of `previous`'s run of
        full-line comments: a run reads as one comment (a marker's text goes on in it)."""
        return (previous is not None and not previous.block and not self.block
                and not self.trailing and not previous.trailing
                and self.line == previous.line + len(previous.lines))


# --- the scanner ---------------------------------------------------------------

_PRECEDES_REGEX = set("(,=:[!&|?{};~+-*%<>^") | {""}
_REGEX_KEYWORDS = ("return", "typeof", "case", "do", "else", "in", "of", "void", "yield", "await")
# Possessive: giving back a character never lets the closing "/" match.
_REGEX_BODY = re.compile(r"/(?![*/])(?:[^/\\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*+\])++/[A-Za-z]*")
MAX_REGEX_TRIES = 16
"""Slashes on one line that may each be tried, and fail, as the start of a
JavaScript regex literal (each try reads to the end of the line); after
that the line's slashes are division."""


@dataclass
class _Compiled:
    syntax: Syntax
    master: re.Pattern
    kinds: dict[str, tuple[str, object]] = field(default_factory=dict)
    skips: bool = False
    """The master regex, matched (not searched) at a position, first skips
    the code and the literals that need no handling, then matches what the
    lexer must handle (named by the match's last group) or the end of the text."""
    opens: re.Pattern | None = None
    """When it also skips the comments no line of which starts with a match
    of this pattern, the pattern."""

    def __post_init__(self) -> None:
        self.find = self.master.match if self.skips else self.master.search


_LOOKBEHIND = re.compile(r"\(\?<!(?:[^()\\]|\\.)*\)")


def _first_char(pattern: str) -> str | None:
    """The one character a string pattern's match starts with, if it is fixed."""
    body = pattern[2:] if pattern.startswith(r"\b") else pattern
    if lookbehind := _LOOKBEHIND.match(body):
        body = body[lookbehind.end():]
    if body[0] == "\\":
        return body[1]
    return None if body[0] in "([^.?*+{|$" else body[0]


@dataclass(frozen=True)
class _Part:
    kind: str
    pattern: str
    firsts: str | None
    """The characters a match may start with (None: any)."""
    payload: object = None
    opener: str = ""
    """Where it is found, it matches (when shorter than the pattern)."""

    def guard(self) -> str:
        return self.opener or self.pattern


def _parts(syntax: Syntax, braces: bool) -> list[_Part]:
    """What the lexer looks for, in the order in which it is tried at a position."""
    parts = []
    for open_, close in syntax.block_line_start:
        parts.append(_Part("block_line_start", rf"^[ \t]*{re.escape(open_)}", " \t" + open_[0], (open_, close)))
    for marker in syntax.line_start:
        parts.append(_Part("line", rf"^[ \t]*{re.escape(marker)}", " \t" + marker[0], marker))
    for pattern, close, name in syntax.embedded:
        parts.append(_Part("embedded", pattern, "<", (close, name)))
    # Comment openers before strings where they share a prefix ("--[[" vs "[[").
    for open_, close in sorted(syntax.block, key=lambda b: -len(b[0])):
        parts.append(_Part("block", re.escape(open_), open_[0], (open_, close)))
    for pattern in syntax.strings:
        # A docstring is a comment; any other literal is only skipped.
        docstring = syntax.docstrings and pattern in (TRIPLE_DQ, TRIPLE_SQ)
        parts.append(_Part("docstring", pattern, pattern[0], opener=re.escape(pattern[:3])) if docstring
                     else _Part("string", pattern, _first_char(pattern)))
    for marker in sorted(syntax.line, key=len, reverse=True):
        if marker == "#" and syntax.hash_needs_space:
            parts.append(_Part("line", r"(?:(?<=[ \t])|^)#", "#", marker))
        else:
            parts.append(_Part("line", re.escape(marker), marker[0], marker))
    if syntax.templates:
        parts.append(_Part("template", "`", "`"))
    if braces:
        parts.append(_Part("brace", "[{}]", "{}"))
    if syntax.regex_literals:
        parts.append(_Part("slash", r"/(?![*/])", "/"))
    return parts


def _compile(syntax: Syntax, braces: bool = False, opens: str = "", skipping: bool = True) -> _Compiled:
    """The master regex of `syntax`; with `braces`, "{" and "}" are found too
    (inside a template's `${…}`, whose end is the "}" that balances it); with
    `opens`, comments no line of which starts with a match of it are skipped
    (where the syntax allows). Without `skipping`, the plain master regex,
    searched for each thing the lexer handles, literals included: slower,
    and the reference the tests hold the skipping one to."""
    parts = _parts(syntax, braces)
    if not parts:
        return _Compiled(syntax, re.compile(r"(?!)"))
    kinds = {f"g{at}": (part.kind, part.payload) for at, part in enumerate(parts)}
    plain = "|".join(_named(parts))
    if any(part.firsts is None for part in parts):
        return _Compiled(syntax, re.compile(plain, re.M), kinds)
    if not skipping:
        # The engine does not skip ahead by first character through this many
        # alternatives; a lookahead on the possible first characters makes it (5×).
        return _Compiled(syntax, re.compile(f"(?=[{_firsts(parts)}])(?:{plain})", re.M), kinds)
    return _Compiled(syntax, re.compile(_skipping_pattern(parts, opens, syntax), re.M),
                     kinds | {"end": ("end", None)}, skips=True, opens=re.compile(opens) if opens else None)


def _firsts(parts: list[_Part]) -> str:
    """A character class's body: the characters any part's match may start with."""
    return "".join(sorted({re.escape(char) for part in parts for char in part.firsts}))


def _named(parts: list[_Part]) -> list[str]:
    return [f"(?P<g{at}>{part.pattern})" for at, part in enumerate(parts)]


def _skipping_pattern(parts: list[_Part], opens: str, syntax: Syntax) -> str:
    """One regex that, matched at a position, consumes the code and the plain
    string literals after it, then matches the next part the lexer handles
    (as its named group) or the end. Each match returns to Python once per
    comment rather than once per literal: most files hold far more literals
    than comments. A literal is skipped only where no part tried before it
    matches, and any other character that may start a part only where none does,
    so the next part found is the one the parts' order would choose.
    With `opens`, so is a comment that cannot open a marker (see `_unmarked`)."""
    firsts = _firsts(parts)
    skips, handled = [f"[^{firsts}]++"], []
    for part in parts:
        guard = f"(?!{'|'.join(handled)})" if handled else ""
        if part.kind == "string":
            skips.append(f"{guard}(?:{part.pattern})")
            continue
        if opens and (unmarked := _unmarked(part, opens, syntax)):
            skips.append(f"{guard}{unmarked}")
        handled.append(f"(?:{part.guard()})")
    skips.append(f"(?!{'|'.join(handled)})[{firsts}]")
    named = [name for part, name in zip(parts, _named(parts)) if part.kind != "string"]
    return f"(?:{'|'.join(skips)})*+(?:{'|'.join(named)}|(?P<end>\\Z))"


def _unmarked(part: _Part, opens: str, syntax: Syntax) -> str | None:
    """A pattern for `part` where no line of it starts with a match of
    `opens` (a comment that cannot open a marker). None for comments whose
    end a regex cannot tell (nested ones, those that stand at a line start)."""
    no_opening = f"(?!{opens})"
    # A JavaScript "/" is told from a regex by the code before it and before
    # the comments just before it (see _Lexer.slash): a comment that a "/"
    # follows (another comment's, or that one) is never skipped.
    before_code = r"(?!\s*/)" if syntax.regex_literals else ""
    if part.kind == "line" and not part.pattern.startswith("^"):  # to the end of the line
        return rf"(?:{part.pattern}){no_opening}[^\n]*+{before_code}"
    if part.kind == "docstring":  # to the closing quotes, over escapes (a "\" before a newline stays)
        quotes = part.opener
        return (rf"{quotes}{no_opening}(?:[^{quotes[0]}\\\n]++|\\[^\n]|\\(?=\n)|\n{no_opening}"
                rf"|(?!{quotes}){quotes[0]})*+(?:{quotes}|\Z)")
    if part.kind == "block" and not syntax.nested:  # to the closer
        open_, close = (re.escape(delimiter) for delimiter in part.payload)
        first = re.escape(part.payload[1][0])
        return (rf"{open_}{no_opening}(?:[^{first}\n]++|\n{no_opening}|(?!{close}){first})*+(?:{close}|\Z)"
                rf"{before_code}")
    return None


_COMPILED: dict[tuple[str, bool, str, bool], _Compiled] = {}


def _compiled(syntax: Syntax, braces: bool = False, opens: str = "", skipping: bool = True) -> _Compiled:
    key = (syntax.name, braces, opens, skipping)
    found = _COMPILED.get(key)
    if found is None:
        found = _COMPILED[key] = _compile(syntax, braces, opens, skipping)
    return found


_NOT_SPACE = re.compile(r"\S")


class _LineIndex:
    """Offset → 1-based line number. Lexing asks in nearly increasing order,
    so the newlines are counted from the last offset asked about (in C):
    linear in the text however many comments it holds, and nothing is built
    for the lines no one asks about."""

    def __init__(self, text: str):
        self.text = text
        self._offset, self._line = 0, 1
        self._first_code: dict[int, int] = {}

    def code_before(self, offset: int) -> bool:
        """Whether anything but whitespace stands before `offset` on its line
        (the line's first such offset is found once, however many comments it holds)."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        first = self._first_code.get(line_start)
        if first is None:
            found = _NOT_SPACE.search(self.text, line_start, offset + 1)
            if found is None:  # only whitespace up to here: look again for a later offset
                return False
            first = self._first_code[line_start] = found.start()
        return first < offset

    def line(self, offset: int) -> int:
        if offset >= self._offset:
            self._line += self.text.count("\n", self._offset, offset)
        else:
            self._line -= self.text.count("\n", offset, self._offset)
        self._offset = offset
        return self._line


def _close_nested(text: str, pos: int, open_: str, close: str) -> int:
    # The next opener and closer are found again only once passed, so that
    # the search is linear however many openers precede the first closer.
    depth = 1
    next_open, next_close = text.find(open_, pos), text.find(close, pos)
    while depth:
        if next_close < 0:
            return len(text)
        if 0 <= next_open < next_close:
            depth += 1
            pos = next_open + len(open_)
        else:
            depth -= 1
            pos = next_close + len(close)
        if 0 <= next_open < pos:
            next_open = text.find(open_, pos)
        if next_close < pos:
            next_close = text.find(close, pos)
    return pos


def _regex_allowed(text: str, start: int) -> bool:
    before = text[max(0, start - 40):start].rstrip()
    if not before:
        return True
    if before[-1] in _PRECEDES_REGEX:
        return True
    word = re.search(r"[A-Za-z_$][\w$]*$", before)
    return bool(word) and word.group() in _REGEX_KEYWORDS


def comments(text: str, syntax: Syntax, until: int | None = None, opens: str = "", *,
             skipping: bool = True) -> list[Comment]:
    """Every comment of `text`, in order, with 1-based line numbers. With
    `until`, lexing stops at the first thing after that offset that does
    not continue the run of comments there (a scan for tags need not read
    past the last one). With `opens` (a regex, see markers.opening), the
    comments no line of which starts with a match of it are left out, unless
    they continue the run of full-line comments of one that does: a search
    for markers finds the same ones, and most comments cost no Python code.
    `skipping=False` lexes with the plain reference regexes (see `_compile`)."""
    lexer = _Lexer(text, syntax, skipping)
    full = _compiled(syntax, skipping=skipping)
    marked = _compiled(syntax, opens=opens) if opens and skipping else None
    lexer.code(0, full, until=until, marked=marked if marked and marked.opens else None)
    return lexer.found


_TEMPLATE_PART = re.compile(r"\\[\s\S]|`|\$\{")
MAX_TEMPLATE_DEPTH = 32
"""Templates nested in templates' `${…}` deeper than this are read as
plain strings (real code nests two or three)."""


class _Lexer:
    """One file's lexing: where its comments are."""

    def __init__(self, text: str, syntax: Syntax, skipping: bool = True):
        self.text, self.syntax, self.skipping = text, syntax, skipping
        self.index = _LineIndex(text)
        self.found: list[Comment] = []
        self.failed_regexes: dict[int, int] = {}  # line → slashes tried there as a regex's start, in vain
        self.spans: list[tuple[int, int]] = []  # (start, end) of each comment in code, for slash()

    def code(self, pos: int, compiled: _Compiled, depth: int = 0, until: int | None = None,
             marked: _Compiled | None = None) -> int:
        """Lex code from `pos`: to the end of the text, or (inside a
        template's `${…}`, `depth` > 0) to just after the "}" that closes it,
        or (past `until`) to what does not continue the comments there.
        With `marked` (`compiled` made to skip comments that cannot open a
        marker), that is used but after a line comment that can, while the run
        of full-line comments it starts goes on."""
        text, syntax, index, found = self.text, self.syntax, self.index, self.found
        braces = 0
        current = marked or compiled
        while (match := current.find(text, pos)) is not None:
            kind, payload = current.kinds[match.lastgroup]
            if kind == "end":
                break
            start, pos = match.start(match.lastgroup), match.end()
            if until is not None and start > until and not self.continues_run(kind, start):
                return start
            if kind == "string":
                continue
            if kind == "docstring":
                _docstring(text, text[start:pos], start, index, found)
            elif kind == "template":
                pos = self.template(pos, depth + 1)
            elif kind == "brace":
                if text[start] == "{":
                    braces += 1
                elif braces:
                    braces -= 1
                else:
                    return pos
            elif kind == "slash":
                pos = self.slash(start)
            elif kind == "line":
                stop = text.find("\n", pos)
                stop = len(text) if stop < 0 else stop
                comment = Comment(index.line(start), [text[pos:stop].rstrip("\r")], trailing=index.code_before(start))
                if marked is not None:
                    run_goes_on = comment.follows(found[-1] if found else None)
                    current = compiled if run_goes_on or marked.opens.match(comment.lines[0]) else marked
                found.append(comment)
                self.spans.append((start, stop))
                pos = stop
            elif kind == "embedded":
                close_pattern, name = payload
                close = re.compile(close_pattern, re.I).search(text, pos)
                region_end = close.start() if close else len(text)
                found.extend(_region_comments(text, SYNTAXES[name], pos, region_end, index, self.skipping))
                pos = close.end() if close else len(text)
            else:
                body_end, pos = _block_end(text, kind, payload, pos, syntax.nested)
                lines = text[match.end():body_end].replace("\r", "").split("\n")
                found.append(Comment(index.line(start), lines, trailing=index.code_before(start), block=True))
                self.spans.append((start, pos))
        return len(text)

    def continues_run(self, kind: str, start: int) -> bool:
        """Whether a line comment at `start` is the next line of a run of
        full-line comments (whose marker's text it may continue)."""
        if kind != "line" or not self.found:
            return False
        return Comment(self.index.line(start), [], trailing=self.index.code_before(start)).follows(self.found[-1])

    def template(self, pos: int, depth: int) -> int:
        """The end of a template literal whose body starts at `pos`; the code
        in its `${…}` is lexed as code."""
        while (part := _TEMPLATE_PART.search(self.text, pos)) is not None:
            pos = part.end()
            if part.group() == "`":
                return pos
            if part.group() == "${" and depth <= MAX_TEMPLATE_DEPTH:
                pos = self.code(pos, _compiled(self.syntax, braces=True, skipping=self.skipping), depth)
        return len(self.text)

    def slash(self, start: int) -> int:
        """Where lexing goes on after a "/" that may open a regex literal."""
        # What precedes the slash is the code before any comments just before it.
        probe, spans = start, self.spans
        at = len(spans) - 1
        while at >= 0 and spans[at][1] <= probe and not self.text[spans[at][1]:probe].strip():
            probe, at = spans[at][0], at - 1
        regex = None
        if _regex_allowed(self.text, probe) and \
                self.failed_regexes.get(line := self.index.line(start), 0) < MAX_REGEX_TRIES:
            regex = _REGEX_BODY.match(self.text, start)
            if regex is None:
                self.failed_regexes[line] = self.failed_regexes.get(line, 0) + 1
        return regex.end() if regex else start + 1


def _block_end(text: str, kind: str, payload: tuple[str, str], pos: int, nested: bool) -> tuple[int, int]:
    """(end of the comment's body, position after its closer) for a block comment."""
    open_, close = payload
    if kind == "block_line_start":
        found = re.compile(rf"^[ \t]*{re.escape(close)}", re.M).search(text, pos)
        return (found.start(), found.end()) if found else (len(text), len(text))
    if nested:
        after = _close_nested(text, pos, open_, close)
        closed = text[after - len(close):after] == close and after > pos
        return (after - len(close) if closed else after), after
    at = text.find(close, pos)
    return (at, at + len(close)) if at >= 0 else (len(text), len(text))


_STRING_PREFIX = re.compile(r"(?<![\w])[rRbBuUfF]{1,2}\Z")


def _docstring(text: str, literal: str, start: int, index: _LineIndex, found: list[Comment]) -> None:
    """Record a triple-quoted string (`literal`, from its quotes at `start`)
    that is a statement of its own as a doc comment; a prefix (the r of a raw
    string) is part of the statement, not code before it."""
    prefix = _STRING_PREFIX.search(text, max(0, start - 3), start)
    if index.code_before(prefix.start() if prefix else start):
        return
    body = literal[3:-3] if len(literal) >= 6 and literal.endswith(literal[:3]) else literal[3:]
    found.append(Comment(index.line(start), body.replace("\r", "").split("\n"), doc=True, block=True))


def _region_comments(text: str, syntax: Syntax, start: int, end: int, index: _LineIndex,
                     skipping: bool) -> list[Comment]:
    """Comments of text[start:end] lexed as `syntax`, numbered as lines of the file."""
    inner = comments(text[start:end], syntax, skipping=skipping)
    first = index.line(start)
    for comment in inner:
        comment.line += first - 1
    return inner


# --- the language families ------------------------------------------------------

C_STRINGS = (DQ, SQ)
# <script> and <style> inside HTML-like files are lexed in their own language.
# (A tag's attributes hold no "<": an unclosed "<script" then scans only to the next tag.)
HTML_EMBEDS = (
    (r"<script\b[^<>]*>", r"</script\s*>", "javascript"),
    (r"""<style\b(?=[^<>]*?\blang=["']?(?:less|scss|sass|stylus|styl)\b)[^<>]*+>""", r"</style\s*>", "scss"),
    (r"<style\b[^<>]*>", r"</style\s*>", "css"),
)


# --- the languages -----------------------------------------------------------------
# One table: each language's comment syntax and how its files are known (by
# extension, file name or the program on a "#!" line). The TODO scan and the
# checklists' file references both read it, so a language is added here only.

@dataclass(frozen=True)
class Language:
    syntax: Syntax
    extensions: str = ""
    """Lower case, without the dot, separated by spaces."""
    file_names: str = ""
    shebangs: str = ""
    """Programs named on a "#!" line (after `env`), version numbers dropped."""


GENERIC = Syntax("generic", line=("//", "#"), block=(("/*", "*/"), ("<!--", "-->")), strings=(DQ,),
                 hash_needs_space=True)
"""For any file with an extension not listed: the usual comment markers."""

LANGUAGES = (
    Language(Syntax("c", line=("//",), block=(("/*", "*/"),), strings=C_STRINGS),
             extensions="c h"),
    Language(Syntax("cpp", line=("//",), block=(("/*", "*/"),), strings=(CPP_RAW, DQ, SQ)),
             extensions="cc cpp cxx c++ hh hpp hxx h++ ino cu"),
    Language(Syntax("csharp", line=("//",), block=(("/*", "*/"),), strings=(CS_VERBATIM, TRIPLE_DQ, DQ, SQ)),
             extensions="cs"),
    Language(Syntax("java", line=("//",), block=(("/*", "*/"),), strings=(TRIPLE_DQ, DQ, SQ)),
             extensions="java groovy gradle dart proto cls apex", file_names="Jenkinsfile"),
    Language(Syntax("javascript", line=("//",), block=(("/*", "*/"),), strings=(DQ, SQ),
           regex_literals=True, templates=True),
             extensions="js mjs cjs jsx ts tsx mts cts", shebangs="node deno"),
    Language(Syntax("go", line=("//",), block=(("/*", "*/"),), strings=(DQ, SQ, BACKTICK_RAW)),
             extensions="go"),
    Language(Syntax("rust", line=("//",), block=(("/*", "*/"),), nested=True, strings=(RUST_RAW, DQ, CHAR)),
             extensions="rs"),
    Language(Syntax("kotlin", line=("//",), block=(("/*", "*/"),), nested=True, strings=(TRIPLE_DQ, DQ, SQ)),
             extensions="kt kts"),
    Language(Syntax("swift", line=("//",), block=(("/*", "*/"),), nested=True,
           strings=(SWIFT_RAW, TRIPLE_DQ, DQ)),
             extensions="swift"),
    Language(Syntax("scala", line=("//",), block=(("/*", "*/"),), nested=True, strings=(TRIPLE_DQ, DQ, CHAR)),
             extensions="scala sc"),
    Language(Syntax("php", line=("//", "#"), block=(("/*", "*/"), ("<!--", "-->")), strings=(DQ, SQ, BACKTICK)),
             extensions="php phtml ctp", shebangs="php"),
    Language(Syntax("css", block=(("/*", "*/"),), strings=C_STRINGS),
             extensions="css"),
    Language(Syntax("scss", line=("//",), block=(("/*", "*/"),), strings=C_STRINGS),
             extensions="scss sass less styl"),
    Language(Syntax("python", line=("#",), strings=(TRIPLE_DQ, TRIPLE_SQ, DQ, SQ), docstrings=True),
             extensions="py pyw pyi", shebangs="python python3"),
    Language(Syntax("ruby", line=("#",), strings=(DQ, SQ, BACKTICK), block_line_start=(("=begin", "=end"),)),
             extensions="rb rake gemspec", file_names="Rakefile Gemfile Vagrantfile Brewfile", shebangs="ruby"),
    Language(Syntax("perl", line=("#",), strings=(DQ, SQ), block_line_start=(("=pod", "=cut"), ("=head1", "=cut"))),
             extensions="pl pm t", shebangs="perl"),
    Language(Syntax("shell", line=("#",), strings=(DQ, SQ_RAW, BACKTICK), hash_needs_space=True),
             extensions="sh bash zsh fish ksh", file_names=".bashrc .zshrc .profile .env", shebangs="sh bash zsh dash ksh fish"),
    Language(Syntax("hash", line=("#",), strings=(DQ, SQ)),
             extensions="cr gd nim tcl ps1 mk cmake make dockerfile containerfile nix", file_names="Makefile GNUmakefile makefile Dockerfile Containerfile CMakeLists.txt .gitignore .dockerignore"),
    Language(Syntax("yaml", line=("#",), strings=(DQ, r"(?:(?<=: )|(?<=- )|(?<=[\[{,])|^[ \t]*)" + SQ),
           hash_needs_space=True),
             extensions="yaml yml"),
    Language(Syntax("toml", line=("#",), strings=(TRIPLE_DQ, TRIPLE_SQ, DQ, SQ_RAW)),
             extensions="toml"),
    Language(Syntax("coffee", line=("#",), block=(("###", "###"),), strings=(TRIPLE_DQ, DQ, SQ)),
             extensions="coffee cjsx"),
    Language(Syntax("julia", line=("#",), block=(("#=", "=#"),), nested=True, strings=(TRIPLE_DQ, DQ, CHAR)),
             extensions="jl", shebangs="julia"),
    Language(Syntax("elixir", line=("#",), strings=(TRIPLE_DQ, DQ, SQ)),
             extensions="ex exs"),
    Language(Syntax("r", line=("#",), strings=(DQ, SQ)),
             extensions="r", shebangs="Rscript"),
    Language(Syntax("terraform", line=("#", "//"), block=(("/*", "*/"),), strings=(DQ,)),
             extensions="tf tfvars hcl"),
    Language(Syntax("sql", line=("--",), block=(("/*", "*/"),), strings=(SQL_SQ, SQL_DQ)),
             extensions="sql"),
    Language(Syntax("lua", line=("--",), block=(("--[[", "]]"), ("--[==[", "]==]"), ("--[=[", "]=]")),
           strings=(LUA_LONG, DQ, SQ)),
             extensions="lua", shebangs="lua"),
    Language(Syntax("haskell", line=("--",), block=(("{-", "-}"),), nested=True, strings=(DQ, CHAR)),
             extensions="hs elm"),
    Language(Syntax("lisp", line=(";",), block=(("#|", "|#"),), strings=(DQ,)),
             extensions="clj cljs cljc edn el lisp scm rkt"),
    Language(Syntax("ini", line=(";", "#"), strings=()),
             extensions="ini cfg conf properties editorconfig"),
    Language(Syntax("asm", line=(";",), strings=(DQ,)),
             extensions="asm s"),
    Language(Syntax("erlang", line=("%",), strings=(DQ,)),
             extensions="erl hrl"),
    Language(Syntax("matlab", line=("%",), block=(("%{", "%}"),), strings=(DQ,))),
    Language(Syntax("tex", line=("%",), block_line_start=((r"\begin{comment}", r"\end{comment}"),)),
             extensions="tex sty latex"),
    Language(Syntax("pascal", line=("//",), block=(("{", "}"), ("(*", "*)")), strings=(SQL_SQ,)),
             extensions="pas pp dpr lpr"),
    Language(Syntax("fsharp", line=("//",), block=(("(*", "*)"),), nested=True, strings=(TRIPLE_DQ, DQ)),
             extensions="fs fsi fsx"),
    Language(Syntax("ocaml", block=(("(*", "*)"),), nested=True, strings=(DQ,)),
             extensions="ml mli"),
    Language(Syntax("html", block=(("<!--", "-->"),), embedded=HTML_EMBEDS),
             extensions="html htm xhtml xml svg vue svelte"),
    Language(Syntax("markdown", block=(("<!--", "-->"),), strings=(MD_FENCE, MD_CODE)),
             extensions="md markdown"),
    Language(Syntax("twig", block=(("<!--", "-->"), ("{#", "#}")), embedded=HTML_EMBEDS),
             extensions="twig jinja jinja2 j2 njk"),
    Language(Syntax("handlebars", block=(("<!--", "-->"), ("{{!--", "--}}"), ("{{!", "}}")), embedded=HTML_EMBEDS),
             extensions="hbs handlebars mustache hgn"),
    Language(Syntax("erb", block=(("<!--", "-->"), ("<%#", "%>")), embedded=HTML_EMBEDS),
             extensions="ejs erb"),
    Language(Syntax("jsp", block=(("<!--", "-->"), ("<%--", "--%>")), embedded=HTML_EMBEDS),
             extensions="ss jsp aspx"),
    Language(Syntax("razor", block=(("<!--", "-->"), ("@*", "*@")), embedded=HTML_EMBEDS),
             extensions="cshtml razor"),
    Language(Syntax("liquid", block=(("<!--", "-->"), ("{% comment %}", "{% endcomment %}")), embedded=HTML_EMBEDS),
             extensions="liquid"),
    Language(Syntax("haml", line_start=("/", "-#"), block=(("<!--", "-->"), ("<%#", "%>"))),
             extensions="haml"),
    Language(Syntax("pug", line_start=("//-", "//")),
             extensions="pug jade"),
    Language(Syntax("mdx", block=(("<!--", "-->"), ("{/*", "*/}")), strings=(MD_FENCE, MD_CODE)),
             extensions="mdx"),
    # Files people name in checklists and whose comments are read with GENERIC:
    # data, text and build files, and a few languages without a syntax of their own.
    Language(GENERIC, extensions="json jsonc txt rst adoc csv lock ipynb plist graphql gql xsl vb bat mm "
                                 "example sample template tpl env", file_names="Procfile"),
)
SYNTAXES: dict[str, Syntax] = {language.syntax.name: language.syntax for language in LANGUAGES} | {"generic": GENERIC}
EXTENSIONS = {ext: lang.syntax.name for lang in LANGUAGES for ext in lang.extensions.split()}
FILE_NAMES = {name: lang.syntax.name for lang in LANGUAGES for name in lang.file_names.split()}
SHEBANGS = {program: lang.syntax.name for lang in LANGUAGES for program in lang.shebangs.split()}
_SHEBANG = re.compile(r"#!\s*(?:\S*/)?([\w.+-]+)(?:\s+(?:-\S+\s+)*([\w.+-]+))?")
_OBJC = re.compile(r"^\s*(?:#import\b|#include\b|@interface\b|@implementation\b|@end\b|//|/\*)", re.M)


def syntax_for(name: str, first_line: str = "", extra: dict[str, str] | None = None,
               text: str = "") -> Syntax | None:
    """The Syntax for a file called `name`, or None if it is not source code we know."""
    base = name.rsplit("/", 1)[-1]
    extension = base.rsplit(".", 1)[-1].lower() if "." in base else ""
    if extra and (extension in extra or base in extra):
        return SYNTAXES[extra.get(base) or extra[extension]]
    if base in FILE_NAMES:
        return SYNTAXES[FILE_NAMES[base]]
    if base.startswith("Dockerfile"):
        return SYNTAXES["hash"]
    if extension == "m":  # Objective-C or MATLAB: look at the code
        return SYNTAXES["c" if _OBJC.search(text[:4000]) else "matlab"]
    if extension in EXTENSIONS:
        return SYNTAXES[EXTENSIONS[extension]]
    if first_line.startswith("#!"):
        match = _SHEBANG.match(first_line)
        if match:
            program = match.group(2) if match.group(1) == "env" and match.group(2) else match.group(1)
            program = re.sub(r"[\d.]+$", "", program) or program
            if program in SHEBANGS:
                return SYNTAXES[SHEBANGS[program]]
    if not extension:
        return None
    return SYNTAXES["generic"]
