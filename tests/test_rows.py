"""The long lists' rows are rendered once per item and kept (sitegen/site/rows.py):
what `sitegen serve` re-renders after a save that shifts every later row."""

from __future__ import annotations

import gc
import weakref

from jinja2 import Environment

from sitegen.site.rows import Rows


class Item:
    def __init__(self, name: str):
        self.name = name


def _page(rows: Rows, rendered: list):
    env = Environment(autoescape=True)
    env.globals.update(rows_html=rows, note=lambda item: rendered.append(item.name) or "")
    return env.from_string('{% macro row(item, root) %}{{ note(item) }}<tr><td><a href="{{ root }}x">'
                           '{{ item.name }}</a></td></tr>{% endmacro %}<tbody>{{ rows_html(row, items, root) }}</tbody>')


def test_a_row_is_rendered_once_per_item_and_arguments_and_stays_escaped():
    rendered: list[str] = []
    page = _page(Rows(), rendered)
    a, b = Item("a<b>"), Item("b")
    first = page.render(items=[a, b], root="../")
    assert first == ('<tbody><tr><td><a href="../x">a&lt;b&gt;</a></td></tr>'
                     '<tr><td><a href="../x">b</a></td></tr></tbody>')
    assert page.render(items=[b, a], root="../") == (
        '<tbody><tr><td><a href="../x">b</a></td></tr><tr><td><a href="../x">a&lt;b&gt;</a></td></tr></tbody>')
    assert rendered == ["a<b>", "b"]  # the second page took both rows as made
    page.render(items=[a], root="../../")  # another root: another row
    page.render(items=[Item("b")], root="../")  # an equal item, but another object
    assert rendered == ["a<b>", "b", "a<b>", "b"]


def test_a_kept_row_never_keeps_its_item_alive_and_rows_of_items_gone_are_let_go():
    rows, rendered = Rows(), []
    page = _page(rows, rendered)
    kept = [Item(f"kept {n}") for n in range(800)]
    gone = [Item(f"gone {n}") for n in range(800)]
    page.render(items=kept + gone, root="")
    watched = weakref.ref(gone[0])
    del gone
    gc.collect()
    assert watched() is None  # the rows memo held it only weakly
    rows.let_go()
    assert len(rows) == 800  # the rows of items gone are dropped
    rendered.clear()
    page.render(items=kept, root="")
    assert rendered == []  # the rows still held were kept


def test_an_item_that_cannot_be_held_weakly_is_rendered_each_time():
    rendered: list[str] = []
    page = _page(Rows(), rendered)

    class Plain:
        __slots__ = ("name",)

        def __init__(self, name):
            self.name = name

    item = Plain("x")
    assert page.render(items=[item], root="") == page.render(items=[item], root="")
    assert rendered == ["x", "x"]


def test_a_row_maker_that_is_no_jinja_macro_renders_each_row():
    rows = Rows()
    made: list[str] = []

    def row(item, root):
        made.append(item.name)
        return f"<tr><td>{root}{item.name}</td></tr>"

    a = Item("a")
    assert rows(row, [a, a], "../") == "<tr><td>../a</td></tr><tr><td>../a</td></tr>"
    assert made == ["a", "a"]


def test_a_row_kept_for_an_item_gone_is_never_given_to_a_new_item_at_its_id():
    """An item let go and a new one given its address (so its id): the row
    kept under that id is of the item gone (its weak reference is dead), so
    the new item's row is made anew."""
    rows, rendered = Rows(), []
    page = _page(rows, rendered)
    new = Item("new")
    page.render(items=[new], root="")
    (kept,) = rows._made.values()
    gone = Item("gone")
    kept[id(new)] = (weakref.ref(gone), "<tr><td>gone</td></tr>")  # as if `new` were made where `gone` was
    del gone
    assert page.render(items=[new], root="") == '<tbody><tr><td><a href="x">new</a></td></tr></tbody>'
    assert rendered == ["new", "new"]
