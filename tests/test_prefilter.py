"""The scan's prefilter: a file is lexed only if a tag stands in it as a word
of its own. It must never drop a file that holds a marker."""

from __future__ import annotations

import codecs
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from sitegen.collectors import lexers, markers, todos
from sitegen.config import TodosConfig

SHARED = todos.settings(TodosConfig())


def test_a_tag_inside_a_word_is_not_a_reason_to_lex():
    for text in (b"todos = []\n", b"XXXL = 3\n", b"debugger;\n", b"my_todo_list()\n", b"fixme2 = 1\n", b"hackathon\n"):
        assert not SHARED.may_have_markers(text), text
    for text in (b"# TODO: x\n", b"TODO", b"x = 1  # fixme", b"/* @todo */", b"-- XXX(alice)\n", b"(todo)"):
        assert SHARED.may_have_markers(text), text


def test_the_comment_lines_after_the_last_tag_still_continue_its_text():
    text = "x = 1\n# TODO: first line\n# second line\n#   third\ny = 2\n# not read\n"
    until = todos.last_tag_offset(text, SHARED.words)
    found = markers.find(lexers.comments(text, lexers.SYNTAXES["python"], until=until), SHARED.tags)
    assert [m.text for m in found] == ["first line\nsecond line\nthird"]


def test_utf16_files_are_decoded_and_lexed(tmp_path):
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        (tmp_path / "wide.py").write_bytes(bom + "x = 1\n# TODO: wide\n".encode(codec))
        found = todos.scan_file(SHARED, ("wide.py", str(tmp_path / "wide.py")))
        assert found.skipped is None and [(t.line, t.text) for t in found.todos] == [(2, "wide")]


PIECES = ["# ", "// ", "/* ", " */", "\n", " ", "TODO", "todo", "Fixme", "XXX", "BUG", "hack", ":", "(a)", "_", "s",
          "x = 1", '"', "'", "@", "-", "é", "\t", "#!", "1", "\n# goes on", "\n// goes on", "\n-- goes on"]


@settings(max_examples=examples(2000))
@given(st.lists(st.sampled_from(PIECES), max_size=30), st.sampled_from(["python", "javascript", "c", "shell", "sql"]))
def test_no_file_with_a_marker_is_filtered_out(pieces, language):
    text = "".join(pieces)
    syntax = lexers.SYNTAXES[language]
    found = markers.find(lexers.comments(text, syntax), SHARED.tags, syntax)
    if found:
        assert SHARED.may_have_markers(text.encode("utf-8"))
    cut = markers.find(lexers.comments(text, syntax, until=todos.last_tag_offset(text, SHARED.words)),
                       SHARED.tags, syntax)
    assert cut == found


WORDISH = [b"todo", b"TODO", b"ToDo", b"debug", b"bug", b"_", b"x", b"1", b" ", b"\n", b"-", b"\xc3\xa9", b"\xff", b"fixme",
           b"hack", b"xxx", b"XXXX", b"@", b"(", b".md"]


@settings(max_examples=examples(3000))
@given(st.lists(st.sampled_from(WORDISH), max_size=12).map(b"".join))
def test_the_prefilter_holds_a_file_in_exactly_when_a_tag_stands_as_a_word(data):
    # An independent reading of the rule: the lowered bytes cut at every byte
    # that is not an ASCII letter, digit or "_" hold a tag as one of the pieces.
    pieces = set(re.split(rb"[^a-z0-9_]+", data.lower()))
    assert SHARED.may_have_markers(data) == any(tag.lower().encode() in pieces for tag in markers.DEFAULT_TAGS)


@settings(max_examples=examples(2000))
@given(st.lists(st.sampled_from(PIECES + ["\ufeff", "ü"]), max_size=30).map("".join))
def test_the_last_tags_offset_from_the_bytes_is_the_texts(text):
    data = text.encode("utf-8")
    decoded = data.decode("utf-8")
    lowered = SHARED.lowered_if_marked(data)
    if lowered is not None:
        assert SHARED.last_tag_offset(data, lowered, decoded) == todos.last_tag_offset(decoded, SHARED.words)
