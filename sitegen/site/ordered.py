"""Long lists kept in order from one build of `sitegen serve` to the next:
items sorted by a key and grouped by names (the TODO list and its tags and
categories, the priority table and its priorities). A save changes a few
items of 10,000; each is taken out of its lists and put in at a bisection,
rather than every item sorted and grouped again, and the lists are those
sorting afresh gives."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sitegen.carried import changed

T = TypeVar("T")
Key = Callable[[Any], Any]
Groupings = dict[str, Callable[[Any], str]]
"""Grouping → the name of an item's group in it."""

PATCHED_MOST = 500
"""Items a save may change for the lists to be patched rather than made anew."""


@dataclass(frozen=True)
class Ordered(Generic[T]):
    """Only read once made: a patch makes another (copying the lists it changes)."""

    items: dict[int, T]
    """What it was made of (carried.by_identity)."""
    rows: list[T]
    """The items sorted by the key, as sorted() sorts them (stably)."""
    groups: dict[str, dict[str, list[T]]]
    """Grouping → each group's name → its items, in the rows' order."""


def ordered(items: list[T], by_id: dict[int, T], key: Key, groupings: Groupings) -> Ordered[T]:
    rows = sorted(items, key=key)
    return Ordered(by_id, rows, {grouping: grouped(rows, name) for grouping, name in groupings.items()})


def grouped(rows: list[T], name: Callable[[T], str]) -> dict[str, list[T]]:
    """The rows by the name of their group, each group in the rows' order."""
    found: dict[str, list[T]] = {}
    for row in rows:
        found.setdefault(name(row), []).append(row)
    return found


def patched(before: Ordered[T], by_id: dict[int, T], key: Key,
            groupings: Groupings) -> tuple[Ordered[T], list[T], list[T]] | None:
    """(`before` with the items not in `by_id` taken out and those new in it
    put in, as `ordered` would place them; the items put in; those taken
    out). None when more than PATCHED_MOST changed, or an item sorts equal to
    another (two TODOs on one line: their order is the one they were listed in)."""
    added, removed = changed(before.items, by_id), changed(by_id, before.items)
    if len(added) + len(removed) > PATCHED_MOST:
        return None
    rows = list(before.rows)
    groups = {grouping: dict(named) for grouping, named in before.groups.items()}
    copied: set[tuple[str, str]] = set()  # the group lists copied: the others are `before`'s
    for item, step in [*((item, -1) for item in removed), *((item, 1) for item in added)]:
        lists = [rows]
        for grouping, name in groupings.items():
            named, group = groups[grouping], name(item)
            if (grouping, group) not in copied:
                copied.add((grouping, group))
                named[group] = list(named.get(group, ()))
            lists.append(named.setdefault(group, []))  # (a group emptied before is new again)
        if not all((_put_in if step > 0 else _take_out)(found, item, key) for found in lists):
            return None
        for grouping, name in groupings.items():
            if not groups[grouping][name(item)]:
                del groups[grouping][name(item)]
    return Ordered(by_id, rows, groups), added, removed


def _take_out(rows: list, item: Any, key: Key) -> bool:
    """Whether `item` was in `rows` (sorted by `key`), now taken out."""
    place = key(item)
    at = bisect_left(rows, place, key=key)
    while at < len(rows) and rows[at] is not item and key(rows[at]) == place:
        at += 1
    if at == len(rows) or rows[at] is not item:
        return False
    del rows[at]
    return True


def _put_in(rows: list, item: Any, key: Key) -> bool:
    """Whether `item` has a place of its own in `rows`, where it is now put."""
    place = key(item)
    at = bisect_left(rows, place, key=key)
    if at < len(rows) and key(rows[at]) == place:
        return False
    rows.insert(at, item)
    return True
