"""The line scanner's section tree is that of markdown-it-py's tokens, for every document it accepts."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import examples
from sitegen.collectors import mdtree
from sitegen.collectors.checklists import _markdown
from sitegen.collectors.simple_blocks import section_tree

SEEDS = Path(__file__).parent / "fixtures/seeds"  # the users' own checklists, kept in the repository
FIXTURES = Path(__file__).parent / "fixtures/checklists"


def assert_same_as_markdown_it(text: str) -> bool:
    """True when the scanner accepted `text` (and then its tree is markdown-it's)."""
    tree = section_tree(text)
    if tree is not None:
        assert tree == mdtree.section_tree(_markdown().parse(text)), text
    return tree is not None


INDENTS = st.sampled_from(["", "", "  ", "    ", "      ", " ", "   ", "     "])
TEXTS = st.sampled_from([
    "[ ] **Fix audit log** - update `infra/main.tf`", "[x] Done thing", "[X] Done", "[ ]  two spaces",
    "[ ]", "[x]: not a task", "plain note @alice #ux", "Phase 1: work (3/4)", "2026 goals", "1. ordered",
    "1) ordered", "*emph* text", "**bold**", "`code` span", "(aside)", "- nested dash", "* star", "# hash",
    "> quote", "<!-- comment -->", "```", "~~~", "---", "***", "___", "=== ", "[link](https://x.org)",
    "[ref]: https://x.org", "é accent", "_under_", "text with trailing  ", "C#", "ends #", "\u00a0nbsp",
])
LINES = st.one_of(
    st.tuples(INDENTS, st.sampled_from(["- ", "* ", "+ ", "-  ", "1. ", "-"]), TEXTS).map("".join),
    st.tuples(st.sampled_from(["# ", "## ", "### ", "###### ", "####### ", "#", " # "]), TEXTS).map("".join),
    st.tuples(st.sampled_from(["", " ", "    "]), TEXTS).map("".join),
    st.sampled_from(["", "", "", "   ", "---", "***", "___", "- - -", "----", "===", "\t- [ ] tab",
                     "```", "```py", "``` a`b", "~~~", "````", "  ```", "<!--", "<!-- - [ ] x -->", "-->",
                     "a --> b", "<div>", "[a](https://x.org) link first", "[a]: https://x.org", "[a\\]]: x"]),
)
DOCUMENTS = st.lists(LINES, max_size=14).map("\n".join)


@settings(max_examples=examples(4000), deadline=None)
@given(DOCUMENTS)
@example("# T\n\npara\nline2\n- [ ] a\n  - b\n\n---\n- c\n")
@example("- a\n# H\n- b\n  - c\n    - d\n  - e\n- f")
@example("Para\n- [ ] interrupts\n\n  - [x] child after a blank\n\nText after the list")
@example("- a\n* b")
@example("- a\nlazy")
@example("Text\n---")
@example("# Heading #")
@example("## Notes\n\n<!-- - [ ] not a task -->\n```\n- [ ] not a task either\n```\n")
@example("Text\n\n```\ncode\n  ```\n- [ ] after")
@example("x\n\n<!--\n- [ ] hidden\n-->\n- [ ] shown")
@example("```\ncode\n")
@example("```\ncode\n```\n\n<!-- a\nb -->\n")
@example("````\n```\n\n")
@example("```\n   ")
@example("```\n```\n")
@example("<!--\nb\n  ")
def test_scanner_trees_are_markdown_its(text):
    assert_same_as_markdown_it(text)


# Mostly well-formed documents, so that most examples are accepted.
NESTED = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["- ", "* "]),
                            st.sampled_from(["[ ] task", "[x] done", "note", "**Bold** - `a.py`"])), max_size=12)


@settings(max_examples=examples(1500), deadline=None)
@given(NESTED, st.booleans(), st.sampled_from(["", "\n", "\n\n"]))
def test_nested_lists_match_markdown_it(items, blank_between, ending):
    lines, depth = ["# Tasks", ""], 0
    for wanted, bullet, text in items:
        depth = min(wanted, depth + 1)
        lines.append("  " * depth + bullet + text)
        if blank_between:
            lines.append("")
    assert_same_as_markdown_it("\n".join(lines) + ending)


def test_real_checklists_take_the_scanner():
    accepted = [path.name for path in [*SEEDS.glob("00[24]_*.txt"), *FIXTURES.glob("*.md")]
                if assert_same_as_markdown_it(path.read_text(encoding="utf-8").replace("\r\n", "\n"))]
    assert any(name.startswith("002_") for name in accepted), accepted


# Whole documents built from the blocks the scanner takes, joined with or without blank lines.
def _list_block(items) -> str:
    lines, depth = [], 0
    for wanted, text in items:
        depth = min(wanted, depth + 1)
        lines.append("  " * depth + "- " + text)
    return "\n".join(lines)


BLOCKS = st.one_of(
    st.tuples(st.sampled_from(["# ", "## ", "### "]), TEXTS).map("".join),
    st.lists(TEXTS, min_size=1, max_size=3).map("\n".join),
    st.lists(st.tuples(st.integers(0, 2), TEXTS), min_size=1, max_size=5).map(_list_block),
    st.sampled_from(["```\n- [ ] code\n```", "~~~~\n~~~\n- [ ] x\n~~~~", "```\nunclosed", "<!-- - [ ] x -->",
                     "<!--\n- [ ] y\n-->", "<!-- never closed\n- [ ] z", "---", "***"]),
)


@settings(max_examples=examples(3000), deadline=None)
@given(st.lists(st.tuples(BLOCKS, st.sampled_from(["\n", "\n\n", "\n\n\n"])), max_size=8))
def test_documents_of_simple_blocks_match_markdown_it(blocks):
    assert_same_as_markdown_it("".join(block + gap for block, gap in blocks))


def test_the_reader_finds_the_same_tasks_either_way(monkeypatch):
    from sitegen.collectors import checklists, simple_blocks
    from sitegen.model import record

    documents = [p.read_text(encoding="utf-8") for p in [*SEEDS.glob("00[24]_*.txt"), *FIXTURES.glob("*.md")]]
    fast = [record(checklists.parse_document(text, "doc.md")[0]) for text in documents]
    monkeypatch.setattr(simple_blocks, "section_tree", lambda text: None)
    assert [record(checklists.parse_document(text, "doc.md")[0]) for text in documents] == fast
