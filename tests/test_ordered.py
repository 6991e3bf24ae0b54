"""The long lists `sitegen serve` patches from one build to the next
(site/ordered.py): after any edits, a patched list and its groups are the
very lists sorting and grouping afresh gives, or the patch declines."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

from hypothesis import given
from hypothesis import strategies as st

from sitegen.carried import by_identity
from sitegen.site.ordered import ordered, patched


@dataclass(eq=False)
class Item:
    rank: int
    group: str


KEY = attrgetter("rank")
GROUPINGS = {"group": attrgetter("group")}
EDIT = st.tuples(st.sampled_from(["add", "drop", "remake"]), st.integers(0, 1000), st.integers(0, 40),
                 st.sampled_from("abc"))


@given(st.lists(st.integers(0, 40), max_size=30), st.lists(st.lists(EDIT, max_size=6), min_size=1, max_size=6))
def test_a_patched_list_and_its_groups_are_those_sorted_afresh(ranks, builds):
    items = [Item(rank, "abc"[rank % 3]) for rank in ranks]
    before = ordered(items, by_identity(items), KEY, GROUPINGS)
    patches = 0
    for edits in builds:
        items = list(items)
        for kind, at, rank, group in edits:
            if kind == "add":
                items.insert(at % (len(items) + 1), Item(rank, group))
            elif items and kind == "drop":
                del items[at % len(items)]
            elif items:  # another object where one was: its place and group may change
                items[at % len(items)] = Item(rank, group)
        fresh = ordered(items, by_identity(items), KEY, GROUPINGS)
        found = patched(before, by_identity(items), KEY, GROUPINGS)
        if found is not None:
            patches += 1
            now = found[0]
            assert all(map(lambda a, b: a is b, now.rows, fresh.rows)) and len(now.rows) == len(fresh.rows)
            assert {name: list(map(id, rows)) for name, rows in now.groups["group"].items()} == {
                name: list(map(id, rows)) for name, rows in fresh.groups["group"].items()}
            assert sorted(map(id, found[1])) == sorted(set(map(id, items)) - set(before.items))
            assert sorted(map(id, found[2])) == sorted(set(before.items) - set(map(id, items)))
        else:  # declined only when an item put in sorts equal to another
            assert any(sum(1 for other in items if other.rank == item.rank) > 1
                       for item in items if id(item) not in before.items)
        before = found[0] if found is not None else fresh


def test_the_list_a_patch_starts_from_is_left_as_it_was():
    items = [Item(rank, "a") for rank in (1, 3, 5)]
    before = ordered(items, by_identity(items), KEY, GROUPINGS)
    rows, group = list(before.rows), list(before.groups["group"]["a"])
    now = [*items[1:], Item(4, "a")]
    after = patched(before, by_identity(now), KEY, GROUPINGS)[0]
    assert [item.rank for item in after.rows] == [3, 4, 5]
    assert before.rows == rows and before.groups["group"]["a"] == group
