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

import weakref

from markupsafe import Markup


class Rows:
    """Macro, item and arguments → the row's HTML; bound to one Jinja
    environment (its compiled macros). Items are held weakly: the rows of
    an item live as long as something else keeps the item (a session's
    carried views), and a kept row never keeps its item alive (nor, through
    it, the hashes carried for it: render._keep_held)."""

    def __init__(self) -> None:
        self._made: dict[tuple, dict[int, tuple[weakref.ref, str]]] = {}
        """(macro's code, arguments) → id of an item → (the item, held weakly, its row)."""
        self._kept = 0
        """How many rows were kept when `let_go` last looked."""

    def __len__(self) -> int:
        """How many rows are kept."""
        return sum(map(len, self._made.values()))

    def __call__(self, macro, items, *args) -> Markup:
        # A macro is made anew for each page; the code it runs is the template's own.
        code = getattr(getattr(macro, "_func", None), "__code__", None)
        if code is None:  # not a Jinja 3.1 macro as known here: each row rendered as it comes
            return Markup("".join(str(macro(item, *args)) for item in items))
        made = self._made.setdefault((code, *args), {})
        html = []
        for item in items:
            found = made.get(id(item))
            if found is None or found[0]() is not item:
                row = str(macro(item, *args))
                try:
                    made[id(item)] = (weakref.ref(item), row)
                except TypeError:  # an item that cannot be held weakly: rendered each time
                    pass
                html.append(row)
            else:
                html.append(found[1])
        return Markup("".join(html))

    def let_go(self) -> None:
        """Forget the rows of items gone (the views of builds gone by), so that
        a session's memory stays flat: once there are twice as many as last
        time, so that a save that adds a row or two does not pay for a look
        at every row."""
        if len(self) < 2 * self._kept + 1000:
            return
        self._made = {made_by: {key: entry for key, entry in rows.items() if entry[0]() is not None}
                      for made_by, rows in self._made.items()}
        self._kept = len(self)
