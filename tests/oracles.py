"""Reference tokenizers for differential tests of the comment lexers: on a
real file, the comments sitegen's lexer finds must be the comments the
language's own tokenizer (Python's `tokenize`) or pygments finds.

Used by tests/test_differential.py (a sample of real files on every run)
and bench/differential.py (every file, with figures per language).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import tokenize
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.collectors import lexers, markers
from sitegen.textio import decode

TAGS = markers.matcher(markers.DEFAULT_TAGS)


@dataclass
class Difference:
    """Comments and markers one file's lexing found beyond the oracle's, or missed."""

    path: str
    missed: list[tuple[int, str]] = field(default_factory=list)
    extra: list[tuple[int, str]] = field(default_factory=list)
    missed_markers: list[tuple[int, str]] = field(default_factory=list)
    extra_markers: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Tally:
    files: int = 0
    unreadable: int = 0
    """Files the oracle could not tokenize (not valid code): not compared."""
    comments: int = 0
    markers: int = 0
    missed: int = 0
    extra: int = 0
    missed_markers: int = 0
    extra_markers: int = 0
    differences: list[Difference] = field(default_factory=list)

    def add(self, oracle: list[lexers.Comment], ours: list[lexers.Comment], path: str) -> None:
        self.files += 1
        theirs_set, ours_set = _keys(oracle), _keys(ours)
        oracle_markers, our_markers = _marker_keys(oracle), _marker_keys(ours)
        self.comments += len(theirs_set)
        self.markers += len(oracle_markers)
        difference = Difference(
            path, sorted(theirs_set - ours_set), sorted(ours_set - theirs_set),
            sorted(oracle_markers - our_markers), sorted(our_markers - oracle_markers))
        self.missed += len(difference.missed)
        self.extra += len(difference.extra)
        self.missed_markers += len(difference.missed_markers)
        self.extra_markers += len(difference.extra_markers)
        if difference.missed or difference.extra:
            self.differences.append(difference)

    def line(self, name: str) -> str:
        return (f"{name}: {self.files} files ({self.unreadable} not valid code, skipped), "
                f"{self.comments} comments: {self.missed} missed, {self.extra} extra; "
                f"{self.markers} markers: {self.missed_markers} missed, {self.extra_markers} extra")


def _keys(comments: list[lexers.Comment]) -> set[tuple[int, str]]:
    """(line, text) of each comment line, blank lines left out."""
    return {(c.line + n, text.strip()) for c in comments for n, text in enumerate(c.lines) if text.strip()}


def _marker_keys(comments: list[lexers.Comment]) -> set[tuple[int, str]]:
    return {(m.line, m.tag) for m in markers.find(comments, TAGS)}


# --- Python: the tokenize module -----------------------------------------------------

PYTHON = lexers.SYNTAXES["python"]


def python_comments(text: str) -> list[lexers.Comment]:
    """The COMMENT tokens of `text`, as the lexer's Comments (docstrings left out)."""
    lines = text.splitlines(keepends=True)
    found = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT:
            row, col = token.start
            before = lines[row - 1][:col] if row - 1 < len(lines) else ""
            found.append(lexers.Comment(row, [token.string[1:]], trailing=bool(before.strip())))
    return found


def our_python_comments(text: str) -> list[lexers.Comment]:
    return [c for c in lexers.comments(text, PYTHON) if not c.doc]


def read(path: Path) -> str:
    text, _ = decode(path.read_bytes(), str(path))
    return text


def compare_python(paths: Iterable[Path], tally: Tally | None = None) -> Tally:
    tally = tally if tally is not None else Tally()
    for path in paths:
        text = read(path)
        try:
            oracle = python_comments(text)
        except (tokenize.TokenError, SyntaxError, IndentationError):
            tally.unreadable += 1
            continue
        tally.add(oracle, our_python_comments(text), str(path))
    return tally


# --- other languages: pygments ----------------------------------------------------------

def pygments_comments(text: str, lexer, syntax: lexers.Syntax) -> list[lexers.Comment]:
    """pygments' comment tokens of `text` as the lexer's Comments, delimiters
    stripped as `syntax` writes them. Preprocessor lines and code that
    pygments shows as a comment (C's `#if 0` blocks: plain `Comment`) are
    not comments."""
    from pygments.token import Comment

    kept = {Comment.Single, Comment.Multiline, Comment.Special, Comment.Doc}
    if syntax.name not in ("c", "cpp"):  # elsewhere plain Comment is a comment (CSS's, say)
        kept.add(Comment)
    if "#" in syntax.line:
        kept.add(Comment.Hashbang)
    starts = [0]
    starts += [at + 1 for at, char in enumerate(text) if char == "\n"]
    found = []
    for offset, value in _joined(lexer.get_tokens_unprocessed(text), kept):
        if not value.strip():
            continue
        line = bisect_right(starts, offset)
        previous = text[starts[line - 2]:starts[line - 1]] if line > 1 else ""
        if _in_directive_string(text[starts[line - 1]:offset], previous):
            continue  # pygments: "//" in a string of a #define is a comment
        found.append(lexers.Comment(line, _without_delimiters(value.rstrip("\n"), syntax)))
    return found


def _joined(tokens, kept):
    """(offset, text) of each comment: some lexers give one comment as several
    tokens ("/*", its text, "*/"); a line comment ends with its newline."""
    start, pieces, end = None, [], None
    for offset, kind, value in tokens:
        if kind in kept and start is not None and offset == end and not pieces[-1].endswith("\n"):
            pieces.append(value)
        else:
            if start is not None:
                yield start, "".join(pieces)
            start, pieces = (offset, [value]) if kind in kept else (None, [])
        end = offset + len(value)
    if start is not None:
        yield start, "".join(pieces)


_DIRECTIVE = re.compile(r"^\s*#")
_IF_ZERO = re.compile(r"^\s*#\s*if\s+0\b")
_IF = re.compile(r"^\s*#\s*if")
_ENDIF = re.compile(r"^\s*#\s*endif\b")


def _in_directive_string(before: str, previous: str) -> bool:
    """Whether a "//" that pygments calls a comment stands inside a string of a
    preprocessor directive (or of its continued line): pygments' mistake."""
    directive = bool(_DIRECTIVE.match(before)) or previous.rstrip().endswith("\\")
    return directive and len(re.findall(r'(?<!\\)"', before)) % 2 == 1


def if_zero_lines(text: str) -> set[int]:
    """Lines inside C's `#if 0` … `#endif`, which pygments shows as one
    comment: the comments there are compared with no oracle."""
    lines, depth = set(), 0
    for number, line in enumerate(text.split("\n"), 1):
        if depth:
            lines.add(number)
            if _IF.match(line):
                depth += 1
            elif _ENDIF.match(line):
                depth -= 1
        elif _IF_ZERO.match(line):
            depth = 1
            lines.add(number)
    return lines


def _without_delimiters(value: str, syntax: lexers.Syntax) -> list[str]:
    for open_, close in syntax.block:
        if value.startswith(open_) and value.endswith(close) and len(value) >= len(open_) + len(close):
            return value[len(open_):len(value) - len(close)].split("\n")
    for opener in syntax.line:
        if value.startswith(opener):
            return value[len(opener):].split("\n")
    return value.split("\n")


def compare_with_pygments(paths: Iterable[Path], syntax: lexers.Syntax, lexer, tally: Tally | None = None) -> Tally:
    tally = tally if tally is not None else Tally()
    for path in paths:
        text = read(path).replace("\r\n", "\n")
        unjudged = if_zero_lines(text) if syntax.name in ("c", "cpp") else set()
        ours = [c for c in lexers.comments(text, syntax) if not c.doc and c.line not in unjudged]
        tally.add([c for c in pygments_comments(text, lexer, syntax) if c.line not in unjudged], ours, str(path))
    return tally


# --- JavaScript: acorn, a JavaScript parser (from npm; run with node) -------------------

ACORN_SCRIPT = Path(__file__).with_name("acorn_comments.js")


def acorn_available(node_path: Path) -> bool:
    return shutil.which("node") is not None and (node_path / "acorn").is_dir()


def acorn_comments(paths: list[Path], node_path: Path) -> dict[str, list[lexers.Comment] | None]:
    """Each file's comments as acorn parses them (None: not valid JavaScript)."""
    result = subprocess.run(["node", str(ACORN_SCRIPT)], input="\n".join(map(str, paths)), capture_output=True,
                            text=True, check=True, env={**os.environ, "NODE_PATH": str(node_path)})
    found: dict[str, list[lexers.Comment] | None] = {}
    for line in result.stdout.splitlines():
        record = json.loads(line)
        found[record["path"]] = None if "error" in record else [
            lexers.Comment(number, text.split("\n"), block=bool(block)) for number, block, text in record["comments"]]
    return found


JAVASCRIPT = lexers.SYNTAXES["javascript"]


def compare_with_acorn(paths: list[Path], node_path: Path, tally: Tally | None = None) -> Tally:
    tally = tally if tally is not None else Tally()
    for path, oracle in acorn_comments(paths, node_path).items():
        if oracle is None:
            tally.unreadable += 1
            continue
        text = read(Path(path)).replace("\r\n", "\n")
        tally.add(oracle, lexers.comments(text, JAVASCRIPT), path)
    return tally
