"""What the fuzz tests feed each parser, and what they check of the result.

Shared by tests/test_fuzz.py (a few hundred examples per parser, in the
suite) and bench/fuzz.py (100,000 per parser, by hand). Each TARGETS entry
is (strategy, check): `check(example)` runs the parser and everything that
consumes its result (the content writer and reader, the page that shows it)
and raises AssertionError when a promise is broken. The only exception a
parser may raise is SitegenError.

The strategies build inputs from the pieces that matter to each parser
(list markers, checkboxes, quotes, fences, SARIF fields of the wrong type,
YAML anchors and tags…), nested deep and repeated long, rather than
random characters alone.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import marshal
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml
from hypothesis import strategies as st

from sitegen import content, history, yamlio
from sitegen.collectors import checklists, lexers, markers, reports, sarif
from sitegen.config import DEFAULT_SEVERITY_PRIORITIES, config_from_text
from sitegen.errors import SitegenError
from sitegen.model import Todo
from sitegen.site import trends
from sitegen.site.markup import MAX_MARKDOWN, inline_html, markdown_it_html
from sitegen.triage import Triage, parse_triage

PRIORITIES = dict(DEFAULT_SEVERITY_PRIORITIES)

# --- text pieces ---------------------------------------------------------------

# Text as read from a file: any character but a surrogate (decoding never makes one).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
# JSON and YAML escapes can spell surrogates, paired or not.
ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=20)

WORDS = [
    "Fix the login bug", "P1", "P0", "[P2]", "(A)", "🔺", "⏫", "🔽", "priority: high", "Priority 2 (High)",
    "High Priority", "Critical", "critical:", "High:", "**CRITICAL** —", "Medium -", "low", "info",
    "@alice", "@a.b-c", "#ux", "#123", "due:2025-01-01", "due: 2025-13-45", "📅 2025-01-01",
    "`src/app.py:12`", "`db/schema.sql`", "`../../etc/passwd`", "`/abs/path.py`", "`a`b``", "``x``", "`",
    "[docs](https://example.org/d)", "[rel](../PLAN.md)", "[js](javascript:alert(1))", "[d](data:text/html,x)",
    "<https://example.org>", "<javascript:alert(1)>", "https://example.org/a_b?q=1#f", "mailto:a@b.c",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "&amp;", "&#x6A;",
    "**bold**", "*em*", "_em_", "__b__", "~~struck~~", "✅", "✅ COMPLETED", "(Done)", "Fixed:", "Resolved -",
    "(3/4)", "[12/20]", "Completed: 12", "Done: 99999999999999999999999", "(1/0)",
    "Phase 1:", "PHASE 0.5:", "Stage 2", "Milestone 3 -", "v1.0", "Version 2.1.3 —", "## PHASE 3: X",
    "**File:**", "**Files:** `a.py`, `b.py:3-9`", "**Description:**", "**Impact:**", "**Labels:**",
    "**Estimated Effort:**", "**Severity:** high", "**Priority:** P1", "**Acceptance Criteria:**",
    "**Total TODOs:** 12", "**Total items found**: 3", "(6 TODOs)", "- 12 Items", "Reference:",
    "TODO:", "FIXME(alice):", "# TODO PAN-83: x", "XXX", "é", "😀", "\u200b", "\u2028", "\x85", "\x00", "\r",
    "\t", "\\", "\\[", "|", "::", "{{x}}", "{% x %}", "${x}", "1) Title", "1. Title", "2026 goals",
]
WORD = st.sampled_from(WORDS)
PHRASE = st.lists(st.one_of(WORD, WORD, TEXT), max_size=5).map(" ".join)

# Chunks repeated many times make the long lines that catastrophic regex
# backtracking needs.
REPEATED = st.tuples(
    st.sampled_from([" ", "\t", "`", "``", "```", "*", "**", "_", "[", "](", "[](", "<", "<https:", "(", "#",
                     "@", "~~", ">", "- ", "[ ] ", "|", ":", "\\", "\\`", "!", "done ", "priority ", "P1 ",
                     "a", "1", "/", "- [", "**a", "[a](", "<!--", "-->", "```\n", "    ", "> - [ ] ",
                     "high ", "(high ", "**total ", "items ", " ! **AB**", "overall ", "`a` and ", "(fixed in "]),
    st.integers(50, 3000),
).map(lambda t: t[0] * t[1])


# --- Markdown --------------------------------------------------------------------

INDENT = st.sampled_from(["", "", "", " ", "  ", "   ", "    ", "      ", "        ", "\t", "  \t"])
QUOTE = st.sampled_from(["", "", "", "> ", ">", "> > ", ">>> "])
MARKER = st.sampled_from(["- ", "* ", "+ ", "1. ", "2) ", "10. ", "-", "- ", "-  "])
BOX = st.sampled_from(["[ ] ", "[x] ", "[X] ", "", "", "[]", "[ x] ", "[x]"])
HEADING = st.sampled_from(["# ", "## ", "### ", "#### ", "###### ", "####### ", "#", " # "])

LINE = st.one_of(
    st.tuples(QUOTE, INDENT, MARKER, BOX, PHRASE).map("".join),                    # list items and tasks
    st.tuples(QUOTE, HEADING, PHRASE, st.sampled_from(["", " #", " ##"])).map("".join),
    st.tuples(QUOTE, INDENT, PHRASE).map("".join),                                  # paragraphs
    st.sampled_from([
        "", "", "", "---", "***", "___", "===", "- - -", "```", "```python", "~~~", "````", "  ```",
        "<!--", "<!-- - [ ] hidden -->", "-->", "<div>", "</div>", "<script>", "</script>",
        "| Category | Count |", "|---|---|", "| Security | 6 |", "| **Total** | 12 |", "| a | ² |",
        "[ref]: https://example.org", "[x]: javascript:alert(1)", "    indented code", "\t- [ ] tab",
        "title: x", "...", "\\", "- [ ]", "> - [x] quoted", "1. [ ] ordered",
        # the report shapes: fields under a heading, tables of findings, alerts, totals, scores, trackers
        "### [H-01] Title", "### HIGH-01: Title", "**Severity:** High", "**Status:** Fixed in abc",
        "**Location:** [a.py#L3-L9](https://x.org/a.py#L3)", "- **Severity:** Critical", "- **Files:**",
        "| ID | Severity | File | Issue | Status |", "|---|---|---|---|---|", "| H-1 | High | `a.py:3` | Bad | Fixed |",
        "| Severity | Count |", "| Attribute | Value |", "| Severity | Medium (CVSS 6.5) |", "> [!CAUTION]",
        "> [!NOTE]", "> **Title.** text `a.py:1`", "**Open redirect (medium).** text", "- CRITICAL: 2",
        "## Severity totals", "## Scorecard", "- Security ⚠️ **8/10** — x", "**Overall: 7/10**",
        "## Readiness tracker", "- ✅ check", "- ❌ check", "- **[Blocker] L214:** text", "### `a/b.py`",
        "1. **HIGH** — `a.py:79,332-348`", "   - **Issue:** The thing. More.", "- 🟠 `x.ts:1` text",
    ]),
    REPEATED,
)


@st.composite
def deep_list(draw):
    """A list nested `depth` levels, each one indented more (or a staircase of quotes)."""
    depth = draw(st.integers(10, 120))
    step = draw(st.sampled_from([2, 3, 4, 1]))
    quote = draw(st.booleans())
    marker = draw(st.sampled_from(["- ", "* ", "1. "]))
    lines = [(">" * level + " " if quote else " " * (step * level)) + marker + "[ ] item " + str(level)
             for level in range(depth)]
    return "\n".join(lines)


FRONT_MATTER = st.one_of(
    st.just(""),
    st.tuples(st.just("---\n"), st.lists(st.sampled_from([
        "title: Plan", "title: 2023-02-30", "title: [a, b]", "title: {a: 1}", "title: &a [x, x]",
        "title: *a", "title: !!python/object:os.system x", "title: 0b" + "1" * 300, "title: \"\\ud800\"",
        "x: &a [1, 1]", "y: &b [*a, *a, *a]", "title: *b", "title: 1:59:59", "title: .nan", "title:",
        "- a list", "[", "title: \x01", "? [1]\n: 2", "<<: *a", "title: 12345678901234567890",
    ]), max_size=4).map("\n".join), st.sampled_from(["\n---\n", "\n...\n", "\n"])).map("".join),
)

MARKDOWN = st.one_of(
    st.tuples(FRONT_MATTER, st.lists(LINE, max_size=30).map("\n".join)).map("".join),
    st.tuples(st.lists(LINE, max_size=6).map("\n".join), deep_list(),
              st.lists(LINE, max_size=6).map("\n".join)).map("\n".join),
)


# --- JSON reports ------------------------------------------------------------------

SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True),
                   ANY_TEXT, st.sampled_from(["", "error", "warning", "note", "none", "HIGH", "8.9", "ruff",
                                              "file:///etc/passwd", "../../x.py", "//[x", "https://x.org/r",
                                              "javascript:alert(1)", "a/" * 600 + "b.py", "S101", "x" * 300]))
JSON_VALUE = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(ANY_TEXT, inner, max_size=3)),
                          max_leaves=8)


def _or_wrong(strategy):
    """The value the format expects, most of the time; any JSON value otherwise."""
    return st.one_of(strategy, strategy, strategy, JSON_VALUE)


def _shaped(**fields):
    """A dict with some of `fields` (each possibly of a wrong type) and maybe extra keys."""
    return st.tuples(
        st.fixed_dictionaries({}, optional={k: _or_wrong(v) for k, v in fields.items()}),
        st.dictionaries(ANY_TEXT, JSON_VALUE, max_size=2),
    ).map(lambda t: {**t[1], **t[0]})


URI = st.sampled_from(["src/app.py", "file:///repo/src/app.py", "../../etc/passwd", "/abs.py", "%2e%2e/x",
                       "a b.py", "x#y?.py", "", "//[x", "file://", "http://x/y.py", "a/" * 600 + "b.py",
                       "a\x00b.py", "\udc80.py", "."])
LEVEL = st.sampled_from(["error", "warning", "note", "none", "ERROR", "fatal", ""])
SEVERITY_WORD = st.sampled_from(["HIGH", "MEDIUM", "LOW", "critical", "info", "x", ""])
LOCATION = _shaped(physicalLocation=_shaped(
    artifactLocation=_shaped(uri=URI, uriBaseId=st.sampled_from(["SRCROOT", "%SRCROOT%", ""])),
    region=_shaped(startLine=st.integers(-5, 2**40), startColumn=st.integers(0, 9), snippet=_shaped(text=TEXT)),
))
RESULT = _shaped(
    ruleId=st.sampled_from(["S101", "F401", "E501", "ASYNC100", "B" * 5000, "PLW0603", "X"]),
    rule=_shaped(id=ANY_TEXT), level=LEVEL, kind=st.sampled_from(["fail", "pass", "notApplicable"]),
    message=_shaped(text=st.one_of(PHRASE, ANY_TEXT)), locations=st.lists(LOCATION, max_size=3),
    suppressions=st.lists(JSON_VALUE, max_size=1),
    properties=_shaped(**{"issue_severity": SEVERITY_WORD, "security-severity": st.sampled_from(["9.1", "7", "x"]),
                          "severity": SEVERITY_WORD}),
)
RULE = _shaped(id=st.sampled_from(["S101", "F401", "X"]), shortDescription=_shaped(text=PHRASE),
               helpUri=st.sampled_from(["https://docs/x", "javascript:alert(1)", "httpx://y", "HTTP://Z"]),
               defaultConfiguration=_shaped(level=LEVEL),
               properties=_shaped(tags=st.lists(st.sampled_from(["security", "style"])),
                                  **{"security-severity": st.sampled_from(["9.8", "nan", "1e999"])}))
RUN = _shaped(
    tool=_shaped(driver=_shaped(name=st.sampled_from(["ruff", "Bandit", "CodeQL", "", "  "]),
                                rules=st.lists(RULE, max_size=3))),
    results=st.lists(RESULT, max_size=4),
    originalUriBaseIds=st.dictionaries(st.sampled_from(["SRCROOT", "%SRCROOT%"]),
                                       _shaped(uri=st.sampled_from(["file:///repo/", "file:///", "x"])), max_size=2),
)
SARIF = _shaped(version=st.sampled_from(["2.1.0", "2.1", "1.0.0", ""]), runs=st.lists(RUN, max_size=3))
PYLINT = st.tuples(_shaped(messages=st.lists(_shaped(
    type=st.sampled_from(["error", "warning", "refactor", "convention", "fatal", "Error"]),
    symbol=TEXT, message=st.one_of(PHRASE, ANY_TEXT), messageId=st.sampled_from(["W0511", "E1101"]),
    path=URI, line=st.integers(-1, 2**33), column=st.integers(0, 5)), max_size=4)),
    _or_wrong(st.just({"messageTypeCount": {}}))).map(lambda t: {**t[0], "statistics": t[1]})
BANDIT = st.tuples(_shaped(results=st.lists(_shaped(
    filename=URI, issue_severity=SEVERITY_WORD, issue_confidence=SEVERITY_WORD, issue_text=st.one_of(PHRASE, ANY_TEXT),
    line_number=st.integers(-1, 2**33), test_id=st.sampled_from(["B101", "B602"]), test_name=TEXT,
    more_info=st.sampled_from(["https://bandit/x", "javascript:alert(1)", "http", ""])), max_size=4)),
    _or_wrong(st.just({"_totals": {}}))).map(lambda t: {**t[0], "metrics": t[1]})


@st.composite
def json_text(draw, value_strategy):
    """JSON text of a report: well formed mostly, else truncated, deeply
    nested, with a 5,000-digit number, or not JSON at all."""
    value = draw(value_strategy)
    text = json.dumps(value, ensure_ascii=draw(st.booleans()))
    if not text.isascii() and re.search("[\ud800-\udfff]", text):
        text = json.dumps(value)  # as a file holds it: decoded text never holds a lone surrogate
    how = draw(st.sampled_from(["as is"] * 6 + ["truncated", "nested", "big number", "nan", "garbage", "bom"]))
    if how == "truncated":
        text = text[:draw(st.integers(0, len(text)))]
    elif how == "nested":
        depth = draw(st.sampled_from([150, 250, 1500, 100_000]))
        key = draw(st.sampled_from(['{"runs": ', '{"results": ', "[", '{"a": [']))
        closing = {"{": "}", "[": "]"}
        tail = "".join(closing[c] for c in reversed(re.sub(r'"[^"]*"', "", key)) if c in closing)
        text = key * depth + text + tail * depth
    elif how == "big number":
        text = text.replace("2.1.0", "2.1.0", 1).replace(": 1", ": " + "9" * 5000, 1) if ": 1" in text else "9" * 5000
    elif how == "nan":
        text = text.replace("null", "NaN").replace("true", "-Infinity")
    elif how == "garbage":
        text = draw(st.sampled_from(['{"runs": [}', "[1, 2]", '"x"', "", "\x00", "{" * 5000, '{"version": "2.1.0", "runs": [[[[[[]]]]]]}']))
    elif how == "bom":
        text = "\ufeff" + text
    return text


# --- YAML ------------------------------------------------------------------------

YAML_SCALAR = st.sampled_from([
    "x", "''", '""', "~", "null", "true", "yes", "1", "-1", "0x1F", "0o17", "1e400", ".nan", "-.inf",
    "2023-02-30", "2001-12-14t21:59:43.10-99:99", "0b" + "1" * 400, "1" * 5000, "1:59:59", "1_000",
    '"\\ud800"', '"\\ud83d\\ude00"', '"\\U0000D800"', '"\\x00"', "'it''s'", '"\\e\\a"', "P1", "p3", "P9",
    "done", "DONE", "wontfix", "urgent", "alice", "https://x.org", "javascript:alert(1)",
    "!!python/object:os.system x", "!!python/name:os.system", "!!binary aGk=", "!!binary '!!!'",
    "!!set {a, b}", "!!omap [a: 1]", "!!pairs [a: 1, [1]: 2]", "!!timestamp 2001-12-14", "!!int x",
    "!!float x", "!custom x", "!!str 1", "[a, b]", "{a: 1}", "[[[[[[[[]]]]]]]]", "*undefined", "&a x",
    "*a", "|\n  literal", ">\n  folded", "[" * 200 + "]" * 200, "{{{{{{", "\t", "\x01", "\x85",
    "P1 # comment", "'unterminated", '"unterminated', "- a", "? x", "<<: *a", "{<<: 1}",
])
YAML_KEY = st.sampled_from([
    "title", "root", "content", "output", "base_url", "theme", "source_url", "checklists", "todos",
    "findings", "paths", "include", "exclude", "gitignore", "tags", "categories", "languages", "sarif",
    "json", "severity", "name", "match", "priority", "owner", "status", "notes", "issue", "category",
    "cheklists", "schema", "TODO", "FIXME", "critical", "high", "cls", ".h", "ck-0123456789",
    "? [1, 2]", "1", "null", "'quoted'", '"\\ud800"', "<<", "x" * 200, "a: b",
])
YAML_LINE = st.one_of(
    st.tuples(st.sampled_from(["", "", "  ", "    ", "      ", "\t"]), YAML_KEY, st.just(":"),
              st.sampled_from(["", " "]), st.sampled_from(["", "", "&a ", "&b ", "!!str ", "!!map ", "!!seq "]),
              YAML_SCALAR).map("".join),
    st.tuples(st.sampled_from(["", "  ", "    "]), st.just("- "), YAML_SCALAR).map("".join),
    st.sampled_from(["---", "...", "%YAML 1.1", "%TAG ! tag:x,2000:", "# comment", "", "  - *a", "x: *a",
                     "x: &a [*a]", "? !!python/tuple [1]", ": value"]),
)


@st.composite
def laughs(draw):
    """A billion laughs: each alias level holds nine of the one before."""
    levels = draw(st.integers(2, 9))
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    key = draw(YAML_KEY)
    return "\n".join(lines) + f"\n{key}: *a{levels - 1}\n"


@st.composite
def deep_yaml(draw):
    style = draw(st.sampled_from(["flow", "block", "mapping"]))
    depth = draw(st.sampled_from([50, 99, 101, 150, 999, 1001] + ([5000, 100_000] if style == "flow" else [])))
    key = draw(YAML_KEY)
    if style == "flow":
        return f"{key}: " + "[" * depth + "x" + "]" * depth + "\n"
    if style == "block":
        return "".join("  " * i + "- \n" for i in range(depth)) + "  " * depth + "- x\n"
    return "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "x\n"


YAML = st.one_of(st.lists(YAML_LINE, max_size=12).map("\n".join), laughs(), deep_yaml())


# --- content files ------------------------------------------------------------------

@st.composite
def content_text(draw):
    """A content file: sitegen's own output for a parsed document, then maybe
    edited by hand (a line replaced, or YAML pieces put in)."""
    kind = draw(st.sampled_from(["checklists", "todos", "findings"]))
    if kind == "checklists":
        checklist, _ = checklists.parse_document(draw(MARKDOWN), "TODO.md", "todo")
        body = "documents:\n" + content.checklist_chunk(checklist)
    elif kind == "todos":
        todo = Todo(id="td-1", tag="TODO", text=draw(PHRASE), file="src/a.py", line=3, priority="P3",
                    category="x", refs=["#1"], context=["a", "b"])
        body = yamlio.dump_content({"revision": None, "summary": {"files_scanned": 1, "skipped": {"binary": 2}},
                                    "warnings": [], "items": [vars_of(todo)]}, content.ONE_LINE_LISTS)
    else:
        report = reports.parse_report(draw(MARKDOWN), "AUDIT.md", PRIORITIES)
        findings = report.findings()
        sarif.assign_ids(findings)
        body = yamlio.dump_content({"warnings": [], "documents": [], "items": [vars_of(f) for f in findings]},
                                   content.ONE_LINE_LISTS)
    text = f'schema: "sitegen/{kind}@1"\n' + body
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(lines)))
        edit = draw(st.one_of(YAML_LINE, st.sampled_from([
            "  - {}", '    {"id": 1}', "  items: 5", "schema: sitegen/todos@99999999999999", "documents: x",
            '    "children": [' * 40, "- - -", "\t", "items:", "  - " + json.dumps({"file": "../../x"}),
        ])))
        if draw(st.booleans()) and at < len(lines):
            lines[at] = edit
        else:
            lines.insert(at, edit)
    return kind, "\n".join(lines)


def vars_of(item) -> dict:
    from sitegen.model import record
    return record(item)


# --- source files ----------------------------------------------------------------------

@st.composite
def source_text(draw):
    """(syntax name, source text) made of that syntax's comment and string
    delimiters, markers and code."""
    name = draw(st.sampled_from(sorted(lexers.SYNTAXES)))
    syntax = lexers.SYNTAXES[name]
    pieces = {"TODO: fix", "FIXME(alice): x", "@todo x", "XXX", "TODO", "bug: x", " ", "\n", "\n", "x = 1",
              "\\", "\\\\", '"', "'", "`", '"""', "'''", "/", "*", "#", "(", ")", "{", "}", "[", "]", "<", ">",
              "=", "r#\"", 'R"x(', ')x"', '@"', "[[", "]]", "[==[", "--", "//", "/*", "*/", "<!--", "-->",
              "<script>", "</script>", "<style>", "</style>", "=begin", "=end", "#|", "|#", "{-", "-}",
              "(*", "*)", "{#", "#}", "%", ";", "\r\n", "\t", "é", "return /", "/[", "re = /a[/]b/g", "\x00"}
    pieces |= set(syntax.line) | {p for pair in syntax.block for p in pair} | set(syntax.line_start)
    pieces |= {p for pair in syntax.block_line_start for p in pair}
    piece = st.sampled_from(sorted(pieces))
    parts = draw(st.lists(st.one_of(piece, piece, piece, TEXT, REPEATED), max_size=40))
    return name, "".join(parts)


TAGS = markers.matcher(markers.DEFAULT_TAGS)


# --- checks ------------------------------------------------------------------------------

class _Tags(HTMLParser):
    """The tags and attributes that HTML really holds (escaped text is not a tag)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


_SAFE_HREF = re.compile(r"(?:https?:|mailto:|#|\.\.?/|[^:/?#]*(?:[/?#]|$))", re.I)
_DANGEROUS_TAGS = {"script", "style", "iframe", "object", "embed", "img", "svg", "math", "form", "input",
                   "button", "textarea", "link", "meta", "base", "frame", "frameset", "video", "audio", "source"}
_INLINE_TAGS = {"a", "strong", "em", "code", "br", "span", "s"}


def _theme_script(tag: str, attrs: list) -> bool:
    """The theme's own script files, as every page loads them."""
    return (tag == "script" and len(attrs) == 2 and attrs[1] == ("defer", None) and attrs[0][0] == "src"
            and re.fullmatch(r"(\.\./)*static/[a-z]+\.[0-9a-f]{10}\.js", attrs[0][1] or "") is not None)


def _search_box(tag: str, attrs: list) -> bool:
    return tag == "input" and ("id", "site-search-q") in attrs


def assert_safe_html(html: str, allowed: set[str] | None = None, page_head: bool = False) -> None:
    """No script, no event handler, no link with another scheme than http(s)
    or mailto; with `allowed`, no other tags."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.found:
        if page_head and (tag in ("link", "meta") or _theme_script(tag, attrs) or _search_box(tag, attrs)):
            continue  # the page's own <head> and header
        assert tag not in _DANGEROUS_TAGS, f"<{tag}> in {html[:300]!r}"
        assert allowed is None or tag in allowed, f"<{tag}> in {html[:300]!r}"
        for name, value in attrs:
            assert not name.startswith("on"), f"{name}= on <{tag}> in {html[:300]!r}"
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                assert _SAFE_HREF.match((value or "").strip()), f"{name}={value!r} in {html[:300]!r}"


def assert_one_line(error) -> None:
    """A SitegenError or Notice reads as one line (of reasonable length)."""
    text = str(error)
    assert len(text.splitlines()) <= 1 and len(text) < 2000, text


@functools.cache
@functools.cache
def _renderer():
    from sitegen.config import Config
    from sitegen.site.render import Renderer
    return Renderer(Config(base_dir=Path("/nonexistent")))


def _page(page) -> str:
    from sitegen.site.highlight import Snippets
    from sitegen.site.pagespec import Resources
    context, _ = page.context(Resources(Snippets(), Path("checklists.yaml")))
    html = _renderer().render(page.url, page.template, context)
    html.encode("utf-8")  # what writing the page does: a lone surrogate would fail here
    assert_safe_html(html, page_head=True)
    return html


def check_checklist(text: str) -> None:
    checklist, notices = checklists.parse_document(text, "TODO.md", "todo")
    tasks = list(checklist.tasks())
    assert checklist.total == len(tasks) and 0 <= checklist.done <= checklist.total
    assert len({t.id for t in tasks}) == len(tasks)
    for notice in notices:
        assert_one_line(notice)
    chunk = content.checklist_chunk(checklist)
    chunk.encode("utf-8")
    assert content.checklist_from_chunk(chunk, Path("checklists.yaml")) == checklist
    record = marshal.loads(marshal.dumps(content.checklist_record(checklist)))  # as a worker sends it
    assert content.checklist_from_own_record(record) == checklist == content.checklist_from_record(record, Path("x"))
    from sitegen.site.pages import document_pages
    from sitegen.site.views import Outline
    outline = Outline.of(checklist)
    assert Outline.from_record(marshal.loads(marshal.dumps(outline.record()))) == outline  # as the cache keeps it
    for page in document_pages(outline, "", chunk, Triage()):
        _page(page)


def _findings_round_trip(findings, documents=()) -> None:
    sarif.assign_ids(findings)
    text = 'schema: "sitegen/findings@2"\n' + yamlio.dump_content(
        {"warnings": [], "documents": list(documents), "items": [vars_of(f) for f in findings]},
        content.ONE_LINE_LISTS)
    text.encode("utf-8")
    stored = content.findings_from_text(text, Path("findings.yaml"))
    read, read_documents = stored.findings, stored.documents
    assert read == findings
    from sitegen.site.finding_pages import findings_pages
    from sitegen.site.views import finding_views
    for page in findings_pages(finding_views(read, Triage()), read_documents):
        _page(page)


def check_report(text: str) -> None:
    report = reports.parse_report(text, "AUDIT.md", PRIORITIES)
    for notice in report.notices:
        assert_one_line(notice)
    from sitegen.pipeline import _report_document  # as the pipeline stores a report beside its findings

    _findings_round_trip(report.findings(), [_report_document(report)])


def check_json(text: str) -> None:
    context = sarif._Context(Path("/repo"), "report.json", PRIORITIES)
    findings, notice = sarif.parse_json(text, context)
    if notice is not None:
        assert_one_line(notice)
    for finding in findings:
        assert finding.help_url is None or finding.help_url.startswith(("https://", "http://"))
        for located in finding.files:
            assert located.startswith(sarif.OUTSIDE) or not located.startswith(("/", "../")), located
    _findings_round_trip(findings)


def check_config(text: str) -> None:
    try:
        config = config_from_text(text, Path("/nonexistent/sitegen.yaml"))
    except SitegenError as exc:
        assert_one_line(exc)
        return
    if config.source_url:
        config.source_url.format(revision="r", path="p", line=1)


def check_triage(text: str) -> None:
    try:
        triage = parse_triage(text, "content/triage.yaml")
    except SitegenError as exc:
        assert_one_line(exc)
        return
    for entry in triage.entries.values():
        for field in dataclasses.fields(entry):
            value = getattr(entry, field.name)
            assert value is None or isinstance(value, str)
            if value is not None:
                value.encode("utf-8")


COUNTS = st.dictionaries(st.sampled_from(["kind", "priority", "severity", "category"]),
                         st.dictionaries(ANY_TEXT, st.integers(-5, 2**70), max_size=3), max_size=4)
PROGRESS = st.dictionaries(ANY_TEXT, _shaped(done=st.integers(-1, 9), total=st.integers(-1, 9),
                                             phases=st.dictionaries(ANY_TEXT, st.lists(st.integers(0, 9), max_size=3),
                                                                    max_size=2)), max_size=2)
HISTORY_ENTRY = _shaped(revision=st.text("0123456789abcdef", max_size=40), date=st.one_of(st.none(), ANY_TEXT),
                        totals=COUNTS, progress=PROGRESS, new=st.lists(ANY_TEXT, max_size=3).map(" ".join),
                        resolved=st.lists(ANY_TEXT, max_size=3).map(" ".join))
HISTORY = st.one_of(
    st.lists(HISTORY_ENTRY, max_size=4).map(
        lambda entries: "schema: sitegen/history@1\n" + yaml.safe_dump({"entries": entries}, allow_unicode=True)),
    YAML)


def check_history(text: str) -> None:
    """A history.yaml (which a repository may commit): its entries, or one
    line naming the problem; the dashboard's trend and first sightings made
    from any entries it accepts."""
    try:
        entries = history.history_from_text(text, Path("content/history.yaml"))
    except SitegenError as exc:
        assert_one_line(exc)
        return
    trends.trend(entries)
    trends.seen_dates(entries)
    history.open_ids(entries)
    assert all(isinstance(entry.open, int) for entry in entries)


def check_yaml(text: str) -> None:
    for load in (yamlio.load_with_lines, yamlio.load_fast, yamlio.load_content):
        try:
            load(text, "x.yaml")
        except SitegenError as exc:
            assert_one_line(exc)


def check_content(example: tuple[str, str]) -> None:
    kind, text = example
    path = Path(f"content/{kind}.yaml")
    try:
        if kind == "checklists":
            for chunk in content.checklist_chunks_from_text(text, path):
                checklist = content.checklist_from_chunk(chunk, path)
                from sitegen.site.pages import document_pages
                from sitegen.site.views import Outline
                for page in document_pages(Outline.of(checklist), "", chunk, Triage()):
                    _page(page)
        elif kind == "todos":
            items, meta = content.todos_from_text(text, path)
            from sitegen.site.todo_pages import file_layout, file_pages, todo_order, todo_pages
            from sitegen.site.views import todo_views as views
            todo_views = views(items, Triage(), "", meta.get("revision"))
            index, per_file = file_pages(file_layout(todo_views))
            for page in [*todo_pages(todo_order(todo_views), todo_views, meta), *index, *per_file]:
                _page(page)
        else:
            stored = content.findings_from_text(text, path)
            from sitegen.site.finding_pages import findings_pages
            from sitegen.site.views import finding_views
            for page in findings_pages(finding_views(stored.findings, Triage()), stored.documents, stored.tools):
                _page(page)
    except SitegenError as exc:
        assert_one_line(exc)


def check_lexer(example: tuple[str, str]) -> None:
    name, text = example
    syntax = lexers.SYNTAXES[name]
    found = markers.find(lexers.comments(text, syntax), TAGS, syntax)
    lines = text.split("\n")
    for marker in found:
        assert 1 <= marker.line <= len(lines), (marker.line, len(lines))


def check_inline(text: str) -> None:
    # markdown-it is given what inline_html gives it: a text of MAX_MARKDOWN at most
    # (it takes 0.9 s on 40,000 "[", and 2.7 s on a loaded runner, over the deadline)
    for render in (inline_html, markdown_it_html) if len(text.strip()) <= MAX_MARKDOWN else (inline_html,):
        html = str(render(text))
        html.encode("utf-8")
        assert_safe_html(html, allowed=_INLINE_TAGS)


def check_heading_line(text: str) -> None:
    from sitegen import priority
    from sitegen.collectors import headings, inline_meta
    info = headings.analyse(text)
    assert isinstance(info.title, str)
    headings.declared_status_in_prose(text)
    inline_meta.parse(text)
    priority.in_heading(text)
    priority.in_item(text)


INLINE = st.one_of(PHRASE, st.lists(st.one_of(WORD, REPEATED, TEXT), max_size=6).map("".join),
                   st.from_regex(r"\[[a-z<>\"' ]{0,6}\]\((?:javascript|JaVaScRiPt|data|vbscript|https?|mailto)"
                                 r":[a-z()<>\"' /]{0,8}\)", fullmatch=True))
LINE_TEXT = st.one_of(PHRASE, REPEATED, st.tuples(WORD, REPEATED, WORD).map("".join),
                      st.tuples(REPEATED, WORD, REPEATED).map("".join))

TARGETS = {
    "checklist": (MARKDOWN, check_checklist),
    "report": (MARKDOWN, check_report),
    "sarif": (json_text(SARIF), check_json),
    "pylint": (json_text(PYLINT), check_json),
    "bandit": (json_text(BANDIT), check_json),
    "config": (YAML, check_config),
    "triage": (YAML, check_triage),
    "history": (HISTORY, check_history),
    "yaml": (YAML, check_yaml),
    "content": (content_text(), check_content),
    "lexers": (source_text(), check_lexer),
    "inline": (INLINE, check_inline),
    "lines": (LINE_TEXT, check_heading_line),
}
"""Parser name → (strategy, check)."""


def run_check(name: str, example) -> None:
    """Run one target's check; a SitegenError is a clean refusal, anything
    else a failure."""
    check = TARGETS[name][1]
    try:
        check(example)
    except SitegenError as exc:
        assert_one_line(exc)

