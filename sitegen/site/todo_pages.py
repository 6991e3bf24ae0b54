"""Pages for TODO comments: the list of all of them with grouped views, the
file tree, and one page per source file with each item in its context."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from urllib.parse import quote

from sitegen.model import PRIORITIES, Todo
from sitegen.site.finding_pages import files_of
from sitegen.site.highlight import Snippets
from sitegen.site.pages import Page
from sitegen.triage import Triage

# A file name of more bytes than this (with ".html") cannot be written.
_MAX_NAME_BYTES = 255


def file_page_url(path: str) -> str:
    """Where a source file's page is written (a path inside the site): its
    path plus ".html", unless that name is too long to write or is the file
    tree's own page; then a shortened name made unique by a hash."""
    folder, _, name = path.rpartition("/")
    page = f"{name}.html"
    if len(page.encode("utf-8", "surrogateescape")) > _MAX_NAME_BYTES or path == "index":
        digest = hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()[:10]
        page = f"{name.encode('utf-8', 'surrogateescape')[:200].decode('utf-8', 'ignore')}-{digest}.html"
    return f"files/{folder}/{page}" if folder else f"files/{page}"


def file_page_href(path: str) -> str:
    """The same, as an href: characters such as #, ?, % and spaces are escaped."""
    return quote(file_page_url(path))


@dataclass
class TodoView:
    """A Todo as shown: its effective priority and triage."""

    todo: Todo
    priority: str
    status: str | None = None
    owner: str | None = None
    notes: str | None = None
    source: str | None = None
    """Link to the line in the hosted repository, when `source_url` is set."""
    context_html: str = ""


@dataclass
class Folder:
    name: str
    path: str
    count: int = 0
    folders: list["Folder"] = field(default_factory=list)
    files: list[tuple[str, str, int]] = field(default_factory=list)
    """(name, path, count) of the files directly inside."""


def views(todos: list[Todo], triage: Triage, source_url: str, revision: str | None) -> list[TodoView]:
    out = []
    for todo in todos:
        entry = triage.get(todo.id)
        out.append(TodoView(
            todo=todo,
            priority=triage.priority(todo.id, todo.priority),
            status=triage.status(todo.id),
            owner=entry.owner if entry else None,
            notes=entry.notes if entry else None,
            source=source_url.format(revision=revision or "HEAD", path=quote(todo.file), line=todo.line)
            if source_url else None,
        ))
    return out


def _by_priority(items: list[TodoView]) -> list[TodoView]:
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


def _findings_by_file(findings) -> dict[str, list[tuple[object, int | None]]]:
    found: dict[str, list[tuple[object, int | None]]] = {}
    for finding in findings:
        for path, line in files_of(finding):
            found.setdefault(path, []).append((finding, line))
    return found


def todo_pages(items: list[TodoView], meta: dict) -> list[Page]:
    """The TODO list and its grouped views."""
    ordered = _by_priority(items)
    counts = {
        "priority": {p: sum(1 for v in items if v.priority == p) for p in PRIORITIES},
        "tag": Counter(v.todo.tag for v in items).most_common(),
        "category": Counter(v.todo.category for v in items).most_common(),
        "author": Counter(v.todo.author for v in items if v.todo.author).most_common(),
    }
    groups = {
        "category": [(name, _by_priority([v for v in items if v.todo.category == name]))
                     for name, _ in counts["category"]],
        "tag": [(name, _by_priority([v for v in items if v.todo.tag == name])) for name, _ in counts["tag"]],
    }
    summary = meta.get("summary", {})
    pages = [
        Page("todos/index.html", "todos/index.html",
             {"items": ordered, "counts": counts, "summary": summary, "revision": meta.get("revision")}),
        Page("todos/by-category.html", "groups.html",
             {"kind": "todos", "noun": "TODOs", "grouping": "category", "groups": groups["category"]}),
        Page("todos/by-tag.html", "groups.html",
             {"kind": "todos", "noun": "TODOs", "grouping": "tag", "groups": groups["tag"]}),
    ]
    return pages


def file_pages(items: list[TodoView], meta: dict, findings=()) -> tuple[Page, list[Page]]:
    """(the file tree, one page per file that has TODOs or findings). The
    file pages have no highlighted source yet: `with_context` adds it, in
    whichever process renders the page."""
    by_file = _todos_by_file(items)
    findings_by_file = _findings_by_file(findings)
    paths = sorted({*by_file, *findings_by_file})
    tree = Page("files/index.html", "files/index.html", {
        "tree": file_tree({path: len(by_file.get(path, ())) + len(findings_by_file.get(path, ())) for path in paths}),
        "todos": sum(map(len, by_file.values())), "findings": sum(map(len, findings_by_file.values())),
        "files": len(paths),
    })
    pages = []
    for path in paths:
        file_items = sorted(by_file.get(path, ()), key=lambda v: v.todo.line)
        file_findings = sorted(findings_by_file.get(path, ()), key=lambda pair: (pair[1] or 0, pair[0].priority))
        pages.append(Page(file_page_url(path), "files/file.html",
                          {"path": path, "items": file_items, "findings": file_findings}))
    return tree, pages


def with_context(page: Page, snippets: Snippets) -> Page:
    """A file page whose items carry their highlighted source lines."""
    path = page.context["path"]
    items = [
        replace(view, context_html=snippets.html(path, view.todo.context, view.todo.context_start, view.todo.line))
        for view in page.context["items"]
    ]
    return replace(page, context={**page.context, "items": items})
