"""The comment lexers against real tokenizers on real code every machine has:
Python's `tokenize` on the interpreter's standard library and the test
venv's site-packages, acorn (a JavaScript parser, installed by scripts/test)
on the JavaScript of npm packages, pygments on the interpreter's C headers.
A sample here; bench/differential.py reads every file and prints figures.

Comments must be the oracle's, line for line: none missed, none extra,
except where the oracle is known to be wrong (listed below, each checked by hand).
"""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

import oracles
from conftest import is_thorough

REPO = Path(__file__).resolve().parent.parent
NODE_PATH = REPO / ".venv" / "oracles" / "node_modules"


EVERY = 1 if is_thorough() else 10
"""Of the interpreter's files, every tenth is compared in the default run, all in the thorough one."""


def sample(paths, every: int) -> list[Path]:
    """Every `every`-th file, in sorted order: the same sample on every run."""
    return sorted(paths)[::every]


def _assert_same(tally: oracles.Tally, known_oracle_mistakes=frozenset()) -> None:
    unexplained = [(d.path, d.missed, d.extra) for d in tally.differences
                   if {(Path(d.path).name, line) for line, _ in d.missed + d.extra} - known_oracle_mistakes]
    assert unexplained == [], tally.line("")
    assert tally.files > 0 and tally.comments > 0


@pytest.mark.heavy
def test_python_comments_are_tokenizes_on_the_standard_library():
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = [p for p in stdlib.rglob("*.py") if "site-packages" not in p.parts]
    tally = oracles.compare_python(sample(files, EVERY))
    _assert_same(tally)
    assert tally.files > 150 and tally.markers > 30


def test_python_comments_are_tokenizes_on_site_packages():
    tally = oracles.compare_python(sample(Path(sysconfig.get_paths()["purelib"]).rglob("*.py"), EVERY))
    _assert_same(tally)
    assert tally.files > 100


def test_c_comments_are_pygments_on_the_interpreters_headers():
    from pygments.lexers import CLexer

    headers = Path(sysconfig.get_paths()["include"])
    # pygments misses a "//" comment between a function's name and its "(".
    mistakes = {("pycore_object.h", 122), ("pycore_object.h", 158)}
    tally = oracles.compare_with_pygments(sorted(headers.rglob("*.h")), oracles.lexers.SYNTAXES["c"],
                                          CLexer(stripnl=False, ensurenl=False))
    _assert_same(tally, mistakes)
    assert tally.files > 100


@pytest.mark.skipif(not oracles.acorn_available(NODE_PATH), reason="node or acorn (scripts/test installs it) missing")
def test_javascript_comments_are_acorns_on_npm_packages():
    files = [p for p in NODE_PATH.rglob("*") if p.suffix in (".js", ".mjs", ".cjs") and p.is_file()]
    tally = oracles.compare_with_acorn(sample(files, 1 if is_thorough() else 4), NODE_PATH)
    _assert_same(tally)
    assert tally.files > 100


def test_a_backslash_at_a_line_end_in_a_docstring_keeps_the_lexer_in_step():
    text = 'def f():\n    """Paths are relative \\\n    paths."""\n\n# TODO: still found\nx = "a\\\nb"  # FIXME: too\n'
    assert [(c.line, c.lines) for c in oracles.our_python_comments(text)] == [
        (5, [" TODO: still found"]), (7, [" FIXME: too"])]


def test_a_regex_literal_after_a_comment_line_is_a_regex():
    text = "const rules = [\n  // a leading slash\n  /^\\//,\n  // TODO: next\n];\n"
    found = oracles.lexers.comments(text, oracles.JAVASCRIPT)
    assert [(c.line, c.lines) for c in found] == [(2, [" a leading slash"]), (4, [" TODO: next"])]


def test_a_template_in_a_templates_substitution_keeps_the_lexer_in_step():
    text = "const a = `x${ cond ? `inner ${b /* in code */}` : '' }y`;\n// TODO: after\n"
    found = oracles.lexers.comments(text, oracles.JAVASCRIPT)
    assert [(c.line, c.lines) for c in found] == [(1, [" in code "]), (2, [" TODO: after"])]


def test_lexing_stops_after_the_last_tag_without_losing_a_marker_or_its_text():
    from sitegen.collectors import todos

    words = tuple(t.lower() for t in oracles.markers.DEFAULT_TAGS)
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    compared = 0
    for path in sample((p for p in stdlib.rglob("*.py") if "site-packages" not in p.parts), EVERY):
        text = oracles.read(path)
        whole = oracles.markers.find(oracles.lexers.comments(text, oracles.PYTHON), oracles.TAGS)
        until = todos.last_tag_offset(text, words)
        cut = oracles.markers.find(oracles.lexers.comments(text, oracles.PYTHON, until=until), oracles.TAGS)
        assert cut == whole, path
        compared += bool(whole)
    assert compared > 15
