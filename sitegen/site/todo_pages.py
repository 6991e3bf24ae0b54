"""Pages for TODO comments: the list of all of them with grouped views, the
file tree, and one page per source file with each item in its context."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from sitegen.model import PRIORITIES
from sitegen.site import urls
from sitegen.site.highlight import Snippets
from sitegen.site.paging import PAGE_ROWS, group_hrefs, paged, paged_groups
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


def ordered_todos(items: list[TodoView]) -> list[TodoView]:
    """The TODO list's order: by priority, then place."""
    return sorted(items, key=lambda v: (v.priority, v.todo.file, v.todo.line))


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


def _todos_by_file(items: list[TodoView]) -> dict[str, list[TodoView]]:
    found: dict[str, list[TodoView]] = {}
    for view in items:
        found.setdefault(view.todo.file, []).append(view)
    return found


def _findings_by_file(findings: list[FindingView]) -> dict[str, list[tuple[FindingView, int | None]]]:
    found: dict[str, list[tuple[FindingView, int | None]]] = {}
    for finding in findings:
        for location in finding.locations:
            if location.inside_root:
                found.setdefault(location.path, []).append((finding, location.line))
    return found


def todo_pages(items: list[TodoView], meta: dict) -> list[PageSpec]:
    """The TODO list and its grouped views."""
    ordered = ordered_todos(items)
    counts = {
        "priority": {p: sum(1 for v in items if v.priority == p) for p in PRIORITIES},
        "tag": Counter(v.todo.tag for v in items).most_common(),
        "category": Counter(v.todo.category for v in items).most_common(),
        "author": Counter(v.todo.author for v in items if v.todo.author).most_common(),
    }
    groups = {
        "category": [(name, ordered_todos([v for v in items if v.todo.category == name]))
                     for name, _ in counts["category"]],
        "tag": [(name, ordered_todos([v for v in items if v.todo.tag == name])) for name, _ in counts["tag"]],
    }
    grouped = {
        grouping: paged_groups(url, "groups.html", {"kind": "todos", "noun": "TODOs"}, groups[grouping], grouping)
        for grouping, url in (("category", urls.TODOS_BY_CATEGORY), ("tag", urls.TODOS_BY_TAG))
    }
    listed = paged(urls.TODOS, "todos/index.html", {
        "counts": counts, "summary": meta.get("summary", {}), "revision": meta.get("revision"),
        "group_hrefs": {grouping: group_hrefs(pages) for grouping, pages in grouped.items()},
        "oldest": oldest(items),
    }, ordered)
    return [*listed, *grouped["category"], *grouped["tag"]]


OLDEST_SHOWN = 20


def oldest(items: list[TodoView]) -> list[TodoView]:
    """The open TODOs whose lines have gone longest unchanged (by git blame), oldest first."""
    blamed = [v for v in items if v.changed and v.status not in CLOSED]
    return sorted(blamed, key=lambda v: (v.changed, v.todo.file, v.todo.line))[:OLDEST_SHOWN]


def file_pages(items: list[TodoView], meta: dict, findings: list[FindingView] = (),
               listed_on: dict[str, str] | None = None,
               seen: dict[str, str] | None = None) -> tuple[list[PageSpec], list[PageSpec]]:
    """(the file index, one page per file that has TODOs or findings). The
    file pages' inputs have no highlighted source: `with_context` adds it, in
    whichever process renders the page. `listed_on`: finding id → the list page
    showing its details (finding_pages.listed_on); `seen`: item id → when it
    was first seen (trends.seen_dates)."""
    listed_on, seen = listed_on or {}, seen or {}
    by_file = _todos_by_file(items)
    findings_by_file = _findings_by_file(findings)
    paths = sorted({*by_file, *findings_by_file})
    counts = {path: len(by_file.get(path, ())) + len(findings_by_file.get(path, ())) for path in paths}
    summary = {"todos": sum(map(len, by_file.values())), "findings": sum(map(len, findings_by_file.values())),
               "files": len(paths)}
    pages = []
    for path in paths:
        file_items = sorted(by_file.get(path, ()), key=lambda v: v.todo.line)
        file_findings = [(v, line, f"{listed_on.get(v.finding.id, urls.FINDINGS)}#{v.finding.id}")
                         for v, line in sorted(findings_by_file.get(path, ()),
                                               key=lambda pair: (pair[1] or 0, pair[0].priority))]
        pages.append(PageSpec(urls.file_page(path), "files/file.html",
                              {"path": path, "items": file_items, "findings": file_findings,
                               "seen": _seen_of(seen, file_items, file_findings)}, with_context))
    return file_index(counts, summary), pages


def _seen_of(seen: dict[str, str], todos: list[TodoView], findings: list) -> dict[str, str]:
    """When each item of one file's page was first seen (what its page depends on)."""
    ids = [v.todo.id for v in todos] + [view.finding.id for view, _, _ in findings]
    return {item_id: seen[item_id] for item_id in ids if item_id in seen}


def file_index(counts: dict[str, int], summary: dict) -> list[PageSpec]:
    """The files that have items: a tree while it fits one page, else a list
    of them by top-level folder over as many pages as it needs."""
    if len(counts) <= PAGE_ROWS:
        return [PageSpec(urls.FILES, "files/index.html", {**summary, "tree": file_tree(counts)})]
    by_folder: dict[str, list[tuple[str, int]]] = {}
    for path, count in counts.items():  # sorted by path
        by_folder.setdefault(path.split("/")[0] + "/" if "/" in path else "(top level)", []).append((path, count))
    return paged_groups(urls.FILES, "files/index.html", summary, list(by_folder.items()), "folder")


def with_context(inputs: dict, _, resources: Resources) -> tuple[dict, dict[str, str]]:
    """A file page's context, its items carrying their highlighted source
    lines; and those snippets by key, which the cache keeps while the page is."""
    path, snippets = inputs["path"], Snippets(resources.snippets.known)
    items = [
        replace(view, context_html=snippets.html(path, view.todo.context, view.todo.context_start, view.todo.line))
        for view in inputs["items"]
    ]
    return {**inputs, "items": items}, snippets.made
