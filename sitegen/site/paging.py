"""Long lists split into pages of a bounded number of rows, each complete
HTML without JavaScript: a list of 50,000 TODOs is about 67 pages of 700
to 1,000 rows, not one page of 21 MB that a browser stalls on.

A list's first page keeps the list's URL (`todos/index.html`); the others
add their number (`todos/index-2.html`), in the same folder, so relative
links work the same on every page. Every item keeps its stable URL, the
anchor on its own file's or document's page; a list page is only a view.

Where a list's items have stable keys (`ends`) and one page cannot hold
it, its pages end where the items' keys say, as content-defined chunking
cuts files: a page that holds FILL of its limits ends after the next item
whose key's hash is a mark (one key in CUT_EVERY), or when full. A row
added to or taken from a list then changes the page it is on, not every
page after it, so a save in `sitegen serve` rewrites a page or two of a
50-page list, and a deploy of the site uploads as few. What every page
shows is what does not move with one row: its page number of how many, the
group names; counts and totals are on the first page alone (`first`).
"""

from __future__ import annotations

import posixpath
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from sitegen.site import urls
from sitegen.site.pagespec import PageSpec

PAGE_ROWS = 1000
"""Rows a list page holds at most: about 0.5 MB of HTML for TODO rows."""
PAGE_BYTES = 1_500_000
"""Bytes of HTML a list page holds at most, as `row_bytes` estimates them
(rows of long findings fill a page before 1,000 do; pages stay under 2 MB)."""
ROW_BYTES = 600
"""A row's markup without its text: cells, classes, badges, links."""
FILL = 0.7
"""How full (of rows or of bytes) a page is before a mark may end it."""
CUT_EVERY = 50
"""One key in this many is a mark: pages of a long list hold 0.7 to 1 of
PAGE_ROWS, about 750 on average; one in about 430 is cut full, with no mark
in its last 300 rows ((49/50)**300)."""


def is_mark(key: str) -> bool:
    """Whether a page may end after the item whose stable key is `key`
    (a hash that is the same in every process, unlike `hash`)."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % CUT_EVERY == 0


Ends = Callable[[Any], bool]
"""Whether a page may end after an item, by its stable key (`is_mark`)."""


def marked_by(stable_key: Callable[[Any], str]) -> Ends:
    """The `Ends` of items whose stable key `stable_key` gives (a TODO's id,
    a document's slug, a file's path)."""
    return lambda item: is_mark(stable_key(item))


def row_bytes(item: Any) -> int:
    """An upper estimate of the HTML of `item`'s row: the markup, and its
    text (`shown_chars`, when the item has it) escaped and linked."""
    return ROW_BYTES + 2 * getattr(item, "shown_chars", 0)


Weigh = Callable[[Any], int] | int | dict[int, int]
"""An upper estimate of a row's HTML in bytes (`row_bytes` for a list's
rows); a number for rows that all weigh it (ROW_BYTES for rows of no
`shown_chars`: the files index's (path, count)); or the weight of each row
by its id, made once for the lists a row is on (the TODO list's)."""


def running_weights(items: Sequence, weigh: Weigh) -> Sequence[int]:
    """The weights of `items` summed so far: [0, w0, w0 + w1, …] (weights are
    not negative, so the sums never fall: a page's end is a bisection)."""
    if isinstance(weigh, int):  # a range: no call per row of a list of 10,000
        return range(0, (len(items) + 1) * weigh, weigh) if weigh > 0 else [0] * (len(items) + 1)
    if isinstance(weigh, dict):  # looked up in C, no call per row
        return list(accumulate(map(weigh.__getitem__, map(id, items)), initial=0))
    return list(accumulate(map(weigh, items), initial=0))


class _Page:
    """The page being filled: rows and bytes so far, against their limits, and
    (for a list of groups) the parts of groups it holds."""

    def __init__(self, size: int, budget: int, above: int = 0):
        self.size, self.budget = size, budget
        self.rows, self.bytes = 0, above
        self.parts: list[GroupPart] = []
        self.ended = False
        """Ended at a mark, before it was full."""

    @property
    def full(self) -> bool:
        return self.ended or self.rows >= self.size or self.bytes >= self.budget

    def take(self, summed: Sequence[int], start: int, items: Sequence = (), ends: Ends | None = None) -> int:
        """The end of the `items` from `start` that fit on this page, given
        their `running_weights`; an empty page takes one however large. With
        `ends`, it ends earlier, after the first item that `ends` once FILL
        full (a look at a few dozen items, not at every item of the list)."""
        count = len(summed) - 1
        last = min(count, start + self.size - self.rows)
        if start >= last or self.ended:
            return start
        first = start + 1 if self.rows == 0 else start  # taken whatever it weighs
        end = max(first, bisect_right(summed, summed[start] + self.budget - self.bytes, first, last + 1) - 1)
        if ends is not None:
            filled_rows = start + int(self.size * FILL) - self.rows
            filled_bytes = bisect_left(summed, summed[start] + int(self.budget * FILL) - self.bytes, start, count + 1)
            for mark in range(max(start, min(filled_rows, filled_bytes) - 1), end):
                if ends(items[mark]):
                    end, self.ended = mark + 1, True
                    break
        self.rows += end - start
        self.bytes += summed[end] - summed[start]
        return end


@dataclass(frozen=True)
class Pager:
    """Where a page is in its list, for the templates' page links."""

    number: int
    """1-based."""
    urls: tuple[str, ...]
    """Every page of the list, first to last (site-relative)."""
    first_row: int | None = None
    """1-based position of the page's first row in the list (0 for an empty
    list); None on a long list's pages, whose pager says which page of how
    many (a row added would move the rows of every later page)."""
    last_row: int | None = None
    total: int | None = None

    @property
    def count(self) -> int:
        return len(self.urls)

    @property
    def previous(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None


def chunks(rows: Sequence, size: int = PAGE_ROWS, budget: int = PAGE_BYTES,
           weigh: Weigh = row_bytes, ends: Ends | None = None) -> list[tuple[int, int]]:
    """(start, end) of each page's rows; one empty page for an empty list."""
    spans, start, summed = [], 0, running_weights(rows, weigh)
    ends = None if _one_page_holds(len(rows), summed[-1], size, budget) else ends
    while start < len(rows):
        end = _Page(size, budget).take(summed, start, rows, ends)
        spans.append((start, end))
        start = end
    return spans or [(0, 0)]


def pagers(spans: list[tuple[int, int]], page_urls: Sequence[str]) -> list[Pager]:
    """The pager of each page of a list cut at `spans` (`chunks`), whose pages
    are at `page_urls`."""
    total, page_urls = spans[-1][1], tuple(page_urls)
    return [Pager(n + 1, page_urls, start + 1 if end else 0, end, total) for n, (start, end) in enumerate(spans)]


def paged(url: str, template: str, context: dict[str, Any], rows: Sequence, key: str = "items",
          size: int = PAGE_ROWS, budget: int = PAGE_BYTES, weigh: Weigh = row_bytes,
          ends: Ends | None = None, first: dict[str, Any] | None = None) -> list[PageSpec]:
    """The pages of a flat list: each gets `context`, its slice of `rows` under
    `key`, and a `pager` (which page of how many); `first`: what the first
    page alone shows (the others get its keys as None)."""
    spans = chunks(rows, size, budget, weigh, ends)
    page_urls = tuple(urls.part(url, n) for n in range(1, len(spans) + 1))
    return [PageSpec(page_urls[n], template, {**_context(context, first, n), key: rows[start:end],
                                              "pager": Pager(n + 1, page_urls)})
            for n, (start, end) in enumerate(spans)]


def _context(context: dict[str, Any], first: dict[str, Any] | None, n: int) -> dict[str, Any]:
    """What page `n` (0-based) of a list gets besides its rows: `context`, and
    `first`'s keys, None but on the first page."""
    return {**context, **((first or {}) if n == 0 else dict.fromkeys(first or {}))}


def _one_page_holds(rows: int, weight: int, size: int, budget: int) -> bool:
    """Whether one page holds a list (then it is not cut at a mark: its table sorts in place)."""
    return rows <= size and weight <= budget


@dataclass(frozen=True)
class GroupPart:
    """The part of a group one page shows."""

    number: int
    """1-based position of the group in the list (its anchor: `#<grouping>-<number>`)."""
    name: str
    items: Sequence
    size: int | None
    """How many items the whole group has; None on a continued part, unless
    the list's template shows it there too (`paged_groups`): a TODO added to
    a group then changes the page it is on and the group's first, not every
    page of the group."""
    continued: bool
    """Its first items are on an earlier page."""


def paged_groups(url: str, template: str, context: dict[str, Any], groups: Sequence[tuple[str, Sequence]],
                 grouping: str, size: int = PAGE_ROWS, budget: int = PAGE_BYTES,
                 weigh: Weigh = row_bytes, header: Callable[[str], int] | None = None,
                 first: dict[str, Any] | None = None, ends: Ends | None = None,
                 sized: bool = False) -> list[PageSpec]:
    """The pages of a list of named groups: whole groups while they fit, a long
    group split over pages. Each page gets `context`, its `parts`, a `pager`,
    and `index`: (name, count, href) of every group, the href leading to the
    page and anchor where the group starts, the count None but on the first
    page. `header`: the bytes a group shows above its first part (a report's
    notes, say), by its name. `first`: what the first page alone shows (the
    others get its keys as None), so that a change of a total there changes
    that page, not every page of the list. `sized`: a continued part has its
    group's size too (its template shows it)."""
    pages = [_Page(size, budget)]
    weights = [(header(name) if header is not None else 0, running_weights(items, weigh)) for name, items in groups]
    rows, weight = sum(len(items) for _, items in groups), sum(above + summed[-1] for above, summed in weights)
    ends = None if _one_page_holds(rows, weight, size, budget) else ends
    for number, ((name, items), (above, summed)) in enumerate(zip(groups, weights), start=1):
        start = 0
        if above and pages[-1].rows and (pages[-1].ended or pages[-1].bytes + above > budget):
            pages.append(_Page(size, budget))
        pages[-1].bytes += above
        while True:  # at least one part, for an empty group too
            page = pages[-1]
            end = page.take(summed, start, items, ends)
            if end == start < len(items) or (page.full and not items and page.parts):  # it starts the next page
                pages.append(_Page(size, budget, above if start == 0 else 0))
                continue
            page.parts.append(GroupPart(number, name, items[start:end], len(items) if sized or not start else None,
                                        start > 0))
            start = end
            if start >= len(items):
                break
    page_urls = tuple(urls.part(url, n) for n in range(1, len(pages) + 1))
    starts = {part.number: page_urls[n] for n, page in enumerate(pages) for part in page.parts if not part.continued}
    index = [(name, len(items), f"{posixpath.basename(starts[number])}#{grouping}-{number}")
             for number, (name, items) in enumerate(groups, start=1)]
    uncounted = [(name, None, href) for name, _, href in index]
    return [PageSpec(page_urls[n], template, {**_context(context, first, n), "parts": page.parts,
                                              "index": uncounted if n else index, "grouping": grouping,
                                              "pager": Pager(n + 1, page_urls)})
            for n, page in enumerate(pages)]


def group_hrefs(pages: list[PageSpec]) -> dict[str, str]:
    """Group name → the href (relative to the list's folder) where it starts."""
    return {name: href for name, _, href in pages[0].inputs["index"]} if pages else {}
