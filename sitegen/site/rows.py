"""The rows of the long lists, each rendered once per item and kept.

A TODO's row is the same on every page that lists it (the TODO list and its
groups by tag and category), and the same after a save that moved it to
another page of the list: a TODO added to the first file shifts every later
row of 57 pages at 100,000 files, which `sitegen serve` then rendered anew,
row by row, on each save. Templates ask for a list's rows with
`rows_html(row_macro, items, *args)`; a row is rendered by its macro the
first time, then taken from here while the item is the very same object
(views are carried between the builds of a session, see carried.py).

A row must depend only on its item and `args` (the page's `root`, say): the
macros are the theme's (`macros.html`), imported without a page's context.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

from markupsafe import Markup


class Rows:
    """Macro, item and arguments → the row's HTML; bound to one Jinja
    environment (its compiled macros)."""

    def __init__(self) -> None:
        self._made: dict[tuple, tuple[Any, str]] = {}
        self._kept = 0
        """How many rows were kept when `let_go` last looked."""

    def __call__(self, macro, items, *args) -> Markup:
        made, code = self._made, macro._func.__code__
        html = []
        for item in items:
            key = (code, id(item), *args)
            found = made.get(key)
            if found is None or found[0] is not item:
                found = made[key] = (item, str(macro(item, *args)))
            html.append(found[1])
        return Markup("".join(html))

    def let_go(self) -> None:
        """Forget the rows of items nothing else holds any more (the views of
        builds gone by), so that a session's memory stays flat: once there
        are twice as many as last time, so that a save that adds a row or
        two does not pay for a look at every row."""
        if len(self._made) < 2 * self._kept + 1000:
            return
        entries = Counter(id(item) for item, _ in self._made.values())
        # references to an item: each entry's tuple, getrefcount's own argument, and any others
        self._made = {key: entry for key, entry in self._made.items()
                      if sys.getrefcount(entry[0]) > entries[id(entry[0])] + 1}
        self._kept = len(self._made)
