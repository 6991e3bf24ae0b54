"""A TODO's text: the comment lines after the marker, up to commented-out code.

Each example is a comment whose first line is a marker. CODE examples have
a line of commented-out code after one line of prose: the text must stop
before it. PROSE examples are lines that look a little like code (brackets,
colons, code spans, URLs, `=`) but are prose: the text must keep them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import run_sitegen
from sitegen.collectors import commented_code, lexers, markers

TAGS = markers.matcher(markers.DEFAULT_TAGS)

# How each language writes a run of line comments, and a block comment where it has one.
LINE = {"py": "# ", "js": "// ", "c": "// ", "sh": "# ", "sql": "-- ", "rb": "# ", "go": "// ", "lua": "-- ",
        "Dockerfile": "# "}
BLOCK = {"js": ("/* ", " * ", " */"), "c": ("/* ", " * ", " */"), "sql": ("/* ", "   ", " */"),
         "html": ("<!-- ", "  ", "-->")}


def file_name(ext: str) -> str:
    return ext if ext == "Dockerfile" else f"example.{ext}"


def texts(name: str, source: str, with_syntax: bool = True) -> list[str]:
    syntax = lexers.syntax_for(name, source.partition("\n")[0], text=source)
    found = markers.find(lexers.comments(source, syntax), TAGS, syntax if with_syntax else None)
    return [marker.text for marker in found]


def line_comment(ext: str, lines: list[str]) -> str:
    return "".join(f"{LINE[ext]}{line}\n" for line in lines) + "\n"


def block_comment(ext: str, lines: list[str]) -> str:
    first, middle, last = BLOCK[ext]
    return first + lines[0] + "\n" + "".join(f"{middle}{line}\n" for line in lines[1:]) + last + "\n"


# (language, a line of commented-out code)
CODE = [
    # Python: parsed; must be a statement prose does not make.
    ("py", "from boxsdk import Client"),
    ("py", "import os"),
    ("py", 'client_id = ""'),
    ("py", "client = Client(auth)"),
    ("py", "self.retries += 1"),
    ("py", "return cached"),
    ("py", "raise NotImplementedError"),
    ("py", "if token.expired():"),
    ("py", "else:"),
    ("py", "for row in rows:"),
    ("py", "def refresh(self):"),
    ("py", "with open(path) as handle:"),
    ("py", "client = Client("),
    ("py", "log.debug('refreshed %s', name)"),
    ("py", "timeout: int = 30"),
    ("py", "Handler(STRICT_MODE),"),
    ("py", "'linux': ['make', 'ninja'],"),
    ("py", ">>> refresh(token)"),
    # C and JavaScript line comments.
    ("c", "#include <openssl/ssl.h>"),
    ("c", "#define MAX_RETRIES 3"),
    ("c", "free(buffer);"),
    ("c", "int retries = 0;"),
    ("c", "for (i = 0; i < n; i++) {"),
    ("c", "}"),
    ("c", "return -1;"),
    ("js", "const client = new Client(auth);"),
    ("js", "client.refresh(token)"),
    ("js", "if (expired) {"),
    ("js", "} else {"),
    ("js", "});"),
    ("js", "import { Client } from './client';"),
    ("js", "let retries = 0"),
    ("js", "retries++;"),
    ("js", "break;"),
    ("js", "console.log(\"refreshing the token now\");"),
    ("js", "items.map(item => item.id).filter(Boolean)"),
    ("js", '"timeout": 30,'),
    ("js", "<Banner title={title} />"),
    ("go", "if err != nil {"),
    ("go", "x := compute(y)"),
    # Shell, Makefile and Dockerfile comments.
    ("sh", 'rm -rf "$CACHE_DIR"'),
    ("sh", "export API_URL=https://example.org"),
    ("sh", "API_KEY=secret"),
    ("sh", "if [ -f .env ]; then"),
    ("sh", "fi"),
    ("sh", "cd build && make install"),
    ("sh", "git push --force origin main"),
    ("sh", "./configure --prefix=/usr"),
    ("Dockerfile", "RUN apt-get install -y curl"),
    ("Dockerfile", "EXPOSE 8080"),
    # SQL line comments.
    ("sql", "SELECT * FROM legacy_users;"),
    ("sql", "DROP TABLE sessions;"),
    ("sql", "UPDATE users SET active = 1"),
    ("sql", "WHERE created_at < now()"),
    ("sql", "select count(*) from users;"),
    # Ruby and Lua close blocks with `end`.
    ("rb", "end"),
    ("lua", "end"),
    ("lua", "local retries = 0"),
]

# (language, a prose line that must stay part of the text)
PROSE = [(ext, line) for ext in ("py", "js", "c", "sh", "sql", "rb", "go") for line in [
    "the parser (see issue #12) should handle this",
    "e.g. foo() returns None here",
    "and then retry:",
    "e.g. x = 1 is wrong",
    "x = 1 is wrong",
    "(optional)",
    "Done (mostly)",
    "Note: the order matters",
    "Example: foo",
    "if needed:",
    "with care:",
    "use `client.refresh()` instead",
    "`x = compute(y)` must run first",
    "see https://example.org/issues?id=12&page=(2)",
    "Blocked on: https://github.com/example/sdk/pull/7",
    "size = 0 means unlimited",
    "foo() -> bar() -> baz()",
    "foo(bar) or baz(qux)",
    "log(the thing we never use)",
    "foo(), bar() and baz() all need this",
    "callers must check err != nil",
    "returns {a, b} in that order",
    "it's O(n^2) right now",
    "once the SDK supports refresh tokens;",
    "we keep the old value;",
    "legal for arrays, e.g. canReplace in Simplify.cpp);",
    "easily support this ;-(",
    "this is a hack; remove it",
    "(cf. RFC 7231, section 6.5.1)",
    "The answer = 42",
    "make sure it works on arm64",
    "cd into the folder first",
    "git doesn't like this",
    "files go under $HOME/.cache",
    "select the rows from the old table",
    "DROP this once the migration ran",
    "OR we could cache it (later)",
    "update the docs",
    "end of the workaround (see #3)",
    "x, y and z",
    '"this": is what they said,',
]]


@pytest.mark.parametrize(("ext", "code"), CODE, ids=[f"{e}: {c}" for e, c in CODE])
def test_commented_out_code_ends_the_text(ext, code):
    lines = ["TODO: remove this block once the SDK refreshes tokens", "and the cache is warm", code,
             "prose after the code is not the TODO's either"]
    assert texts(file_name(ext), line_comment(ext, lines)) == [
        "remove this block once the SDK refreshes tokens\nand the cache is warm"]


@pytest.mark.parametrize(("ext", "prose"), PROSE, ids=[f"{e}: {p}" for e, p in PROSE])
def test_prose_continues_the_text(ext, prose):
    lines = ["TODO: rework the retry loop", prose, "and the last line"]
    assert texts(file_name(ext), line_comment(ext, lines)) == [f"rework the retry loop\n{prose}\nand the last line"]


BLOCKS = [
    ("c", ["FIXME: drop after the migration", "keep in sync with (see #4):", "old_init(&ctx);", "more"],
     "drop after the migration\nkeep in sync with (see #4):"),
    ("c", ["TODO: enable when the vendor fixes it", "#include <vendor/fixed.h>"], "enable when the vendor fixes it"),
    ("js", ["TODO: restore the banner", "when marketing approves (Q3)", "renderBanner(props);"],
     "restore the banner\nwhen marketing approves (Q3)"),
    ("sql", ["TODO: drop once the reports moved", "e.g. the weekly view", "SELECT * FROM weekly;"],
     "drop once the reports moved\ne.g. the weekly view"),
    ("html", ["TODO: restore the banner", "when marketing approves", '<div class="banner">', "</div>"],
     "restore the banner\nwhen marketing approves"),
    ("html", ["TODO: restore the banner", "see <https://example.org/x> first", "and then (maybe) the footer:"],
     "restore the banner\nsee <https://example.org/x> first\nand then (maybe) the footer:"),
]


@pytest.mark.parametrize(("ext", "lines", "expected"), BLOCKS, ids=[f"{b[0]}: {b[1][-1]}" for b in BLOCKS])
def test_block_comments(ext, lines, expected):
    assert texts(file_name(ext), block_comment(ext, lines)) == [expected]


def test_python_docstrings_stop_at_doctest_and_code_lines():
    source = 'def f():\n    """TODO: accept bytes\n    as well as text\n    >>> f(b"x")\n    """\n'
    assert texts("example.py", source) == ["accept bytes\nas well as text"]


def test_the_issue_example_and_a_following_marker():
    source = (
        "# TODO: remove this block once the SDK supports refresh tokens\n"
        "# from boxsdk import Client\n"
        '# client_id = ""\n'
        "# client = Client(auth)\n"
        "# FIXME: the next marker still counts\n"
        "#   with its own prose\n"
    )
    assert texts("example.py", source) == [
        "remove this block once the SDK supports refresh tokens", "the next marker still counts\nwith its own prose"]


def test_without_a_syntax_the_text_runs_on_as_before():
    source = "# TODO: remove this block\n# from boxsdk import Client\n"
    assert texts("example.py", source, with_syntax=False) == ["remove this block\nfrom boxsdk import Client"]


def test_odd_lines_are_judged_without_errors_or_warnings(recwarn):
    is_code = commented_code.judge("python")
    odd = ["x = '\\d'", "y = 1if x else 2", "(" * 300 + ")" * 300, "x = 1\0", "a" * 5000 + " = 1", "\\", "#", "𝔁 = 1",
           "lambda: (yield)", "print >>sys.stderr, x", "match x:", "case _:", "type X = int"]
    for line in odd:
        is_code(line, line)
    for name in ("c", "shell", "sql", "generic", "ruby", "html"):
        for line in odd:
            commented_code.judge(name)(line, line)
    assert not [w for w in recwarn if issubclass(w.category, (SyntaxWarning, DeprecationWarning))]


def test_a_build_shows_the_text_without_the_commented_out_code(tmp_path: Path):
    (tmp_path / "auth.py").write_text(
        "# TODO: remove this block once the SDK supports refresh tokens\n"
        "#   (see #12): the parser should cope\n"
        "# from boxsdk import Client\n"
        "# client = Client(auth)\n"
        "x = 1\n", encoding="utf-8")
    result = run_sitegen("collect", "--only", "todos", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    items = yaml.safe_load((tmp_path / "content/todos.yaml").read_text(encoding="utf-8"))["items"]
    assert [item["text"] for item in items] == [
        "remove this block once the SDK supports refresh tokens\n(see #12): the parser should cope"]
