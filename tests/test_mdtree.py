"""The section tree holds every block of the token stream, in the document's order."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings

from conftest import examples
from sitegen.collectors import mdtree
from sitegen.collectors.mdtree import Code, Heading, Item, List, Paragraph, Quote, Row, Rule, Table, TooDeep
from sitegen.collectors.reports import _markdown
from test_simple_blocks import DOCUMENTS

FIXTURES = Path(__file__).parent / "fixtures"


def tree(text: str) -> mdtree.Section:
    return mdtree.section_tree(_markdown().parse(text))


def test_sections_nest_by_heading_level():
    root = tree("intro\n\n# A\n\n## B\n\ntext\n\n### C\n\n## D\n\n# E\n")
    assert root.heading is None and root.blocks == [Paragraph("intro", 1)]
    [a, e] = root.sections
    assert (a.heading, e.heading) == (Heading(1, "A", 3), Heading(1, "E", 13))
    [b, d] = a.sections
    assert b.blocks == [Paragraph("text", 7)] and [s.heading.text for s in b.sections] == ["C"]
    assert d.level == 2 and not d.sections


def test_a_deeper_heading_first_is_still_below_the_start():
    root = tree("### Deep\n\n# Top\n")
    assert [s.heading.text for s in root.sections] == ["Deep", "Top"]


def test_items_hold_their_blocks_and_checkboxes():
    [checklist] = tree("- [x] done\n  - [ ] open\n    more\n- plain\n- [x]\n1. [ ]  two\n").blocks[:1]
    assert isinstance(checklist, List) and not checklist.ordered
    done, plain, empty = checklist.items
    assert (done.checked, done.task, done.line) == (True, "done", 1)
    [sub] = done.blocks[1].items
    assert (sub.checked, sub.task) == (False, "open\nmore")
    assert plain.checked is None and empty.checked is True and empty.task == ""


def test_a_heading_before_an_items_paragraph_leaves_it_a_task():
    [item] = tree("- # Title\n  [ ] task\n").blocks[0].items
    assert item.blocks[0] == Heading(1, "Title", 1) and item.checked is False


def test_an_item_that_starts_with_another_block_is_no_task():
    [item] = tree("- > [ ] quoted\n").blocks[0].items
    assert isinstance(item.blocks[0], Quote) and item.checked is None


def test_tables_code_quotes_and_breaks():
    root = tree("| a | b |\n|---|---|\n| 1 | **2** |\n\n```py\nx\n```\n\n> quoted\n\n---\n\n<!-- c -->\n")
    table, fence, quote, rule, comment = root.blocks
    assert table == Table(1, Row(["a", "b"], 1), [Row(["1", "**2**"], 3)])
    assert fence == Code("fence", "x\n", 5) and comment == Code("html_block", "<!-- c -->\n", 13)
    assert quote == Quote(9, [Paragraph("quoted", 9)]) and rule == Rule(11)


def test_text_nested_too_deep_is_one_block():
    text = "".join(">" * n + " a\n" for n in range(1, 70))
    quote = tree(text).blocks[0]
    while isinstance(quote, Quote):
        *_, quote = quote.blocks
    assert isinstance(quote, TooDeep) and quote.text.startswith("a") and quote.first > 1


def walked(section: mdtree.Section) -> list[tuple]:
    """What the tree holds, in the order a reader walks it."""
    out = [("heading", section.heading.line, section.heading.text)] if section.heading else []
    stack = [iter(section.blocks)]
    while stack:
        block = next(stack[-1], None)
        if block is None:
            stack.pop()
        elif isinstance(block, Heading):
            out.append(("heading", block.line, block.text))
        elif isinstance(block, Paragraph):
            out.append(("paragraph", block.line, block.text))
        elif isinstance(block, (List, Item, Quote)):
            stack.append(iter(block.items if isinstance(block, List) else block.blocks))
    for child in section.sections:
        out += walked(child)
    return out


def in_token_order(tokens) -> list[tuple]:
    return [("heading" if token.type == "heading_open" else "paragraph", token.map[0] + 1, tokens[at + 1].content)
            for at, token in enumerate(tokens) if token.type in ("heading_open", "paragraph_open")]


@settings(max_examples=examples(1500), deadline=None)
@given(DOCUMENTS)
def test_walking_the_tree_meets_every_heading_and_paragraph_in_order(text):
    tokens = _markdown().parse(text)
    assert walked(mdtree.section_tree(tokens)) == in_token_order(tokens)


def test_report_fixtures_are_walked_in_order():
    for path in sorted(FIXTURES.glob("reports/corpus/*.md")):
        tokens = _markdown().parse(path.read_text(encoding="utf-8"))
        assert walked(mdtree.section_tree(tokens)) == in_token_order(tokens), path.name
