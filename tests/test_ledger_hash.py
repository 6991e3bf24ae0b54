"""The hash that decides whether a page is rendered again (site/ledger.py):
equal inputs hash equal however their objects are shared, and inputs that
differ anywhere, however deep inside a list, dict or dataclass, hash apart."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

from hypothesis import given
from hypothesis import strategies as st

from sitegen.model import Todo
from sitegen.site.ledger import Known, hashed_inputs, same_shown
from sitegen.site.paging import GroupPart
from sitegen.site.views import TodoView


@dataclass
class Leaf:
    text: str
    number: int | None
    lines: list[str]


@dataclass(frozen=True)
class Holder:
    """Holds dataclasses in a list and a dict, as a part of a list page holds its rows."""

    name: str
    rows: list
    extra: dict


atoms = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=3))
leaves = st.builds(Leaf, st.text(max_size=3), st.one_of(st.none(), st.integers(0, 2)),
                   st.lists(st.text(max_size=2), max_size=2))


def _extend(inner):
    return st.one_of(st.lists(inner, max_size=3), st.tuples(inner, inner),
                     st.dictionaries(st.text(max_size=2), inner, max_size=2),
                     st.builds(Holder, st.text(max_size=2), st.lists(inner, max_size=3),
                               st.dictionaries(st.text(max_size=2), inner, max_size=2)))


inputs = st.recursive(st.one_of(atoms, leaves), _extend, max_leaves=12)


def todo_view(todo_id: str, path: str, line: int) -> TodoView:
    return TodoView(Todo(todo_id, "TODO", "tidy up", path, line, "P2", "Code quality", context=["x = 1"]), "P2")


def _hash(value, known=None) -> str:
    return hashed_inputs("key", "page.html", "page.html", value, known)[0]


@given(inputs)
def test_equal_inputs_hash_equal_however_their_objects_are_shared(value):
    known = Known()
    assert _hash(value) == _hash(copy.deepcopy(value)) == _hash(value, known) == _hash(value, known)


def _neighbours(value):
    """`value` changed at one place each: a string, a number, a key, a field,
    a list's length, however deep."""
    kind = type(value)
    if kind is str:
        yield value + "x"
    elif kind is bool or value is None:
        yield 0
    elif kind is int:
        yield value + 1
    elif kind in (list, tuple):
        yield kind([*value, None])
        for n, item in enumerate(value):
            for other in _neighbours(item):
                yield kind([*value[:n], other, *value[n + 1:]])
    elif kind is dict:
        for key, item in value.items():
            yield {(k + "x" if k == key else k): v for k, v in value.items()}
            for other in _neighbours(item):
                yield {**value, key: other}
    else:  # a dataclass
        for name in value.__dataclass_fields__:
            for other in _neighbours(getattr(value, name)):
                yield replace(value, **{name: other})


@given(inputs)
def test_inputs_changed_anywhere_hash_apart(value):
    known = Known()
    original = _hash(value, known)
    for other in _neighbours(value):
        if repr(other) != repr(value):  # ("x" + "x" may make a key another key has)
            assert _hash(other, known) != original, other


def _rebuilt(value, reordered: bool = False):
    """`value` made again as a new page's inputs are: new lists, tuples, dicts
    and dataclasses around the very same leaves and strings; `reordered`:
    each dict's keys in the reverse order (hashed, and shown, otherwise)."""
    kind = type(value)
    if kind in (list, tuple):
        return kind(_rebuilt(item, reordered) for item in value)
    if kind is dict:
        items = list(value.items())
        return {key: _rebuilt(item, reordered) for key, item in (items[::-1] if reordered else items)}
    if kind is Holder:
        return Holder(value.name, _rebuilt(value.rows, reordered), _rebuilt(value.extra, reordered))
    return value


@given(inputs, inputs)
def test_inputs_told_the_same_without_hashing_hash_the_same(value, other):
    """render._kept_hash keeps a page's hash when same_shown says its inputs
    are the earlier page's: never when the hash would differ."""
    assert same_shown(value, _rebuilt(value))
    for candidate in (other, copy.deepcopy(value), _rebuilt(value, reordered=True), *_neighbours(value)):
        if same_shown(value, candidate):
            assert _hash(candidate) == _hash(value), candidate


def test_a_view_changed_inside_a_part_of_a_list_changes_the_hash_of_every_page_showing_it():
    views = [todo_view(f"t{n}", "a.py", n) for n in range(3)]
    known = Known()
    pages = {"file": {"items": views}, "list": {"parts": [GroupPart(1, "P2", views, 3, False)]}}
    before = {name: _hash(page, known) for name, page in pages.items()}

    changed = [*views[:2], replace(views[2], owner="someone")]
    after = {"file": _hash({"items": changed}, known),
             "list": _hash({"parts": [GroupPart(1, "P2", changed, 3, False)]}, known)}

    assert before["file"] != after["file"] and before["list"] != after["list"]
    # and the hashes made with the memo shared are those made without it
    assert after["list"] == _hash({"parts": [GroupPart(1, "P2", changed, 3, False)]})


def test_a_view_is_hashed_once_however_many_lists_show_it(monkeypatch):
    made = []
    monkeypatch.setattr(TodoView, "__repr__", lambda self: made.append(self) or f"view {self.todo.id}")
    views = [todo_view(f"t{n}", "a.py", n) for n in range(3)]
    known = Known()
    _hash({"items": views}, known)
    _hash({"parts": [GroupPart(1, "P2", views, 3, False)], "by": {"P2": views}}, known)
    assert len(made) == 3


@dataclass
class Summary:
    """Shows counts made from its rows, which it keeps out of its repr (as views.Outline keeps its tasks)."""

    title: str
    phases: tuple
    rows: list = field(repr=False)


def test_fields_kept_out_of_the_repr_are_kept_out_of_the_hash_too():
    phases = (Leaf("one", 1, []), Leaf("two", 2, []))
    summary = Summary("plan", phases, [Leaf("a", 1, []), Leaf("b", 2, [])])
    same_but_rows = Summary("plan", phases, [Leaf("c", 3, [])])
    other_phase = Summary("plan", (Leaf("one", 1, []), Leaf("two", 3, [])), summary.rows)
    assert _hash([summary]) == _hash([same_but_rows]) != _hash([other_phase])


@given(inputs, inputs)
def test_hashes_carried_from_an_earlier_build_are_those_made_afresh(earlier_value, value):
    """sitegen serve hashes each build's pages with what the build before hashed
    (Carried.hashes): a page sharing objects with the earlier build's hashes
    as if nothing were carried."""
    earlier = Known()
    _hash([earlier_value, value], earlier)
    known = Known(earlier)
    assert _hash(value, known) == _hash(copy.deepcopy(value))
    assert _hash(earlier_value, known) == _hash(copy.deepcopy(earlier_value))


def test_an_object_carried_is_not_hashed_again_and_one_in_its_place_is(monkeypatch):
    made = []
    monkeypatch.setattr(TodoView, "__repr__", lambda self: made.append(self.todo.id) or f"view {self.todo.id}")
    views = [todo_view(f"t{n}", "a.py", n) for n in range(3)]
    earlier = Known()
    _hash({"items": views}, earlier)
    made.clear()
    now = [*views[:2], replace(views[2], owner="someone")]
    _hash({"items": now}, Known(earlier))
    assert made == ["t2"]
