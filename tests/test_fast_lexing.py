"""The lexer's fast paths against its plain reference.

The master regex skips, inside the regex engine, the literals the lexer need
not look at and (when scanning for markers) the comments that cannot open
one. Both must change nothing a user sees: the skipping lexer gives the very
comments of the plain one (a regex searched for each literal and comment),
and the scan for markers finds the same markers, with the same text.
bench/fast_paths.py makes the same comparisons on every file of real code.
"""

from __future__ import annotations

import re
import sys
import sysconfig
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import examples
from sitegen.collectors import lexers, markers, todos
from sitegen.config import TodosConfig

SHARED = todos.settings(TodosConfig())
SYNTAXES = sorted(lexers.SYNTAXES)


QUOTES = ('"', "'", "`", '"""', "'''", "${", "}", "{", "/", "\\", 'r#"', "[[", "]]", "<script>", "</script>", '@"')
PIECES = ["\n", "\r\n", " ", "\t", "TODO", "todo", "Fixme", "XXX", "BUG", "hack", ":", "(a)", "@", "-", "*", "é",
          "x = 1", "text", "TODOS", "\n    ", "\n# ", "\n// ", "\n * ", "\n-- "]


def _delimiters(syntax: lexers.Syntax) -> list[str]:
    found = set(syntax.line) | set(syntax.line_start)
    for pair in syntax.block + syntax.block_line_start:
        found.update(pair)
    return sorted(found) or ["#"]


@st.composite
def sources(draw) -> tuple[str, str]:
    """(syntax name, text): pieces of code, quotes and tags, and comment
    openings in that syntax (a delimiter, decoration and a tag, or not), so
    that comments which open markers are common."""
    name = draw(st.one_of(st.sampled_from(["python", "c", "javascript", "shell", "html", "sql"]),
                          st.sampled_from(SYNTAXES)))
    delimiters = _delimiters(lexers.SYNTAXES[name])
    opening = st.tuples(st.sampled_from(delimiters + ['"""', "'''", "\n", "\n * ", "\n  "]), st.sampled_from(["", " ", " * ", "@", "-- ", "\t"]),
                        st.sampled_from(["TODO", "fixme", "Bug", "xxx", "note", ""]),
                        st.sampled_from(["", ": x", " y", "(a)", ":"])).map("".join)
    pieces = st.sampled_from(PIECES + delimiters + list(QUOTES))
    return name, "".join(draw(st.lists(st.one_of(pieces, opening), max_size=40)))


@settings(max_examples=examples(3000))
@given(sources())
@example(("python", '"""TODO#TODO\\'))  # a backslash ends the text inside an open docstring
def test_the_skipping_lexer_finds_the_comments_of_the_plain_one(source):
    name, text = source
    syntax = lexers.SYNTAXES[name]
    assert lexers.comments(text, syntax) == lexers.comments(text, syntax, skipping=False)


@settings(max_examples=examples(3000))
@given(sources())
def test_leaving_out_comments_that_cannot_open_a_marker_loses_no_marker(source):
    name, text = source
    syntax = lexers.SYNTAXES[name]
    whole = markers.find(lexers.comments(text, syntax, skipping=False), SHARED.tags, syntax)
    fast = markers.find(lexers.comments(text, syntax, until=todos.last_tag_offset(text, SHARED.words),
                                        opens=SHARED.opens), SHARED.tags, syntax)
    assert fast == whole


def test_the_decoration_class_holds_every_space_but_the_newline():
    every_character = "".join(map(chr, range(sys.maxunicode + 1)))
    in_class = set(re.findall(f"[{markers._SPACES_BUT_NEWLINE}]", every_character))
    assert in_class == {char for char in every_character if char.isspace()} - {"\n"}


def _markers(text: str, name: str) -> list[tuple[int, str]]:
    syntax = lexers.SYNTAXES[name]
    found = markers.find(lexers.comments(text, syntax, opens=SHARED.opens), SHARED.tags, syntax)
    return [(m.line, m.text) for m in found]


def test_a_marker_keeps_the_comment_lines_after_it_that_hold_no_tag():
    text = "x = 1\n# just prose\n# TODO: first\n# second\n#   third\ny = 2  # trailing prose\n# more prose\n"
    assert _markers(text, "python") == [(3, "first\nsecond\nthird")]


def test_markers_in_docstring_and_block_bodies_are_found_when_their_first_line_holds_none():
    python = 'def f():\n    """Summary.\n\n    TODO: document the rest\n    of it.\n    """\n'
    assert _markers(python, "python") == [(4, "document the rest\nof it.")]
    c = "/*\n * Overview.\n * FIXME: leaks on error\n */\nint x;\n"
    assert _markers(c, "c") == [(3, "leaks on error")]
    escaped = 'x = 1\n"""A \\\nTODO: after a continued line"""\n'
    assert _markers(escaped, "python") == [(3, "after a continued line")]


def test_a_comment_just_before_a_slash_still_tells_division_from_a_regex():
    # "a // see:" then "/ 2": the code before the "/" is "a" (division), not the
    # comment's ":" (a regex literal, which would swallow the string's quote).
    text = 'x = a // see:\n/ 2; y = "//" // TODO: real\n'
    assert _markers(text, "javascript") == [(2, "real")]


def test_the_lexers_agree_on_a_sample_of_the_standard_library():
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in stdlib.rglob("*.py") if "site-packages" not in p.parts)[::15]
    with_markers = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        plain = lexers.comments(text, lexers.SYNTAXES["python"], skipping=False)
        assert lexers.comments(text, lexers.SYNTAXES["python"]) == plain, path
        whole = markers.find(plain, SHARED.tags)
        fast = markers.find(lexers.comments(text, lexers.SYNTAXES["python"], opens=SHARED.opens), SHARED.tags)
        assert fast == whole, path
        with_markers += bool(whole)
    assert len(files) > 50 and with_markers > 10


def test_a_tag_that_case_folds_from_another_letter_is_not_skipped():
    # The regex engine folds "ſ" (long s) to "s" and the Kelvin sign to "k", as the tag matcher does.
    shared = todos.settings(TodosConfig(tags=(("SAFETY", "P3"), ("KLUDGE", "P3"))))
    python = lexers.SYNTAXES["python"]
    for text in ("x = 1\n# \u017fafety: check bounds\n", "x = 1\n# \u212aLUDGE: fix later\n"):
        whole = markers.find(lexers.comments(text, python, skipping=False), shared.tags, python)
        fast = markers.find(lexers.comments(text, python, opens=shared.opens), shared.tags, python)
        assert fast == whole and len(whole) == 1, text


def test_a_prefixed_docstring_is_a_docstring():
    python = lexers.SYNTAXES["python"]
    assert [(c.line, c.lines, c.doc) for c in lexers.comments('def f():\n    r"""TODO: raw \\d"""\n', python)] == [
        (2, ["TODO: raw \\d"], True)]
    assert lexers.comments('x = r"""TODO: a value"""\nar"""y"""\n', python) == []
