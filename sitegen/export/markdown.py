"""A Markdown summary fit for a pull request's comment (GitHub, GitLab):
open items by priority and kind, checklist progress, the first open P1 and
P2 items, and, given the items of a baseline, what is new and what was
resolved since.

Item text comes from the tree and is untrusted: every character Markdown
or HTML could read as markup is escaped, line breaks become spaces, so that
no text breaks out of its table cell, makes a link or an HTML tag, or
mentions (and notifies) anyone."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin

from sitegen.export.snapshot import Snapshot
from sitegen.items import KINDS, Item
from sitegen.model import PRIORITIES
from sitegen.site import urls

TOP = 10
"""Rows of each table of items: the first open P1/P2 items, the new ones, the resolved ones."""
MAX_CELL = 160
_KIND_NAMES = {"task": "checklist tasks", "todo": "TODO comments", "finding": "findings"}
_KIND_NAME = {"task": "task", "todo": "TODO", "finding": "finding"}
# CommonMark lets a backslash escape any ASCII punctuation; these are the ones
# that can start markup (emphasis, links, code, HTML, tables, mentions, entities).
_MARKUP = re.compile(r"([\\`*_{}\[\]()<>#+\-!|~@&])")
_BREAKS = re.compile(r"[\s\x00-\x1f\x7f\u2028\u2029]+")


def text(value: str, limit: int = MAX_CELL) -> str:
    """Untrusted text as inert Markdown for one table cell."""
    flat = _BREAKS.sub(" ", value).strip()
    if len(flat) > limit:
        flat = flat[:limit - 1].rstrip() + "…"
    return _MARKUP.sub(r"\\\1", flat)


def _ranked(items: Iterable[Item]) -> list[Item]:
    """Open P1 first; at one priority findings, then TODOs, then tasks."""
    order = {kind: n for n, kind in enumerate(("finding", "todo", "task"))}
    return sorted(items, key=lambda i: (i.priority or "P9", order[i.kind], i.path or "", i.line or 0, i.id))


def _link(snapshot: Snapshot, url: str) -> str:
    return urljoin(snapshot.base_url.rstrip("/") + "/", url)


def item_url(snapshot: Snapshot, item: Item) -> str | None:
    """The item's permalink on the hosted site, when its address is known:
    on the part of its page that holds it (a long file's or document's page
    is in parts), as the site's own lists link it."""
    if not snapshot.base_url:
        return None
    href = snapshot.item_href(item.id)
    if href is not None:
        return _link(snapshot, href)
    # A snapshot made without views (items alone): the page's first part.
    if item.kind == "task":
        page = snapshot.document_page(item.path or "")
        return _link(snapshot, urls.item(page, item.id)) if page else None
    if item.path:
        return _link(snapshot, urls.item(urls.file_page(item.path), item.id))
    return _link(snapshot, urls.FINDINGS)


def _where(item: Item) -> str:
    return text(item.place)


def _table(snapshot: Snapshot, items: list[Item], linked: bool = True) -> list[str]:
    """`linked`: whether the items are on the site (a resolved one is not)."""
    lines = ["| priority | kind | item | where |", "|---|---|---|---|"]
    for item in items[:TOP]:
        title = text(item.title) or "(no text)"
        url = item_url(snapshot, item) if linked else None
        lines.append(f"| {item.priority or '–'} | {_KIND_NAME[item.kind]} | "
                     f"{f'[{title}]({url})' if url else title} | {_where(item)} |")
    if len(items) > TOP:
        lines.append(f"\n… and {len(items) - TOP} more.")
    return lines


def _headline(snapshot: Snapshot) -> list[str]:
    counting = [item for item in snapshot.items if item.counts]
    by_priority = " · ".join(f"{p} **{sum(1 for i in counting if i.priority == p)}**" for p in PRIORITIES)
    unset = sum(1 for i in counting if i.priority is None)
    lines = [f"**{len(counting)} open item(s)**: {by_priority}" + (f" · no priority {unset}" if unset else ""), "",
             "| | open | total |", "|---|---:|---:|"]
    for kind in KINDS:
        of_kind = [i for i in snapshot.items if i.kind == kind]
        lines.append(f"| {_KIND_NAMES[kind]} | {sum(1 for i in of_kind if i.counts)} | {len(of_kind)} |")
    return lines


def _checklists(snapshot: Snapshot) -> list[str]:
    if not snapshot.documents:
        return []
    lines = ["", "### Checklists", "", "| document | done | progress |", "|---|---:|---:|"]
    for doc in snapshot.documents:
        percent = doc.done * 100 // doc.total if doc.total else 0
        name = text(doc.title or doc.path)
        page = snapshot.document_page(doc.path) if snapshot.base_url else None
        lines.append(f"| {f'[{name}]({_link(snapshot, urls.href(page))})' if page else name} "
                     f"| {doc.done}/{doc.total} | {percent} % |")
    return lines


def _compared(snapshot: Snapshot, baseline: list[Item]) -> list[str]:
    now = {item.id: item for item in snapshot.items if item.counts}
    before = {item.id: item for item in baseline if item.counts}
    new = _ranked(item for item_id, item in now.items() if item_id not in before)
    resolved = _ranked(item for item_id, item in before.items() if item_id not in now)
    lines = ["", "### Compared with the baseline", "",
             f"**{len(new)} new**, **{len(resolved)} resolved** open item(s)."]
    for title, items in (("New", new), ("Resolved", resolved)):
        if items:
            lines += ["", f"#### {title}", "", *_table(snapshot, items, linked=title == "New")]
    return lines


def write(snapshot: Snapshot) -> str:
    revision = f" at `{snapshot.revision[:12]}`" if snapshot.revision and snapshot.revision.isalnum() else ""
    lines = [f"## Health report{revision}", "", *_headline(snapshot), *_checklists(snapshot)]
    first = _ranked(i for i in snapshot.items if i.counts and i.priority in ("P1", "P2"))
    lines += ["", "### Open P1 and P2 items", ""] + (_table(snapshot, first) if first else ["None."])
    if snapshot.baseline is not None:
        lines += _compared(snapshot, snapshot.baseline)
    if snapshot.base_url:
        lines += ["", f"[The full report]({_link(snapshot, urls.DASHBOARD)}) · "
                      f"[every open item by priority]({_link(snapshot, urls.PRIORITIES)})"]
    return "\n".join(lines) + "\n"
