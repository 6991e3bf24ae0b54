"""Highlighting of source context: the lexer chosen for a file name."""

from __future__ import annotations

import re

import pytest
from pygments.lexers import TextLexer, get_all_lexers, get_lexer_for_filename
from pygments.util import ClassNotFound

from sitegen.site.todo_pages import _lexer


def _pygments_choice(name: str) -> type:
    try:
        return type(get_lexer_for_filename(name))
    except ClassNotFound:
        return TextLexer


def _names() -> list[str]:
    """A file name for every filename pattern pygments knows, and a few more."""
    names = {"Makefile", "CMakeLists.txt", "notes.txt", ".bashrc", "page.html.j2", "archive.tar.gz", "README",
             "Dockerfile", "x.PY", "a.b.c.py", ".hidden.py", "noext.", "weird name #1?.rs"}
    for _, _, patterns, _ in get_all_lexers():
        for pattern in patterns:
            names.add(re.sub(r"\[(.)[^\]]*\]", r"\1", pattern).replace("*", "file").replace("?", "x"))
    return sorted(names)


@pytest.mark.parametrize("folder", ["", "src/deep/"])
def test_lexer_lookup_by_extension_agrees_with_pygments(folder):
    names = _names()
    assert len(names) > 800
    disagreements = [name for name in names if type(_lexer(folder + name)) is not _pygments_choice(name)]
    assert disagreements == []
