"""Highlighting's lexing loop (sitegen/site/lexing.py) against pygments' own.

The loop tries only the rules that can match at the next character, so it must
give pygments' very tokens: on real files of several languages, on generated
text for the lexers of the languages users bring most, and for every state
pygments starts in. The character sets it reads from rules' patterns must
hold every character a match can start with. bench/highlight_lexing.py
compares whole trees (the standard library, Go's sources, node_modules).
"""

from __future__ import annotations

import functools
import re
import subprocess
import sysconfig
from pathlib import Path

import pygments
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.util import ClassNotFound

from conftest import examples, is_thorough
from sitegen.site.lexing import accelerated, first_codes
from sitegen.site.highlight import lexer_for

REPO = Path(__file__).resolve().parent.parent
# The lexers of the languages most trees hold, each using pygments' own loop.
ALIASES = ("python", "javascript", "typescript", "tsx", "go", "rust", "java", "kotlin", "csharp", "scala", "bash",
           "html", "css", "scss", "markdown", "toml", "ini", "sql", "docker", "haskell", "erlang", "dart", "xml",
           "vue", "jinja", "powershell", "perl", "r", "julia", "groovy", "nix", "graphql", "protobuf", "rst")


@functools.cache
def _pair(alias: str):
    """(pygments' lexer, the same lexer with the new loop), made once: sorting
    a state's rules is the slow part, as in a build."""
    return get_lexer_by_name(alias, stripnl=False), accelerated(get_lexer_by_name(alias, stripnl=False))


def _tokens(lexer, text: str, stack=None) -> list:
    return list(lexer.get_tokens_unprocessed(text) if stack is None else lexer.get_tokens_unprocessed(text, stack))


def _is_accelerated(lexer) -> bool:
    return isinstance(lexer.get_tokens_unprocessed, functools.partial)


def _real_files() -> list[Path]:
    """The repository's own files of every kind, and a sample of the standard library."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    own = [REPO / name for name in sorted(listed.decode().split("\0"))
           if name and not name.startswith(("tests/fixtures/", "themes/default/static/vendor/")) and not name.endswith(".png")]
    stdlib = sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))
    return own + stdlib[:: 1 if is_thorough() else 40]


def test_real_files_give_pygments_tokens():
    files = _real_files()
    assert len(files) > 100
    compared, lexers = 0, {}
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        text = text if is_thorough() else text[:3000]  # pygments' own loop takes 25 s for the stdlib
        try:
            reference = get_lexer_for_filename(path.name, stripnl=False)
        except ClassNotFound:
            continue
        if type(reference) not in lexers:
            lexers[type(reference)] = accelerated(get_lexer_for_filename(path.name, stripnl=False))
        fast = lexers[type(reference)]
        assert _tokens(fast, text) == _tokens(reference, text), path
        compared += _is_accelerated(fast)
    assert compared > 100  # most of them went through the new loop


CODE = st.lists(st.sampled_from([
    "\n", " ", "\t", "x", "def ", "class ", "fn ", "function ", "let ", "var ", "if ", "else", "return ", "import ",
    "0", "42", "3.14", "0x1F", "1e9", "'", '"', '"""', "`", "${", "}", "{", "(", ")", "[", "]", "<", ">", "</", "/>",
    "=", "==", "=>", "->", "+", "-", "*", "/", "//", "/*", "*/", "#", "--", "<!--", "-->", "%", "@", "\\", ";", ":",
    ",", ".", "!", "?", "&", "|", "^", "~", "$", "é", "Ω", "日本", "\u212a", "\u017f", "TODO", "r'", "f\"", "b'", "::",
    "<div class=\"a\">", "<?php", "?>", "{{", "}}", "{%", "%}", "&amp;", "\r\n", "\\n", "[[", "]]", "#!/bin/sh",
]), max_size=60).map("".join)


@settings(max_examples=examples(1500))
@given(alias=st.sampled_from(ALIASES), text=CODE)
@example(alias="python", text='x = f"{a!r:>{w}}"  # TODO\n')
@example(alias="css", text="a { width: 100%; }\n")
@example(alias="html", text="<script>let a = `${b}`</script><style>p{}</style>\n")
def test_generated_code_gives_pygments_tokens(alias, text):
    reference, fast = _pair(alias)
    assert _tokens(fast, text) == _tokens(reference, text)


@settings(max_examples=examples(1000))
@given(alias=st.sampled_from(ALIASES), text=CODE, data=st.data())
def test_every_starting_state_gives_pygments_tokens(alias, text, data):
    reference, fast = _pair(alias)
    state = data.draw(st.sampled_from(sorted(reference._tokens)))
    assert _tokens(fast, text, ("root", state)) == _tokens(reference, text, ("root", state))


def test_snippets_are_highlighted_as_pygments_highlights_them():
    text = (REPO / "sitegen/site/highlight.py").read_text(encoding="utf-8")
    formatter = HtmlFormatter(linenos="inline", cssclass="highlight", wrapcode=True)
    reference = get_lexer_for_filename("highlight.py", stripnl=False, stripall=False)
    assert _is_accelerated(lexer_for("sitegen/site/highlight.py"))
    assert pygments.highlight(text, lexer_for("highlight.py"), formatter) == pygments.highlight(text, reference,
                                                                                                formatter)


def test_the_common_languages_get_the_new_loop():
    assert all(_is_accelerated(accelerated(get_lexer_by_name(alias))) for alias in ALIASES)


def test_lexers_with_their_own_loop_keep_it():
    assert not _is_accelerated(accelerated(get_lexer_by_name("c")))
    assert _is_accelerated(accelerated(get_lexer_by_name("go")))


# --- the characters a rule's match can start with -------------------------------------------

def _codes(pattern: str, flags: int = 0) -> str | None:
    found = first_codes(re.compile(pattern, flags))
    return None if found is None else "".join(sorted(map(chr, found)))


def test_first_characters_read_from_patterns():
    assert _codes(r"def\b") == "d"
    assert _codes(r"(?i)(rb|br|r)(''')") == "BRbr"
    assert _codes(r"\s*#") == "".join(sorted("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f #"))
    assert _codes(r"(?=[ab])[a-z]+") == "abcdefghijklmnopqrstuvwxyz"  # a lookahead only narrows
    assert _codes(r"(?<=\.)\w") == _codes(r"\w")
    assert _codes(r"(?:x|)y") == "xy"
    assert _codes(r"(?i:k)") == "Kk"
    assert _codes("\u212a", re.I) == "Kk"  # the Kelvin sign matches k and K when case is ignored
    assert _codes(r"[^a-y\s]") is not None and "a" not in _codes(r"[^a-y\s]") and " " not in _codes(r"[^a-y\s]")
    assert _codes(r"é") == ""  # starts only with a character beyond ASCII
    # A match may start anywhere: it can be empty, or uses a construct not followed.
    assert _codes(r"(a)\1") == "a"
    for pattern in ("", r"\s*", r"(a)?\1", r"(x)?(?(1)a|b)", r"a?"):
        assert _codes(pattern) is None, pattern


PIECES = st.sampled_from(["a", "b", "K", "k", " ", "\n", "\\s", "\\w", "\\d", "\\W", ".", "[a-c]", "[^b]", "[\\s_]",
                          "(?i:", "(?:", "(", ")", "|", "*", "+", "?", "{0,2}", "^", "$", "\\b", "(?=a)", "(?!b)",
                          "(?<=a)", "é", "\u212a", "\u017f", "-", "#"])


@settings(max_examples=examples(5000))
@given(pieces=st.lists(PIECES, max_size=12), flags=st.sampled_from([0, re.I, re.M, re.S, re.I | re.S]),
       text=st.text(alphabet="abkK \n_-#1éſ\u212a", max_size=8))
def test_a_match_starts_with_a_character_read_from_its_pattern(pieces, flags, text):
    try:
        pattern = re.compile("".join(pieces), flags)
    except re.error:
        return
    codes = first_codes(pattern)
    for pos in range(len(text) + 1):
        m = pattern.match(text, pos)
        if m and codes is not None:
            assert pos < len(text) and (ord(text[pos]) >= 128 or ord(text[pos]) in codes), (pattern, text, pos)

