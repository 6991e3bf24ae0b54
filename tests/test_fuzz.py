"""Fuzz tests: no input makes a parser raise anything but SitegenError, take
more than a couple of seconds, or put markup of its own into a page.

Each parser gets inputs built from the pieces that matter to it (see
tests/fuzz_targets.py). The suite runs a hundred-odd examples per parser
(profile "ci"); HYPOTHESIS_PROFILE=thorough runs ten times more, and
bench/fuzz.py 100,000 per parser. What those longer runs found is kept
below: as explicit examples, and as plain tests where the input is large.
"""

from __future__ import annotations

import time

from hypothesis import example, given, settings

from fuzz_targets import TARGETS, run_check
from sitegen.collectors import blocks, checklists, reports, sarif
from sitegen.model import Task

PRIORITIES = {"critical": "P1", "high": "P2", "medium": "P3", "low": "P4", "info": "P4"}

# Inputs that crashed a parser once (found by bench/fuzz.py or by hand).
FOUND = {
    "checklist": [  # (and a 3,000-deep list: a plain test below)
        "---\ntitle: a\x01\n---\n- [ ] x\n",                    # a ReaderError has no .problem
        "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\ntitle: *b\n---\n",
        "---\ntitle: 2023-02-30\n---\n",                         # ValueError from the date
        "- [ ] " + "`" * 3000,                                   # cubic code-span regex
        "| a | ² |\n  \t# TODO PAN-83: x (A)\n-->\n===\n",         # a setext heading's warning spanned lines
    ],
    "report": [
        "| Category | Count |\n|---|---|\n| Security | ² |\n",   # isdigit() but not int()
        "- critical" + " " * 5000 + "x",                         # quadratic _PREFIX
        "# Done" + " " * 5000 + "x",
    ],
    "sarif": [
        '{"version": "2.1.0", "runs": [{"results": [{"ruleId": ["x"], "locations": "a"}]}]}',
        '{"version": "2.1.0", "runs": [{"tool": {"driver": {"rules": [{"id": ["x"]}]}}, "results": [1]}]}',
        '{"version": "2.1.0", "runs": [{"results": [{"message": {"text": "\\ud800"}}]}]}',
        '{"runs": ' + "[" * 100_000 + "]" * 100_000 + "}",       # RecursionError in json.loads
        '{"version": "2.1.0", "runs": [{"results": [{"locations": [{"physicalLocation": '
        '{"artifactLocation": {"uri": "//[x"}}}]}]}]}',          # ValueError in urlsplit
        '{"version": "2.1.0", "runs": [{"results": [{"locations": [{"physicalLocation": '
        '{"artifactLocation": {"uri": "' + "a/" * 600 + 'b.py"}}}]}]}]}',  # too deep for the file tree
        '{"version": [' * 300 + "]}" * 300,
        '{"runs": [], "version": "\\n"}',                       # the warning quoted it across two lines
    ],
    "pylint": [
        '{"messages": [{"type": ["error"], "path": {"a": 1}}], "statistics": {}}',
        '{"messages": [{"type": "error", "line": 0, "path": "\\udc80.py"}], "statistics": {}}',
        '{"messages": [{"line": ' + "9" * 5000 + "}], \"statistics\": {}}",
    ],
    "bandit": [
        '{"results": [{"filename": "\\udc80.py", "issue_severity": 3}], "metrics": {}}',
    ],
    "config": [
        "title: !!seq x",                                        # AttributeError in construct_sequence
        "? [1, 2]\n: 3\n",                                       # unhashable key
        "todos:\n  languages: {x: [python]}\n",                  # TypeError: unhashable list
        "todos:\n  languages: {1: python}\n",
        "source_url: '{line[0]}'\n",
        "source_url: '{line:>999999999999}'\n",
        "todos:\n  categories: [{name: x, match: ['" + "(" * 2000 + "']}]\n",
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\ntodos:\n  tags: {TODO: *c}\n",  # repr() of a billion laughs
        "title: 0b" + "1" * 20000 + "\n",
        "null: " + "[" * 1000 + "]" * 1000,
    ],
    "triage": [
        "a: !!map x\n",
        "a: {notes: 0b" + "1" * 20000 + "}\n",
    ],
    "yaml": [
        "a: !!bool x\n",                                         # KeyError inside PyYAML
        "a: !!timestamp x\n",                                    # AttributeError inside PyYAML
        "a: 2001-12-14t21:59:43.10-99:99\n",
        "".join("  " * i + f"k{i}:\n" for i in range(1001)),
    ],
    "content": [
        ("checklists", 'schema: "sitegen/checklists@1"\ndocuments:\n- path: a\n  sections: 5\n'),
        ("todos", 'schema: "sitegen/todos@1"\nitems:\n  - {"id": "x", "tag": "T", "text": 1, "file": "a", '
                  '"line": 1, "priority": "P1", "category": "c"}\n'),
        ("todos", 'schema: "sitegen/todos@1"\nitems:\n  - {"id": "x", "tag": "T", "text": "t", '
                  '"file": "../../etc/passwd", "line": 1, "priority": "P1", "category": "c"}\n'),
        ("findings", 'schema: "sitegen/findings@1"\nitems:\n  - {"id": "x", "priority": "P1", "severity": '
                     '"urgent", "title": "t", "status": "open", "files": [], "source": "s"}\n'),
        ("findings", "schema: [" * 50 + "]" * 50 + "\n"),
        ("checklists", "schema: sitegen/checklists@" + "9" * 5000 + "\n"),
    ],
    "lexers": [
        ("lua", "[[" * 5000 + "TODO x"),                        # each unclosed long string scanned to the end
        ("rust", 'r#"' * 5000),
        ("javascript", "`\\" * 5000 + "// TODO x"),
        ("javascript", "x = /[/[/[" * 2000 + "\n// TODO x"),
        ("markdown", "".join("`" * n + "a" for n in range(1, 200)) + "<!-- TODO x -->"),
        ("rust", "/*" * 5000 + "*/" * 5000 + "// TODO x"),
        ("python", "x = 1" + " /**/" * 5000 + "# TODO x"),
    ],
    "inline": ["[](http:)", "<javascript:alert(1)>", "[x](JaVaScRiPt:alert(1))", "[" * 40000],
    "lines": ["phase" + " " * 5000 + "x", "done" + " " * 5000 + "(", "priority" + " " * 5000 + "x"],
}


def fuzz(name: str, share: float = 1.0):
    """A test that runs target `name` on its strategy, and on what was found
    before; `share` scales the profile's number of examples (slow targets)."""
    strategy, _ = TARGETS[name]

    def test(value):
        run_check(name, value)

    for found in reversed(FOUND.get(name, [])):
        test = example(found)(test)
    test = settings(max_examples=max(10, int(settings.default.max_examples * share)))(given(strategy)(test))
    test.__name__ = f"test_{name}_never_crashes"
    return test


test_checklist = fuzz("checklist", 0.5)
test_report = fuzz("report", 0.5)
test_sarif = fuzz("sarif", 0.5)
test_pylint = fuzz("pylint", 0.5)
test_bandit = fuzz("bandit", 0.5)
test_config = fuzz("config")
test_triage = fuzz("triage")
test_history = fuzz("history")
test_yaml = fuzz("yaml")
test_content = fuzz("content", 0.3)
test_lexers = fuzz("lexers")
test_inline = fuzz("inline")
test_lines = fuzz("lines")


# --- the bounds, on large inputs ----------------------------------------------------------

def _timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def _depth(tasks: list[Task]) -> int:
    depth, level = 0, tasks
    while level:
        depth += 1
        level = [child for task in level for child in task.children]
    return depth


def test_a_1000_deep_list_keeps_32_levels_of_tasks_and_the_rest_as_a_note():
    # 1 MB of indentation (3,000 levels were 9 MB, 1.5 s of the suite, most of it markdown-it's own reading)
    text = "# Plan\n" + "".join("  " * i + f"- [ ] task {i}\n" for i in range(1000)) + "## After\n- [ ] last\n"
    (checklist, notices), seconds = _timed(checklists.parse_document, text, "TODO.md")
    assert seconds < 30
    assert _depth(checklist.sections[0].items) == blocks.MAX_LEVEL // 2 - 1
    deepest = checklist.sections[0].items[0]
    while deepest.children:
        deepest = deepest.children[0]
    assert deepest.notes[0].text.startswith("[ ] task 31\n- [ ] task 32")
    assert deepest.notes[0].text.endswith("- [ ] task 999")
    assert [str(n) for n in notices] == [
        "TODO.md:33: lists or quotes nested more than 32 lists or 64 quotes deep: lines 33-1001 are kept as text"]
    assert [t.text for t in checklist.sections[1].items] == ["last"]


def test_100000_nested_quotes_are_text_with_a_warning():
    (checklist, notices), seconds = _timed(checklists.parse_document, ">" * 100_000 + " - [ ] x\n", "TODO.md")
    assert seconds < 30 and checklist.total == 0
    assert checklist.sections[0].notes[0].text.endswith("- [ ] x")
    report, seconds = _timed(reports.parse_report, ">" * 100_000 + " - High: x `a.py`\n", "AUDIT.md", PRIORITIES)
    assert seconds < 30 and report.sections[0].notes[0].text.endswith("- High: x `a.py`")
    assert "kept as text" in str(report.notices[0])


def test_json_nested_past_the_bound_is_a_warning():
    context = sarif._Context(__import__("pathlib").Path("/repo"), "deep.sarif", PRIORITIES)
    deep = '{"version": "2.1.0", "runs": [' + "[" * sarif.MAX_JSON_DEPTH + "]" * sarif.MAX_JSON_DEPTH + "]}"
    assert sarif.parse_json(deep, context) == (
        [], sarif.Notice(f"nested more than {sarif.MAX_JSON_DEPTH} levels deep; nothing imported from it",
                         "deep.sarif", 1))
    shallow = '{"version": "2.1.0", "runs": [' + "[" * 100 + "]" * 100 + "]}"
    assert sarif.parse_json(shallow, context) == ([], None)
