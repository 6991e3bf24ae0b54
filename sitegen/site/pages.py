"""The page list: every page of the site, as what it is made from.

`site_pages` returns all of them — the dashboard, the indexes, each checklist
document's page, each source file's page — as `PageSpec`s, before anything
is rendered. The build renders from that list alone (skipping pages whose
inputs are unchanged) and publishes exactly its URLs plus the static files.

Everything a template displays is computed here or in `views` (counts,
totals, mismatches, effective priorities); templates only lay it out.
"""

from __future__ import annotations

import hashlib
import marshal
import posixpath
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter

from sitegen import content
from sitegen.carried import Carried, reuse, reuse_each
from sitegen.history import Entry
from sitegen.items import Item
from sitegen.model import Checklist
from sitegen.site import document_parts, urls
from sitegen.site.badges import badge_pages, badges
from sitegen.site.document_parts import title_section
from sitegen.site.finding_pages import findings_pages, listed_on, ordered_findings, tool_lists
from sitegen.site.list_data import finding_list, priority_list, script, search_items, todo_list
from sitegen.site.paging import ROW_BYTES, Pager, marked_by, paged, pagers
from sitegen.site.pagespec import PageSpec, Resources
from sitegen.site.priority_pages import Row, finding_href, first_rows, priority_pages, section_hrefs
from sitegen.site.priority_pages import rows as priority_rows
from sitegen.site.todo_pages import FileLayout, TodoTotals, file_layout, file_pages, todo_order, todo_pages
from sitegen.site.trends import Trend, seen_dates, trend
from sitegen.site.views import (
    DocumentSummary,
    FindingView,
    TodoView,
    Totals,
    Views,
    document_mismatch,
    placed,
    priority_counts,
    section_mismatches,
    task_views,
    totals,
)
from sitegen.triage import Triage


# --- checklist documents ---------------------------------------------------------------

_WHOLE = ((0, 0), (sys.maxsize, sys.maxsize))
"""Where a document's page that is not split into parts starts and ends (document_parts.shown_sections)."""


def document_context(checklist: Checklist, triage: Triage, seen: dict[str, str] | None = None,
                     part: tuple[tuple[int, int], tuple[int, int], Pager, dict[str, str]] | None = None) -> dict:
    """The context of a document's page, or of one of its parts (`part`:
    where it starts and ends, as document_parts.shown_sections takes them,
    its pager, and the links to the phases' headings on other parts)."""
    if part is None:
        total = checklist.total
        part = (*_WHOLE, Pager(1, (urls.document(checklist.slug),), 1 if total else 0, total, total), {})
    start, end, pager, phase_hrefs = part
    sections = [(section, task_views(shown, triage, seen or {}), continued)
                for section, shown, continued in document_parts.shown_sections(checklist, start, end)]
    context = _summary(checklist) if pager.number == 1 else {"doc": checklist, "title_anchor": title_section(checklist)}
    return {**context, "sections": sections, "pager": pager, "phase_hrefs": phase_hrefs}


def _summary(checklist: Checklist) -> dict:
    """What the first part of a document's page shows besides its rows: its progress and phases."""
    return {
        "doc": checklist,
        "title_anchor": title_section(checklist),
        "phases": checklist.phases,
        "mismatches": section_mismatches(checklist),
        "doc_mismatch": document_mismatch(checklist),
    }


def _phase_hrefs(doc: DocumentSummary) -> dict[str, str]:
    """Phase anchor → the link to its heading from the first part of a split
    page, for the phases that later parts hold."""
    return {phase.anchor: posixpath.basename(urls.in_document(doc.slug, phase.anchor, phase.part))
            for phase in doc.phases if phase.part > 1}


def _document_context(inputs: tuple, parsed: tuple[str | None, bytes | None],
                      resources: Resources) -> tuple[dict, dict]:
    _, triage, seen, part = inputs
    chunk, record = parsed
    if record is not None:
        checklist = content.checklist_from_own_record(marshal.loads(record))
    else:
        checklist = content.checklist_from_chunk(chunk, resources.content_file)
    return document_context(checklist, triage, seen, part), {}


def document_pages(doc: DocumentSummary, digest: str, chunk: str, triage: Triage, record: bytes | None = None,
                   seen: dict[str, str] | None = None) -> list[PageSpec]:
    """A document's page, made from its part of checklists.yaml (known by its
    `digest`; `record` holds the same values, marshalled, when at hand), the
    triage of its tasks and when each was first seen. The chunk is parsed only
    if the page must be rendered. A long document's page is in parts
    (document_parts): each is known by what it shows (its digest in the
    outline; the first, which sums up the whole document, by `digest`), the
    triage of its own tasks and its pager."""
    # Only what the renderer reads travels to it: the values if at hand, else the chunk.
    parsed = (None, record) if record is not None else (chunk, None)
    if not doc.parts:
        return [PageSpec(urls.document(doc.slug), "checklists/document.html",
                         (digest, triage.subset(doc.task_ids), seen or {}, None), _document_context, parsed)]
    starts = [(part.sections, part.tasks) for part in doc.parts]
    ends = [*starts[1:], (sys.maxsize, len(doc.task_ids))]
    page_urls = [urls.document_part(doc.slug, n) for n in range(1, len(starts) + 1)]
    spans = [(start[1], end[1]) for start, end in zip(starts, ends)]
    pages = []
    for n, (part, start, end, pager) in enumerate(zip(doc.parts, starts, ends, pagers(spans, page_urls))):
        ids = doc.task_ids[start[1]:end[1]]
        inputs = (digest if n == 0 else part.digest, triage.subset(ids),
                  {task_id: seen[task_id] for task_id in ids if task_id in (seen or {})},
                  (start, end, pager, _phase_hrefs(doc) if n == 0 else {}))
        pages.append(PageSpec(page_urls[n], "checklists/document.html", inputs, _document_context, parsed))
    return pages


def each_document_pages(summaries: list[DocumentSummary], documents: list[tuple[str, str, bytes | None]],
                        triage: Triage, seen: dict[str, str], carried: Carried | None = None) -> list[PageSpec]:
    """The pages of every document (`documents` as site_pages takes them). With
    `carried`, a document whose summary is the same object as in the build
    before, at the same digest, with the same triage and first-seen dates of
    its tasks, keeps its pages, and so their hashes (render._hashed): a save
    of one document no longer hashes the pages of the thousand others."""
    of_summary = {id(doc): document for doc, document in zip(summaries, documents)}

    def seen_of(doc: DocumentSummary) -> dict[str, str]:
        if not seen:  # no history: 100,000 tasks' ids not looked up for nothing, on every save
            return {}
        return {task_id: seen[task_id] for task_id in doc.task_ids if task_id in seen}

    def made_from(doc: DocumentSummary) -> tuple:
        return of_summary[id(doc)][0], triage.subset(doc.task_ids).entries, seen_of(doc)

    def pages_of(doc: DocumentSummary) -> list[PageSpec]:
        digest, chunk, record = of_summary[id(doc)]
        return document_pages(doc, digest, chunk, triage, record, seen_of(doc))

    # While the digests, the triage and the dates are the same, a summary that is the same object
    # keeps its pages with no look at its tasks (100,000 of them, on every save of a source file).
    each = reuse_each(carried, "document_pages", summaries, made_from, pages_of,
                      context=(tuple(map(itemgetter(0), documents)), triage.entries, seen))
    return [page for pages in each for page in pages]


# --- the dashboard and the checklist index ----------------------------------------------

NEW_SHOWN = 20
"""New items the dashboard lists (the rest are counted)."""
DASHBOARD_DOCUMENTS = 20
"""Checklist documents the dashboard shows with their phases: with more, the
ones with the most open tasks (a thousand documents made a dashboard of
2 MB); the checklist index lists every one."""


def dashboard_documents(documents: list[DocumentSummary]) -> list[DocumentSummary]:
    """Every document while they are few, else the DASHBOARD_DOCUMENTS with
    the most open tasks, most first (ties in the documents' order)."""
    if len(documents) <= DASHBOARD_DOCUMENTS:
        return list(documents)
    most_open = sorted(range(len(documents)), key=lambda n: (documents[n].done - documents[n].total, n))
    return [documents[n] for n in most_open[:DASHBOARD_DOCUMENTS]]


WARNINGS_SHOWN = 200
"""Warnings the dashboard lists (the rest are counted; `sitegen build` prints every one)."""
RESOLVED_SHOWN = 200
"""Ids of items resolved since the revision before that the dashboard lists
(a vendored folder deleted resolves thousands at once)."""


def _document_row_bytes(doc: DocumentSummary) -> int:
    return ROW_BYTES + 2 * (len(doc.title) + len(doc.path))


@dataclass(frozen=True)
class FindingTotals:
    open: int
    open_by_priority: dict[str, int]


def finding_totals(finding_views) -> FindingTotals:
    by_priority = priority_counts(v for v in finding_views if v.status == "open")
    return FindingTotals(open=sum(by_priority.values()), open_by_priority=by_priority)


def overview_pages(documents: list[DocumentSummary], overall: Totals, todos: TodoTotals, warnings: list[str],
                   finding_views=(), first: list[Row] = (), revision: str | None = None,
                   priority_hrefs: dict[str, str] | None = None, changes: Trend | None = None,
                   new_rows: list[Row] = ()) -> list[PageSpec]:
    """The dashboard and the checklist index; `overall` the documents' totals
    and `todos` the TODOs' (TodoOrder.totals); `first` are the open P1 and P2
    items the dashboard leads with, `priority_hrefs` where each priority's
    items are listed, `changes` the trend of the history and `new_rows` the
    prioritised open items new since its entry before the last."""
    return [
        PageSpec(urls.DASHBOARD, "index.html", {
            "totals": overall, "documents": dashboard_documents(documents),
            "warnings": warnings[:WARNINGS_SHOWN], "warning_count": len(warnings),
            "todos": todos,
            "findings": finding_totals(finding_views),
            "first": list(first), "revision": revision, "priority_hrefs": priority_hrefs or {},
            "trend": changes, "new_rows": list(new_rows)[:NEW_SHOWN],
            "resolved_ids": changes.resolved[:RESOLVED_SHOWN] if changes else [],
        }),
        *paged(urls.CHECKLISTS, "checklists/index.html", {}, documents, key="documents",
               weigh=_document_row_bytes, ends=marked_by(attrgetter("slug")), first={"totals": overall}),
    ]


# --- all of them --------------------------------------------------------------------------

def sitemap(pages: list[PageSpec], base_url: str) -> list[PageSpec]:
    """sitemap.xml (https://www.sitemaps.org/protocol.html) of the HTML pages,
    when the site's address is known; no dates, so it changes only with the
    page list."""
    if not base_url:
        return []
    return [PageSpec(urls.SITEMAP, "sitemap.xml",
                     {"pages": sorted(page.url for page in pages if page.url.endswith(".html"))})]


def _generated_text(key, make_text: Callable[[], str], resources: Resources) -> tuple[str, dict]:
    return make_text(), {}


def generated(url: str, key: str, make_text: Callable[[], str], weight: int = 0) -> PageSpec:
    """A file made by `make_text` rather than a template (data/health.json, the
    scripts' data files), known by `key`: made only when the key changed.
    `weight`: how much work it is to make (PageSpec.weight)."""
    return PageSpec(url, None, (key, url), _generated_text, make_text, weight=weight)


ITEM_WEIGHT = 20
"""What an item of a data file weighs (PageSpec.weight) against the bytes of
a template page's hashed inputs: enough for the files of every item alone
to be rendered in workers from about 17,000 items on, where that began to
pay. One document changed beside one of N tasks, the build with the data
files made here against in workers: N = 10,000, 145 ms against 171 ms;
N = 30,000, 426 ms against 353 ms."""


def data_pages(views: Views, triage: Triage, open_items: list[Row], todo_rows: list[TodoView],
               listed: dict[str, str], keys: dict[str, str], tools: dict[str, list[FindingView]] | None = None,
               placing: dict | None = None, items: Callable[[], list[Item]] | None = None) -> list[PageSpec]:
    """data/health.json (the bytes of `export --format json`) and the data
    files the browser's scripts load (list_data.py): `open_items` and
    `todo_rows` are the priority table's rows and the TODO list's, in their
    order; `tools` are each tool's
    list and findings (finding_pages.tool_lists). Each holds every item of a
    kind or of all kinds (or a tool's, which the findings hold), so each is
    made only when that content or triage changed (`keys`:
    content.content_digests), or where the parts of long file pages put
    their items (`placing`: FileLayout.placing): TODOs and findings share
    those pages, so a change of either kind can move an item of the other
    to another part, which the data files link to. `items`: the build's
    items_of(views, triage), made once for the history, the gate and health.json."""
    from sitegen.export import json_format
    from sitegen.export.snapshot import snapshot_of

    every = sum(document.total for document in views.documents) + len(views.todos) + len(views.findings)
    made = {  # url: (what it is known by, how many items it holds, how it is made)
        urls.HEALTH_JSON: ("all", every, lambda: json_format.write(snapshot_of(views, triage,
                                                                               items=items() if items else None))),
        urls.list_data("todos"): ("todos", len(todo_rows), lambda: script("todos", todo_list(todo_rows).value())),
        urls.list_data("priorities"): ("all", len(open_items), lambda: script(
            "priorities", priority_list(open_items).value())),
        urls.list_data("findings"): ("findings", len(views.findings), lambda: script(
            "findings", finding_list(ordered_findings(views.findings), listed).value())),
        urls.SEARCH_DATA: ("all", every, lambda: script(
            "search", search_items(views.documents, views.todos, views.findings, triage, listed))),
    }
    for name, tool_views in (tools or {}).items():
        made[urls.list_data(name)] = ("findings", len(tool_views), lambda name=name, tool_views=tool_views: script(
            name, finding_list(tool_views, listed, name, by_source=False).value()))
    moved = hashlib.blake2b(repr(list(placing.items())).encode("utf-8", "surrogatepass"),
                            digest_size=16).hexdigest() if placing else ""
    return [generated(url, keys.get(kind, "") + moved, make_text, ITEM_WEIGHT * count)
            for url, (kind, count, make_text) in made.items()]


@dataclass(frozen=True)
class Placement:
    """Where the site puts each item: the parts of the source files' pages,
    and the pages of the findings' lists."""

    layout: FileLayout
    views: Views
    """Placed on the parts of the file pages: their links lead to the part that holds each item."""
    finding_pages: list[PageSpec]
    listed: dict[str, str]
    """Finding id → the page of its report's or tool's list that shows it (finding_pages.listed_on)."""


def placement(views: Views, carried: Carried | None = None) -> Placement:
    layout = reuse(carried, "file_layout", (views.todos, views.findings), lambda: file_layout(
        views.todos, views.findings, carried.file_parts if carried is not None else None, views.todos_by_id))
    views = placed(views, layout.placing)
    finding_pages = findings_pages(views.findings, views.report_documents, views.tool_summary)
    return Placement(layout, views, finding_pages, listed_on(finding_pages))


def item_hrefs(views: Views) -> dict[str, str]:
    """Item id → the link (site-relative) to its anchor on the part of the
    page that holds it, as search and the lists link it: for the exports'
    links to the hosted site."""
    where = placement(views)
    hrefs = {task_id: href for doc in where.views.documents for task_id, href in zip(doc.task_ids, doc.task_hrefs())}
    hrefs.update((v.todo.id, v.href) for v in where.views.todos)
    hrefs.update((v.finding.id, finding_href(v, where.listed)[0]) for v in where.views.findings)
    return hrefs


def site_pages(views: Views, documents: list[tuple[str, str, bytes | None]], triage: Triage,
               base_url: str = "", history: Sequence[Entry] = (), gate_passed: bool | None = None,
               content_keys: dict[str, str] | None = None,
               items: Callable[[], list[Item]] | None = None, carried: Carried | None = None) -> list[PageSpec]:
    """Every page of the site, the data its scripts load included; `documents`
    are (digest, part of checklists.yaml, its values if at hand) of each
    document, in the order of `views.documents`; `history` the entries of
    content/history.yaml; `gate_passed` whether the config's gate passes
    (None: it has no rules); `content_keys` digests of content/ and triage
    (content.content_digests), which the files holding every item are known by;
    `items` the build's items (items_of), if it has them made or to be made;
    `carried`: what an earlier build of this process made (see carried.py)."""
    where = placement(views, carried)
    layout, views, finding_pages, listed = where.layout, where.views, where.finding_pages, where.listed
    seen = seen_dates(history)
    file_index, per_file = reuse(carried, "file_pages", (layout, listed, seen), lambda: file_pages(
        layout, listed, seen, carried.file_pages if carried is not None else None))
    table = priority_rows(views.documents, views.todos, views.findings, triage, listed, carried)
    open_items, by_priority = table.rows, priority_pages(table, views.documents)
    changes = trend(history)
    new_ids = set(changes.new) if changes else set()
    order = reuse(carried, "todo_order", (views.todos,), lambda: todo_order(views.todos, carried, views.todos_by_id))
    overall = reuse(carried, "document_totals", (views.documents,), lambda: totals(views.documents))
    pages = [
        *overview_pages(views.documents, overall, order.totals, views.warnings, views.findings, first_rows(open_items),
                        views.todo_meta.get("revision"), section_hrefs(by_priority), changes,
                        [row for row in open_items if row.item_id in new_ids] if new_ids else []),
        *reuse(carried, "todo_pages", (order, views.todo_meta), lambda: todo_pages(order, views.todos, views.todo_meta)),
        *file_index,
        *finding_pages,
        *by_priority,
        *each_document_pages(views.documents, documents, triage, seen, carried),
        *per_file,
        PageSpec(urls.SEARCH, "search/index.html", {}),
    ]
    pages += badge_pages(badges(order.open, overall, len(table.groups["priority"].get("P1", ())), gate_passed))
    # robots.txt and 404.html are for hosts and crawlers, not in the sitemap; 404.html is served
    # at any depth, so its links start from base_url (see its template). The files of every
    # item come first: each is a long job, which at the end of the list one worker did alone.
    return (data_pages(views, triage, open_items, order.lists.rows, listed, content_keys or {},
                       tool_lists(finding_pages), layout.placing, items)
            + pages + sitemap(pages, base_url) + [PageSpec(urls.ROBOTS, "robots.txt", {}),
                                                  PageSpec(urls.NOT_FOUND, "404.html", {})])
