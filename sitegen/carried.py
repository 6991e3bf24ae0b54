"""What a long-lived process (`sitegen serve`) carries from one build to the
next, so that what a save did not touch keeps its objects: each unchanged
TODO's Todo and view, each finding's view, each document's summary and
each item's priority rows, each file's and document's pages, the long
lists in order (site/ordered.py), and what all of those were hashed as.
A save then makes, lays out and hashes again only what it changed; at
100,000 files, doing all of it anew was 2 to 3 s of each save.

Objects are told apart by identity (`by_identity`, `changed`): what a save
made anew is what is not the very object the build before was given. A
memo holds the objects whose ids it keeps, so no new object can have one.

Each memo holds what the last build used, and is replaced by what the next
one uses, so nothing accumulates. Everything carried is only read: an
object found again stands for the same values (Todo is frozen; views are
copied with `dataclasses.replace`, never changed in place).

The HTML of the long lists' rows is kept beside the templates that made it,
by the session's renderer (site/rows.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import attrgetter, is_, itemgetter
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from sitegen.cache import KeptFiles

T = TypeVar("T")


@dataclass
class FileParts:
    """What todo_pages.file_layout laid out last: the page of each file that
    was one part, and every view it was given (by_identity), so that the next
    lays out again only the files whose views are not all the same objects."""

    by_path: dict[str, Any] = field(default_factory=dict)
    """Path → its page's one part (todo_pages.FilePart)."""
    todos: dict[int, Any] = field(default_factory=dict)
    findings: dict[int, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    """Path → its items, of every file laid out (FileLayout.counts)."""


@dataclass
class FilePages:
    """What todo_pages.file_pages made last: the page of each part of a file's
    page, and the links and dates it made them with."""

    by_part: dict[int, tuple] = field(default_factory=dict)
    """id of a part (which this holds) → (the part, its findings as shown, when its items were first seen, its page)."""
    made_with: tuple = ()
    """(listed_on, seen) as given: while they are equal, the page of the same part is kept unlooked at."""
    folders: tuple | None = None
    """(the counts, the files index's groups by folder made of them) (todo_pages.folder_groups)."""


@dataclass
class HashedPages:
    """What render._hashed hashed last, for a build of `build_key`; each
    build of the same key patches it (`patch`)."""

    build_key: str = ""
    pages: dict[str, Any] = field(default_factory=dict)
    """URL → the page."""
    hashes: dict[str, tuple] = field(default_factory=dict)
    """URL → the hash of the page's inputs."""
    by_id: dict[int, tuple] = field(default_factory=dict)
    """id of a page of `pages` (which holds it) → the hash of its inputs."""

    def patch(self, pages: list, made_anew: list[int], hashed: list[tuple]) -> list[str]:
        """Hold `pages` (with their `hashed`), which are the very pages held
        but at the positions `made_anew`; the URLs held before that `pages`
        have not are let go, and returned (sorted). A save touches a few of
        11,000 pages: three maps of them made again were 15 ms of each."""
        by_url, hashes, by_id = self.pages, self.hashes, self.by_id
        for at in made_anew:
            page = pages[at]
            earlier = by_url.get(page.url)
            if earlier is not None:
                del by_id[id(earlier)]  # (the page itself, when it was left unhashed)
            by_url[page.url] = page
            hashes[page.url] = by_id[id(page)] = hashed[at]
        if len(by_url) == len(pages):  # every URL held is one of `pages`' (which are each at one)
            return []
        gone = sorted(set(by_url).difference(map(attrgetter("url"), pages)))
        for url in gone:
            del by_id[id(by_url.pop(url))], hashes[url]
        return gone

    def note(self, page: Any, hashed: tuple) -> None:
        """The hash of a page of `pages` that was left unhashed (render.render_in_place)."""
        self.hashes[page.url] = self.by_id[id(page)] = hashed


class Published(NamedTuple):
    """A site a session published, as its next build checks it is still that one."""

    output: Path
    renderer_key: str
    ledger: dict | None
    """The ledger as saved (KeptFiles hands out this very object while its file is the one saved)."""
    entries: dict[str, list]
    """URL → the ledger's entry of each page of that site (Ledger.noted)."""
    folder: tuple[int, int] | None
    """The output folder's device and inode (another build's publish puts a new folder in its place)."""


@dataclass
class Carried:
    files: KeptFiles = field(default_factory=KeptFiles)
    """The cache files as last read or written (the ledger, the snippets)."""
    todos: dict[str, Any] = field(default_factory=dict)
    """todos.yaml line → the Todo made from it (content.TodosOfLines)."""
    hashes: dict[int, tuple] = field(default_factory=dict)
    """id of an object → what it was hashed as (ledger.Known)."""
    file_parts: FileParts = field(default_factory=FileParts)
    """The source files' pages of one part, and the views they were laid out from (todo_pages.file_layout)."""
    file_pages: FilePages = field(default_factory=FilePages)
    """The source files' pages as last made (todo_pages.file_pages)."""
    todo_order: Any = None
    """The TODO list's order, groups and counts as last made (todo_pages.TodoOrder)."""
    priority_table: Any = None
    """The priority table's rows in order, by priority, as last made (priority_pages.rows)."""
    hashed_pages: HashedPages = field(default_factory=HashedPages)
    """The pages the build before hashed, and what their inputs were hashed as (render._hashed)."""
    published: Published | None = None
    """The site this session published last, once its ledger was saved: the
    next build writes its few changed pages into that site in place
    (render.render_in_place). None while a build is under way, or after one failed."""
    made: dict[str, tuple] = field(default_factory=dict)
    """Name of a step → (its inputs, what it made) (reuse)."""
    each: dict[str, dict[int, tuple]] = field(default_factory=dict)
    """Name of a step made item by item → id of an item → (the item, what
    else it was made from, what was made) (reuse_each). The steps: a TODO's
    view and a finding's (views.todo_views, finding_views), a document's
    summary (views.document_summaries) and pages (pages.each_document_pages),
    and the priority rows of a document's tasks, of a TODO and of a finding
    (priority_pages.rows)."""
    contexts: dict[str, Any] = field(default_factory=dict)
    """Name of a step made item by item → the `context` its items were last made in (reuse_each)."""
    publishing: threading.Lock = field(default_factory=threading.Lock)
    """Held while a build writes into the published site or swaps a new one
    in: whoever stops the session takes it first (and keeps it), so that a
    Ctrl-C never leaves a site half written."""


def reuse(carried: Carried | None, name: str, inputs: tuple, make: Callable[[], T]) -> T:
    """What step `name` made in the build before, if its `inputs` are the
    same (each the same object, a list of the same objects, or an equal
    plain value), else make() now: the TODO lists and the layout of the file
    pages are made again only when some TODO or finding changed."""
    if carried is None:
        return make()
    before = carried.made.get(name)
    result = before[1] if before is not None and _same(before[0], inputs) else make()
    carried.made[name] = (inputs, result)
    return result


def reuse_each(carried: Carried | None, name: str, items: list, key: Callable[[Any], Any],
               make: Callable[[Any], T], context: Any = None) -> list[T]:
    """`make(item)` of each item. With `carried`: what step `name` of the
    build before made of the same item object, under an equal `key(item)`
    (what else it was made from: triage, blame…), is taken as it is; once
    done, the step's memo holds this build's. Without (a build that carries
    nothing), no key is computed. `context`: what every item's key is made
    of besides the item (the triage entries, say); while it equals the
    build before's, an item that is the same object keeps what was made of
    it with no key computed, and only the new items are looked at."""
    if carried is None:
        return [make(item) for item in items]
    earlier = carried.each.get(name, {})
    now = _kept_alike(earlier, items) if context is not None and carried.contexts.get(name) == context else None
    if now is not None:
        for new in now.keys() - earlier.keys():  # (the others: the same objects, their entries as they were)
            item = now[new]
            now[new] = (item, key(item), make(item))
        out = list(map(itemgetter(2), now.values()))
    else:
        now, out = {}, []
        for item in items:
            made_from = key(item)
            old = earlier.get(id(item))
            made = old[2] if old is not None and old[0] is item and old[1] == made_from else make(item)
            now[id(item)] = (item, made_from, made)
            out.append(made)
    carried.each[name] = now
    carried.contexts[name] = context
    return out


def _kept_alike(earlier: dict[int, tuple], items: list) -> dict[int, Any] | None:
    """id of each item → its entry in `earlier` (the same object: the memo
    holds it, so no other has its id), or the item itself where it is new;
    in the items' order. None if an item is listed twice."""
    ids = list(map(id, items))
    now = dict(zip(ids, map(earlier.get, ids, items)))
    return now if len(now) == len(items) else None


def by_identity(items: list) -> dict[int, Any]:
    """id → item: what `changed` compares. Holding the items keeps their ids
    from being given to new objects while the map is kept."""
    return dict(zip(map(id, items), items))


def positions_of(values: list, marker: Any) -> list[int]:
    """The positions in `values` that hold the very object `marker` (what
    stands for "not kept"), found in one pass in C: a save looks into the
    few of 10,000 entries that are not kept, not at each."""
    return list(compress(range(len(values)), map(is_, values, repeat(marker))))


def changed(before: dict[int, Any], now: dict[int, Any]) -> list:
    """The items of `now` that are not in `before` (both `by_identity`), in no
    set order: one of the two calls that give what a save added and took away."""
    return [now[key] for key in now.keys() - before.keys()]


_PLAIN = (str, int, float, bool, type(None), dict, tuple)


def _same(before: tuple, now: tuple) -> bool:
    return len(before) == len(now) and all(map(_same_input, before, now))


def _same_input(before: Any, now: Any) -> bool:
    if before is now:
        return True
    kind = type(now)
    if kind is not type(before):
        return False
    if kind is list:
        return len(before) == len(now) and all(map(is_, before, now))
    return kind in _PLAIN and before == now
