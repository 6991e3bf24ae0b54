"""Pages for TODO comments: the list of all of them with grouped views, the
file tree, and one page per source file with each item in its context."""

from __future__ import annotations

import functools
import heapq
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import compress, groupby, repeat
from operator import attrgetter, itemgetter

from sitegen.carried import Carried, FilePages, FileParts, by_identity, changed, positions_of
from sitegen.items import SETTLED
from sitegen.model import PRIORITIES
from sitegen.site import urls
from sitegen.site.highlight import Snippets
from sitegen.site.ordered import PATCHED_MOST, Ordered, grouped, ordered, patched
from sitegen.site.paging import (
    PAGE_BYTES,
    PAGE_ROWS,
    ROW_BYTES,
    Pager,
    chunks,
    group_hrefs,
    marked_by,
    paged,
    paged_groups,
    pagers,
    row_bytes,
)
from sitegen.site.pagespec import PageSpec, Resources
from sitegen.site.views import FindingView, TodoView
from sitegen.triage import CLOSED


@dataclass
class Folder:
    name: str
    path: str
    count: int = 0
    folders: list["Folder"] = field(default_factory=list)
    files: list[tuple[str, str, int]] = field(default_factory=list)
    """(name, path, count) of the files directly inside."""


MAX_TREE_DEPTH = 32
"""Folders shown nested in the file tree (whose template recurses once a
level); a file deeper down is listed in the last of them by the rest of its path."""


def file_tree(counts: dict[str, int]) -> Folder:
    root = Folder("", "")
    for path in sorted(counts):
        folder = root
        parts = path.split("/")
        folders = parts[:-1][:MAX_TREE_DEPTH]
        root.count += counts[path]
        for depth, name in enumerate(folders):
            sub = next((f for f in folder.folders if f.name == name), None)
            if sub is None:
                sub = Folder(name, "/".join(parts[:depth + 1]))
                folder.folders.append(sub)
            sub.count += counts[path]
            folder = sub
        folder.files.append(("/".join(parts[len(folders):]), path, counts[path]))
    return root


def _findings_by_file(findings: list[FindingView]) -> dict[str, list[tuple[FindingView, int | None]]]:
    found: dict[str, list[tuple[FindingView, int | None]]] = {}
    for finding in findings:
        for location in finding.locations:
            if location.inside_root:
                found.setdefault(location.path, []).append((finding, location.line))
    return found


_ENDS = marked_by(attrgetter("todo.id"))
"""Where a page of a list of TODOs may end (paging)."""
GROUPINGS = {"category": attrgetter("todo.category"), "tag": attrgetter("todo.tag")}
"""The TODO list's grouped views: the name of each item's group."""
_FILE = attrgetter("todo.file")
_LINE = attrgetter("todo.line")


def _place(view: TodoView) -> tuple[str, str, int]:
    """The TODO list's order: by priority, then place."""
    return view.priority, view.todo.file, view.todo.line


@dataclass(frozen=True)
class TodoTotals:
    """The dashboard's TODO figures."""

    total: int
    by_priority: dict[str, int]
    hotspots: list[tuple[str, int]]
    """The files with the most TODOs, most first."""


@dataclass(frozen=True)
class TodoOrder:
    """The TODO list in order, its groups and counts: what todo_pages lays
    out, and what `sitegen serve` patches for the TODOs a save changed (kept
    as Carried.todo_order; only read once made)."""

    lists: Ordered[TodoView]
    """The list, and its groups by category and by tag."""
    priorities: Counter
    authors: Counter
    files: Counter
    """TODOs of each file (the dashboard's hotspots)."""
    weights: dict[int, int]
    """id of a view → its row's weight (paging.row_bytes), for the three lists each TODO is on."""
    hotspots: list[tuple[str, int]]
    """(path, TODOs) of the files with the most, most first (then by path)."""
    settled: int
    """The TODOs whose status settles them (items.SETTLED: the badge counts the others)."""

    @classmethod
    def of(cls, items: list[TodoView], views: dict[int, TodoView]) -> TodoOrder:
        lists = ordered(items, views, _place, GROUPINGS)
        files = Counter(map(_FILE, items))
        return cls(lists, Counter(map(attrgetter("priority"), items)),
                   Counter(v.todo.author for v in items if v.todo.author), files,
                   dict(zip(map(id, lists.rows), map(row_bytes, lists.rows))), _most(files.items()),
                   sum(map(SETTLED.__contains__, map(attrgetter("status"), items))))

    def patched(self, views: dict[int, TodoView]) -> TodoOrder | None:
        """This order with the views a save changed taken out and put in
        (ordered.patched), and counted; None where that cannot be."""
        found = patched(self.lists, views, _place, GROUPINGS)
        if found is None:
            return None
        lists, added, removed = found
        weights, settled = dict(self.weights), self.settled
        priorities, authors, files = Counter(self.priorities), Counter(self.authors), Counter(self.files)
        for view, step in [*((view, -1) for view in removed), *((view, 1) for view in added)]:
            _count(priorities, view.priority, step)
            _count(files, view.todo.file, step)
            if view.todo.author:
                _count(authors, view.todo.author, step)
            if view.status in SETTLED:
                settled += step
            if step > 0:
                weights[id(view)] = row_bytes(view)
            else:
                del weights[id(view)]
        touched = {view.todo.file for view in (*removed, *added)}
        return TodoOrder(lists, priorities, authors, files, weights, self._hotspots_patched(files, touched), settled)

    def _hotspots_patched(self, files: Counter, touched: set[str]) -> list[tuple[str, int]]:
        """The hotspots of `files`, the counts of this order's but for the
        files `touched`: while no hotspot lost a TODO, every file that was
        not one and is not touched still ranks below them all."""
        if any(files[path] < count for path, count in self.hotspots if path in touched):
            return _most(files.items())
        return _most({**dict(self.hotspots), **{path: files[path] for path in touched if files[path]}}.items())

    @property
    def open(self) -> int:
        """The TODOs not settled (the TODOs badge)."""
        return len(self.lists.rows) - self.settled

    @functools.cached_property
    def totals(self) -> TodoTotals:
        """The dashboard's TODO figures, from the list's counts (made once an order: an
        order a save kept keeps them)."""
        return TodoTotals(total=len(self.lists.rows), by_priority={p: self.priorities[p] for p in PRIORITIES},
                          hotspots=self.hotspots)

    def counts(self) -> dict[str, object]:
        """The list's counts, groups by size then name."""
        sizes = {grouping: {name: len(rows) for name, rows in named.items()}
                 for grouping, named in self.lists.groups.items()}
        return {"priority": self.totals.by_priority, "tag": _by_size(sizes["tag"]),
                "category": _by_size(sizes["category"]), "author": _by_size(self.authors)}


def _count(counter: Counter, key: str, step: int) -> None:
    """Add `step` to `key`'s count, which goes once it is 0 (no `+counter`: a pass over 10,000 files)."""
    count = counter[key] + step
    if count > 0:
        counter[key] = count
    else:
        del counter[key]


HOTSPOTS = 10


def _most(counts: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """The HOTSPOTS (path, count) of the most counted, most first, then by path."""
    return heapq.nsmallest(HOTSPOTS, counts, key=lambda pair: (-pair[1], pair[0]))  # (sorted(…)[:10])


def _by_size(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def todo_order(items: list[TodoView], carried: Carried | None = None,
               by_id: dict[int, TodoView] | None = None) -> TodoOrder:
    """The TODO list's order, groups and counts. `carried`: the order an
    earlier build made (Carried.todo_order), patched for the views that
    changed while they are few; once made, it holds this build's. `by_id`:
    the items by_identity, if made already."""
    views = by_identity(items) if by_id is None else by_id
    before = carried.todo_order if carried is not None else None
    order = before.patched(views) if before is not None else None
    if order is None:
        order = TodoOrder.of(items, views)
    if carried is not None:
        carried.todo_order = order
    return order


def todo_pages(order: TodoOrder, items: list[TodoView], meta: dict) -> list[PageSpec]:
    """The TODO list and its grouped views, of `items` in their `order` (todo_order)."""
    counts = order.counts()
    groups = {grouping: [(name, order.lists.groups[grouping][name]) for name, _ in counts[grouping]]
              for grouping in GROUPINGS}

    grouped = {
        grouping: paged_groups(url, "groups.html", {"kind": "todos", "noun": "TODOs"}, groups[grouping], grouping,
                               weigh=order.weights, ends=_ENDS)
        for grouping, url in (("category", urls.TODOS_BY_CATEGORY), ("tag", urls.TODOS_BY_TAG))
    }
    listed = paged(urls.TODOS, "todos/index.html", {}, order.lists.rows, weigh=order.weights, ends=_ENDS, first={
        "counts": counts, "summary": meta.get("summary", {}), "revision": meta.get("revision"),
        "group_hrefs": {grouping: group_hrefs(pages) for grouping, pages in grouped.items()},
        # (a view has a date only from the blame: without it, no look at 10,000 views)
        "oldest": oldest(items) if meta.get("blame") else [], "total": len(order.lists.rows),
    })
    return [*listed, *grouped["category"], *grouped["tag"]]


OLDEST_SHOWN = 20


def oldest(items: list[TodoView]) -> list[TodoView]:
    """The open TODOs whose lines have gone longest unchanged (by git blame), oldest first."""
    blamed = [v for v in compress(items, map(attrgetter("changed"), items)) if v.status not in CLOSED]  # (C: no blame)
    return sorted(blamed, key=lambda v: (v.changed, v.todo.file, v.todo.line))[:OLDEST_SHOWN]


ARTICLE_BYTES = 900
"""A TODO's article on its file's page without its text and source lines:
heading, badges, permalink, details."""
LINE_BYTES = 60
"""A highlighted source line's markup besides its tokens: number, marked line."""
TOKEN_BYTES = 24
"""The markup pygments wraps a token in (`<span class="nb">…</span>`)."""
_SEPARATORS = {code: None for code in range(128) if not (chr(code).isalnum() or chr(code) == "_")}
"""ASCII characters that end a word: each may be a token of its own, and end one."""


def _source_bytes(lines: list[str]) -> int:
    """An upper estimate of `lines` highlighted: each token in its span (a
    line has at most twice as many tokens as characters that end a word, plus
    one), each character escaped, each line numbered. String methods only:
    every build weighs each line of a file with thousands of TODOs."""
    text = "\n".join(lines)
    separators = len(text) - len(text.translate(_SEPARATORS))
    escaped = sum(map(text.count, "&<>\"'"))
    return len(text) + TOKEN_BYTES * (2 * separators + len(lines)) + 5 * escaped + LINE_BYTES * len(lines)


def _most_bytes(row) -> int:
    """What no row of a file's page can exceed: as if each character of its
    source lines were a token of its own and escaped (`_source_bytes` at most)."""
    if isinstance(row, TodoView):
        context = row.todo.context
        return (ARTICLE_BYTES + 2 * row.shown_chars + (TOKEN_BYTES + 6) * sum(map(len, context))
                + LINE_BYTES * len(context))
    return row_bytes(row[0])


def _row_bytes(row) -> int:
    """A file page's row: a TODO with its source lines, or a finding's line."""
    if isinstance(row, TodoView):
        return ARTICLE_BYTES + 2 * row.shown_chars + _source_bytes(row.todo.context)
    return row_bytes(row[0])


def _file_parts(rows: list) -> list[tuple[int, int]]:
    """(start, end) of the rows each part of one file's page shows: all of
    them on one page while they surely fit (the common case, weighed without
    a regex), else cut by the paging of lists."""
    if len(rows) <= PAGE_ROWS and sum(map(_most_bytes, rows)) <= PAGE_BYTES:
        return [(0, len(rows))]
    return chunks(rows, weigh=_row_bytes)


@dataclass
class FilePart:
    """One part of a source file's page: its findings and TODOs."""

    path: str
    findings: list[tuple[FindingView, int | None]]
    """(finding, line) of each, the finding's details listed elsewhere (`file_pages`)."""
    items: list[TodoView]
    pager: Pager
    todo_count: int
    finding_count: int
    continued: dict[str, bool]
    """Whether its findings and its TODOs begin on an earlier part."""


@dataclass
class FileLayout:
    """The pages of the source files that have items, and where each item is."""

    parts: list[FilePart]
    counts: dict[str, int]
    """Items of each file, in path order."""
    summary: dict
    placing: dict
    """Each item on a part after the first (a TODO's id, or (path, finding id)) → that part's URL (views.placed)."""
    patched_from: dict | None = None
    """The counts of the layout this one was patched from (FileParts.counts), if it was."""
    touched: set[str] = field(default_factory=set)
    """The files it laid out again then."""


def file_layout(items: list[TodoView], findings: list[FindingView] = (),
                carried: FileParts | None = None, by_id: dict[int, TodoView] | None = None) -> FileLayout:
    """Each file's page: its findings (by line, then priority), then its TODOs
    in line order, split into parts as a list is (`paging`) when they are
    many. The first part keeps the page's URL. `carried` (Carried.file_parts):
    what an earlier build laid out; the page of a file in one part is kept
    while none of the file's views changed. Once laid out, it holds this
    build's. `by_id`: the items by_identity, if made already."""
    findings_by_file = _findings_by_file(findings)
    todo_ids, finding_ids = by_identity(items) if by_id is None else by_id, by_identity(findings)
    earlier = carried.by_path if carried is not None else {}
    touched, added = _files_changed(carried, todo_ids, finding_ids) if earlier else (set(), [])
    patching = earlier and len(earlier) == len(carried.counts) and len(touched) <= PATCHED_MOST
    if patching:
        # Every file of the layout before was one part, kept: the TODOs of the files touched are enough.
        by_file = _touched_todos(earlier, touched, todo_ids, added)
        if by_file is None:
            by_file = grouped(list(compress(items, map(touched.__contains__, map(_FILE, items)))), _FILE)
        counts = _counts_patched(carried.counts, touched, by_file, findings_by_file)
    else:
        by_file = grouped(items, _FILE)
        counts = {path: len(by_file.get(path, ())) + len(findings_by_file.get(path, ()))
                  for path in sorted({*by_file, *findings_by_file})}
    paths = list(counts)
    summary = {"todos": len(items), "findings": sum(map(len, findings_by_file.values())), "files": len(paths)}
    taken = _Taken(paths)
    laid = {path: _file_parts_of(path, by_file.get(path, ()), findings_by_file.get(path, ()), taken)
            for path in (touched if patching else paths) if path in counts and (path in touched or path not in earlier)}
    now = dict(earlier)
    for path in touched:
        now.pop(path, None)
    now.update((path, file_parts[0]) for path, file_parts in laid.items() if len(file_parts) == 1)
    if len(now) == len(paths):  # every file in one part (in C: 10,000 files a save did not touch)
        parts, placing = list(map(now.__getitem__, paths)), {}
    else:
        parts = [part for path in paths for part in (laid[path] if path in laid else (now[path],))]
        placing = _placing(parts)
    if carried is not None:
        patched_from = carried.counts if patching else None
        carried.by_path, carried.todos, carried.findings, carried.counts = now, todo_ids, finding_ids, counts
        return FileLayout(parts, counts, summary, placing, patched_from, touched)
    return FileLayout(parts, counts, summary, placing)


class _Taken:
    """The URLs of the files' first pages, made when a file's page is split
    (its other parts' URLs must not be one of those)."""

    def __init__(self, paths: list[str]):
        self.paths = paths

    @functools.cached_property
    def urls(self) -> set[str]:
        return {urls.file_page(path) for path in self.paths}


def _file_parts_of(path: str, todos: list[TodoView], findings: list[tuple[FindingView, int | None]],
                   taken: _Taken) -> list[FilePart]:
    """The parts of one file's page: its findings (by line, then priority),
    then its TODOs in line order, split as a list is when they are many."""
    file_items = sorted(todos, key=_LINE)
    file_findings = sorted(findings, key=lambda pair: (pair[1] or 0, pair[0].priority))
    split = len(file_findings)
    spans = _file_parts([*file_findings, *file_items])
    page_urls = [urls.file_part(path, n, taken.urls if len(spans) > 1 else ()) for n in range(1, len(spans) + 1)]
    return [FilePart(path, file_findings[start:min(end, split)],
                     file_items[max(start - split, 0):max(end - split, 0)], pager, len(file_items),
                     split, {"findings": 0 < start < split, "items": start > split})
            for (start, end), pager in zip(spans, pagers(spans, page_urls))]


def _placing(parts: list[FilePart]) -> dict:
    """Each item on a part after its file's first → that part's URL."""
    placing = {}
    for part in parts:
        if part.pager.number > 1:
            url = part.pager.urls[part.pager.number - 1]
            placing.update((v.todo.id, url) for v in part.items)
            placing.update(((part.path, v.finding.id), url) for v, _ in part.findings)
    return placing


def _counts_patched(before: dict[str, int], touched: set[str], by_file: dict[str, list],
                    findings_by_file: dict[str, list]) -> dict[str, int]:
    """The items of each file (in path order), from those `before` and the
    items now of the files `touched` (`by_file`, `findings_by_file`)."""
    counts, added = dict(before), False
    for path in touched:
        count = len(by_file.get(path, ())) + len(findings_by_file.get(path, ()))
        if count:
            added = added or path not in counts
            counts[path] = count
        else:
            counts.pop(path, None)
    return {path: counts[path] for path in sorted(counts)} if added else counts


def _files_changed(carried: FileParts, todos: dict[int, TodoView],
                   findings: dict[int, FindingView]) -> tuple[set[str], list[TodoView]]:
    """(the files some view of which is not one `carried` was laid out from,
    or was and is gone; the TODOs' views that are new)."""
    added = changed(carried.todos, todos)
    finding_views = [*changed(carried.findings, findings), *changed(findings, carried.findings)]
    return {view.todo.file for view in (*added, *changed(todos, carried.todos))} | {
        location.path for view in finding_views for location in view.locations if location.inside_root}, added


def _touched_todos(earlier: dict[str, FilePart], touched: set[str], current: dict[int, TodoView],
                   added: list[TodoView]) -> dict[str, list[TodoView]] | None:
    """The TODOs now of each file `touched` (_file_parts_of puts them in line
    order): those on its one part before that are still `current`
    (by_identity), and those `added`;
    with no pass over every TODO (10 ms at 10,000). None when two are on one
    line: their order is the scan's, which only the whole list tells."""
    by_file = {path: [v for v in earlier[path].items if current.get(id(v)) is v] if path in earlier else []
               for path in touched}
    for view in added:
        by_file[view.todo.file].append(view)
    if any(len(set(map(_LINE, views))) < len(views) for views in by_file.values()):
        return None
    return by_file


def file_pages(layout: FileLayout, listed_on: dict[str, str] | None = None,
               seen: dict[str, str] | None = None,
               carried: FilePages | None = None) -> tuple[list[PageSpec], list[PageSpec]]:
    """(the file index, each part of each file's page). The file pages'
    inputs have no highlighted source: `with_context` adds it, in whichever
    process renders the page. `listed_on`: finding id → the list page showing
    its details (finding_pages.listed_on); `seen`: item id → when it was first
    seen (trends.seen_dates). `carried` (Carried.file_pages): an earlier
    build's page of the same part (the same object, see file_layout), kept
    while what else it shows is equal; once made, it holds this build's."""
    listed_on, seen = listed_on or {}, seen or {}
    earlier, parts = carried.by_part if carried is not None else {}, layout.parts
    # The same links and dates: a part laid out before shows what it showed; its page is
    # found in one pass in C (10,000 parts not looked into).
    same_links = carried is not None and carried.made_with == (listed_on, seen)
    made = list(map(earlier.get, map(id, parts))) if same_links else [None] * len(parts)
    for at in positions_of(made, None):
        part = parts[at]
        shown_findings = [(v, line, urls.item(listed_on.get(v.finding.id, urls.FINDINGS), v.finding.id))
                          for v, line in part.findings]
        part_seen = _seen_of(seen, part.items, shown_findings)
        before = earlier.get(id(part))
        if before is not None and before[1] == shown_findings and before[2] == part_seen:
            page = before[3]
        else:
            page = PageSpec(part.pager.urls[part.pager.number - 1], "files/file.html", {
                "path": part.path, "items": part.items, "findings": shown_findings, "seen": part_seen,
                "todo_count": part.todo_count, "finding_count": part.finding_count, "pager": part.pager,
                "continued": part.continued}, with_context)
        made[at] = (part, shown_findings, part_seen, page)
    if carried is not None:
        carried.by_part, carried.made_with = dict(zip(map(id, parts), made)), (listed_on, seen)
    return file_index(layout.counts, layout.summary, lambda: folder_groups(layout, carried)), list(
        map(itemgetter(3), made))


def _seen_of(seen: dict[str, str], todos: list[TodoView], findings: list) -> dict[str, str]:
    """When each item of one file's page was first seen (what its page depends on)."""
    if not seen:  # no history: 10,000 files' ids not gathered for nothing
        return {}
    ids = [v.todo.id for v in todos] + [view.finding.id for view, _, _ in findings]
    return {item_id: seen[item_id] for item_id in ids if item_id in seen}


def file_index(counts: dict[str, int], summary: dict,
               groups: Callable[[], dict[str, list[tuple[str, int]]]] | None = None) -> list[PageSpec]:
    """The files that have items: a tree while it fits one page, else a list
    of them by top-level folder over as many pages as it needs (`groups`:
    by_folder of `counts`, if it can be had for less, folder_groups)."""
    if len(counts) <= PAGE_ROWS:
        return [PageSpec(urls.FILES, "files/index.html", {**summary, "tree": file_tree(counts)})]
    # The totals on the first page only: a TODO more then changes that page and
    # the one listing its file, not every page of the list.
    folders = groups() if groups is not None else by_folder(counts)
    return paged_groups(urls.FILES, "files/index.html", {}, list(folders.items()), "folder",
                        first=summary, weigh=ROW_BYTES, ends=marked_by(itemgetter(0)))


def by_folder(counts: dict[str, int]) -> dict[str, list[tuple[str, int]]]:
    """The (path, count) of each file by its top-level folder ("name/"), the
    files at the top under "(top level)"; `counts` sorted by path."""
    found: dict[str, list[tuple[str, int]]] = {}
    # Sorted by path, a folder's files are together (the top level's may be between
    # folders): taken a run of one folder at a time, each path split in C (10,000 a save).
    heads = map(itemgetter(slice(0, 2)), map(str.partition, counts, repeat("/")))
    for (head, slash), run in groupby(zip(heads, counts.items()), key=itemgetter(0)):
        found.setdefault(_folder(head, slash), []).extend(map(itemgetter(1), run))
    return found


def _folder(head: str, slash: str) -> str:
    return head + "/" if slash else "(top level)"


def folder_groups(layout: FileLayout, carried: FilePages | None) -> dict[str, list[tuple[str, int]]]:
    """by_folder of the layout's counts. With `carried`: when the layout was
    patched from the one these groups were last made of, and its files are
    the same, those groups with the rows of the files it touched made anew;
    the other rows are the same objects, so the index's pages that do not
    list a touched file are found unchanged by identity (render._hashed)."""
    before = carried.folders if carried is not None else None
    counts = layout.counts
    if (before is not None and layout.patched_from is before[0] and len(counts) == len(before[0])
            and all(path in counts and path in before[0] for path in layout.touched)):
        groups, copied = dict(before[1]), set()
        for path in layout.touched:
            folder = _folder(*path.partition("/")[:2])
            if folder not in copied:  # (before's lists are only read)
                copied.add(folder)
                groups[folder] = list(groups[folder])
            rows = groups[folder]
            rows[bisect_left(rows, (path,))] = (path, counts[path])
    else:
        groups = by_folder(counts)
    if carried is not None:
        carried.folders = (counts, groups)
    return groups


def with_context(inputs: dict, _, resources: Resources) -> tuple[dict, dict[str, str]]:
    """A file page's context, its items carrying their highlighted source
    lines; and those snippets by key, which the cache keeps while the page is."""
    path, snippets = inputs["path"], Snippets(resources.snippets.known)
    items = [
        replace(view, context_html=snippets.html(path, view.todo.context, view.todo.context_start, view.todo.line))
        for view in inputs["items"]
    ]
    return {**inputs, "items": items}, snippets.made
