"""What `sitegen serve` carries from one build to the next (carried.py): an
unchanged TODO keeps its Todo and its view; whatever a view is made from
that changes (its line, its triage entry, the blame, the source link) makes
it anew, equal to what a build without anything carried makes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sitegen.content import TodosOfLines, todo_item_lines
from sitegen.model import Todo, TriageEntry
from sitegen.site.views import todo_views
from sitegen.triage import Triage


def _todos(count: int, text: str = "tidy up") -> list[Todo]:
    return [Todo(f"td-{n}", "TODO", f"{text} {n}", f"src/m{n}.py", n + 1, "P3", "Code quality", context=["x = 1"])
            for n in range(count)]


def test_unchanged_lines_keep_their_todos_and_a_changed_line_gets_a_new_one():
    carried: dict = {}
    lines = todo_item_lines(_todos(4))
    first = list(TodosOfLines(lines, carried))
    assert first == list(TodosOfLines(lines))
    edited = [*lines[:3], todo_item_lines(_todos(4, "tidy up later"))[3]]
    second = list(TodosOfLines(edited, carried))
    assert second == list(TodosOfLines(edited))
    assert all(a is b for a, b in zip(first[:3], second[:3])) and second[3] is not first[3]
    assert set(carried) == set(edited)  # the line replaced is no longer held


def test_a_view_is_kept_while_what_it_is_made_from_is_the_same():
    from sitegen.carried import Carried

    todos = _todos(3)
    carried = Carried()
    triage = Triage()
    first = todo_views(todos, triage, "", None, carried=carried)
    assert todo_views(todos, Triage(), "", None, carried=carried) == first
    assert all(a is b for a, b in zip(todo_views(todos, Triage(), "", None, carried=carried), first))

    triaged = Triage(entries={"td-1": TriageEntry(priority="P1", owner="ana")})
    views = todo_views(todos, triaged, "", None, carried=carried)
    assert views == todo_views(todos, triaged, "", None)
    assert views[0] is first[0] and views[2] is first[2]
    assert (views[1].priority, views[1].owner) == ("P1", "ana")

    blamed = {"td-0": ["2026-01-02", "bo"]}
    views = todo_views(todos, triaged, "https://x/{path}#L{line}", "abc", blamed, carried=carried)
    assert views == todo_views(todos, triaged, "https://x/{path}#L{line}", "abc", blamed)
    assert not any(a is b for a, b in zip(views, first))
    assert views[0].changed_by == "bo" and views[2].source == "https://x/src/m2.py#L3"


def _views(todos: list[Todo]) -> list:
    return todo_views(todos, Triage(), "", None)


def test_a_files_page_is_kept_while_its_items_are_and_made_again_when_one_changes():
    from sitegen.carried import FilePages, FileParts
    from sitegen.site.todo_pages import file_layout, file_pages

    todos = _todos(4)
    views = _views(todos)
    parts, pages = FileParts(), FilePages()
    first = file_pages(file_layout(views, carried=parts), carried=pages)[1]
    edited = [*views[:3], _views([_todos(4, "reworded")[3]])[0]]
    again = file_pages(file_layout(edited, carried=parts), carried=pages)[1]
    fresh = file_pages(file_layout(edited))[1]
    assert [(p.url, p.inputs) for p in again] == [(p.url, p.inputs) for p in fresh]
    assert [a is b for a, b in zip(first, again)] == [True, True, True, False]
    assert set(parts.by_path) == {v.todo.file for v in edited} and {entry[3].url for entry in pages.by_part.values()} == {p.url for p in again}


def test_hashes_of_objects_still_held_are_carried_and_the_others_let_go(monkeypatch):
    from dataclasses import replace

    from sitegen.carried import Carried
    from sitegen.site.pagespec import PageSpec
    from sitegen.site.render import _hashed
    from sitegen.site.views import TodoView

    made = []
    monkeypatch.setattr(TodoView, "__repr__", lambda self: made.append(self.todo.id) or f"view {self.todo.id}")
    views = _views(_todos(3))
    carried = Carried()
    file_page = PageSpec("files/a.html", "files/file.html", {"items": views[:1]})
    _hashed([file_page, PageSpec("todos/index.html", "todos/index.html", {"rows": views})], "key", carried)
    assert sorted(made) == ["td-0", "td-1", "td-2"]
    made.clear()
    # The file's page is the same object (its hash is kept, its view not fed again); the list
    # shows the views again, one of them changed: only that one is hashed.
    views = [*views[:2], replace(views[2], owner="ana")]
    hashed = _hashed([file_page, PageSpec("todos/index.html", "todos/index.html", {"rows": views})], "key", carried)
    assert made == ["td-2"]
    assert hashed == _hashed([file_page, PageSpec("todos/index.html", "todos/index.html", {"rows": views})],
                             "key", None)
    # what no page holds any longer is let go
    del views, hashed
    assert not any(getattr(entry[0], "owner", "x") is None and entry[0].todo.id == "td-2"
                   for entry in carried.hashes.values() if hasattr(entry[0], "todo"))


def test_a_step_is_made_again_only_when_an_input_is_another_object_or_value():
    from sitegen.carried import Carried, reuse

    carried, made = Carried(), []
    views = _views(_todos(2))

    def step(*inputs):
        return reuse(carried, "step", inputs, lambda: made.append(inputs) or len(made))

    assert step(views, {"revision": "a"}) == step(list(views), {"revision": "a"}) == 1
    assert step([*views[:1], _views(_todos(2))[1]], {"revision": "a"}) == 2  # an equal view, another object
    assert step(views, {"revision": "b"}) == 3
    assert step(views, {"revision": "b"}) == 3 and reuse(None, "step", (views,), lambda: 4) == 4


def test_findings_keep_their_views_while_the_finding_and_its_triage_are_the_same():
    from sitegen.carried import Carried
    from sitegen.model import Finding
    from sitegen.site.views import finding_views

    findings = [Finding(f"f-{n}", "P1", "high", f"Finding {n}", "open", [f"a.py:{n + 1}"], "AUDIT.md")
                for n in range(2)]
    carried = Carried()
    first = finding_views(findings, Triage(), frozenset({"AUDIT.md"}), carried)
    triaged = Triage(entries={"f-1": TriageEntry(status="accepted", owner="ana")})
    second = finding_views(findings, triaged, frozenset({"AUDIT.md"}), carried)
    assert second == finding_views(findings, triaged, frozenset({"AUDIT.md"}))
    assert second[0] is first[0] and second[1] is not first[1]
    assert (second[1].status, second[1].owner, second[1].hand_written) == ("accepted", "ana", True)


def _scan(path: str, items: int, skipped: str | None = None, notice: bool = False):
    from sitegen.collectors.todos import FileScan
    from sitegen.errors import Notice

    if not items and not skipped and not notice:
        return None  # scanned, nothing found
    return FileScan(path, skipped=skipped, notice=Notice("odd bytes", path, 1) if notice else None,
                    item_lines=[f"{path}:{n}" for n in range(items)])


@given(st.lists(st.integers(0, 3), min_size=1, max_size=12), st.data())
def test_a_summary_patched_for_one_file_rescanned_is_the_summary_made_afresh(counts, data):
    """sitegen serve takes a file scanned again into the scan's summary without
    summarising every file: it must be what summarising all of them gives."""
    from sitegen.collectors.todos import ScannedFiles, _summarise
    from sitegen.walk import WalkSummary

    # the walk's order, which is not the order of the strings ("a/x" before "a-b")
    paths = [f"a/{n}" if n % 2 else f"a-{n}" for n in range(len(counts))]
    files = [(path, "/repo/" + path) for path in paths]
    scanned = ScannedFiles(files, {path: _scan(path, items) for path, items in zip(paths, counts)}, WalkSummary())
    for _ in range(data.draw(st.integers(1, 6))):
        scanned.summary(None)
        path = data.draw(st.sampled_from(paths))
        kind = data.draw(st.sampled_from(["items", "skipped", "notice"]))
        scanned.rescanned(path, _scan(path, data.draw(st.integers(0, 4)), skipped="too large" if kind == "skipped"
                                      else None, notice=kind == "notice"))
        fresh = _summarise([scanned.results[rel] for rel, _ in files], WalkSummary(), None)
        assert scanned.summary(None) == fresh


_FILES = ["a.py", "b.py", "c/d.py", "c/e.py"]
_EDITS = st.lists(st.tuples(st.sampled_from(["add", "drop", "reword", "second", "finding", "unfind"]),
                            st.sampled_from(_FILES), st.integers(1, 4)), min_size=1, max_size=8)


@given(st.lists(st.tuples(_EDITS, st.booleans()), min_size=1, max_size=5))
def test_file_pages_laid_out_again_after_edits_are_those_laid_out_afresh(builds):
    """file_layout with the memo of the build before lays out again only the
    files a view of which was added, taken away or made anew (a TODO, or a
    finding at a place in the file), and file_pages makes again only their
    pages, or all when the first-seen dates changed: both must give what a
    build without the memos does, after any edits."""
    from sitegen.carried import FilePages, FileParts
    from sitegen.model import Finding
    from sitegen.site.todo_pages import file_layout, file_pages
    from sitegen.site.views import finding_views

    todos: dict[tuple[str, int, int], Todo] = {}
    findings: dict[str, Finding] = {}
    memo, pages_memo, serial = FileParts(), FilePages(), 0
    views: dict = {}
    for edits, dated in builds:
        for kind, path, line in edits:
            serial += 1
            if kind in ("add", "reword", "second"):  # (second: a TODO more on the line, after the first)
                column = 1 if kind == "second" else 0
                todos[path, line, column] = Todo(f"td-{path}-{line}-{column}", "TODO", f"text {serial}", path, line,
                                                 "P3", "c", context=["x = 1"])
            elif kind == "drop":
                todos.pop((path, line, 0), None)
            elif kind == "finding":
                findings[f"f-{line}"] = Finding(f"f-{line}", "P2", "medium", f"F {serial}", "open",
                                                [f"{path}:{line}", "../outside.py:1"], "AUDIT.md")
            else:
                findings.pop(f"f-{line}", None)
        # an unchanged Todo or Finding keeps its view, as reuse_each keeps it
        current = [todos[key] for key in sorted(todos, key=lambda k: (_FILES.index(k[0]), k[1], k[2]))]
        views = {id(t): views.get(id(t)) if id(t) in views and views[id(t)].todo is t else _views([t])[0]
                 for t in current} | {
                 id(f): views[id(f)] if id(f) in views and views[id(f)].finding is f
                 else finding_views([f], Triage(), frozenset({"AUDIT.md"}))[0] for f in findings.values()}
        todo_views_now = [views[id(t)] for t in current]
        finding_views_now = [views[id(f)] for f in findings.values()]
        kept = file_layout(todo_views_now, finding_views_now, memo)
        fresh = file_layout(todo_views_now, finding_views_now)
        assert (kept.parts, kept.counts, kept.summary, kept.placing) == (
            fresh.parts, fresh.counts, fresh.summary, fresh.placing)
        seen = {t.id: f"2026-01-{t.line:02}" for t in current} if dated else {}
        listed = {f_id: "findings/index.html" for f_id in findings}
        assert ([(p.url, p.inputs) for p in file_pages(kept, listed, seen, pages_memo)[1]]
                == [(p.url, p.inputs) for p in file_pages(fresh, listed, seen)[1]])


_LIST_EDITS = st.lists(st.tuples(st.sampled_from(["add", "drop", "reword", "triage", "second"]),
                                 st.sampled_from(_FILES), st.integers(1, 5), st.sampled_from(["TODO", "FIXME"]),
                                 st.sampled_from([None, "ana", "bo"])), min_size=1, max_size=8)


@given(st.lists(_LIST_EDITS, min_size=1, max_size=6))
def test_the_todo_lists_patched_after_edits_are_the_lists_made_afresh(builds):
    """todo_order with the order the build before made puts in and takes out
    only the TODOs a save changed (each in its list, its tag's and its
    category's group, the counts): the pages and the dashboard's totals made
    of it must be those a build without it makes, after any edits: TODOs
    added, taken away, reworded, given another priority, and a second TODO
    on a line."""
    from sitegen.carried import Carried
    from sitegen.site.todo_pages import todo_order, todo_pages

    todos: dict[tuple[str, int, int], Todo] = {}
    triaged: dict[str, str] = {}
    carried, views, serial = Carried(), {}, 0
    for edits in builds:
        for kind, path, line, tag, author in edits:
            serial += 1
            column = 1 if kind == "second" else 0
            if kind in ("add", "reword", "second"):
                todos[path, line, column] = Todo(f"td-{path}-{line}-{column}", tag, f"text {serial}", path, line,
                                                 "P3", f"cat {line % 3}", author=author, context=["x = 1"])
            elif kind == "drop":
                todos.pop((path, line, column), None)
            else:
                triaged[f"td-{path}-{line}-0"] = "P1" if serial % 2 else "P2"
        current = [todos[key] for key in sorted(todos, key=lambda k: (_FILES.index(k[0]), k[1], k[2]))]
        # (a P1 is marked done: settled, no longer counted open)
        triage = Triage(entries={todo_id: TriageEntry(priority=p, status="done" if p == "P1" else None)
                                 for todo_id, p in triaged.items()})
        now = todo_views(current, triage, "", None)
        # an unchanged Todo with the same triage keeps its view, as reuse_each keeps it
        views = {id(v.todo): views[id(v.todo)] if id(v.todo) in views and views[id(v.todo)].todo is v.todo
                 and views[id(v.todo)].priority == v.priority else v for v in now}
        listed = [views[id(t)] for t in current]
        patched, fresh = todo_order(listed, carried), todo_order(listed)
        assert ([(p.url, p.inputs) for p in todo_pages(patched, listed, {})]
                == [(p.url, p.inputs) for p in todo_pages(fresh, listed, {})])
        assert (patched.totals, patched.settled) == (fresh.totals, fresh.settled)


@given(st.lists(st.tuples(st.lists(st.integers(0, 9), max_size=8), st.integers(0, 2)), min_size=1, max_size=6))
def test_what_is_made_of_each_item_is_made_again_only_for_new_items_or_another_context(builds):
    """reuse_each with a `context`: while it is equal, only the items that are
    not the same objects as before are made, and each item's result is what
    making it gives; when it changes, every item is made again."""
    from sitegen.carried import Carried, reuse_each

    class Item:
        def __init__(self, value: int):
            self.value = value

    carried, pool, before, context_before = Carried(), {}, {}, None
    for values, context in builds:
        items = [pool.setdefault(value, Item(value)) for value in dict.fromkeys(values)]
        made_now: list = []

        def make(item, context=context):
            made_now.append(item)
            return [item.value, context]

        out = reuse_each(carried, "step", items, lambda _, context=context: context, make, context=context)
        assert out == [[item.value, context] for item in items]
        expected = [item for item in items if context != context_before or id(item) not in before]
        assert sorted(map(id, made_now)) == sorted(map(id, expected))  # (made in no set order: each is pure)
        assert all(result is before[id(item)][1] for item, result in zip(items, out) if item not in expected)
        before, context_before = {id(item): (item, result) for item, result in zip(items, out)}, context
        if values and values[0] % 3 == 0:  # an item made anew: another object of the same value
            pool.pop(values[0])


_PAGE_LISTS = st.lists(st.tuples(st.sets(st.integers(0, 12), max_size=10), st.sets(st.integers(0, 12))),
                       min_size=1, max_size=6)


@given(_PAGE_LISTS)
def test_the_hashed_pages_patched_build_after_build_are_the_memo_made_afresh(builds):
    """Each build: the pages at some URLs (`urls`), of which those in `anew`
    are new objects (the rest the very pages of the build before, where it
    had them). The patched memo holds exactly this build's pages and hashes
    by URL and by id, and names the URLs let go."""
    from sitegen.carried import HashedPages
    from sitegen.site.pagespec import PageSpec

    memo, before = HashedPages("key"), {}
    for urls, anew in builds:
        pages = [before[url] if url in before and url not in anew else PageSpec(f"p{url}.html", "t.html", {"n": url})
                 for url in sorted(urls)]
        hashed = [(f"hash of {id(page)}", 1) for page in pages]
        made_anew = [at for at, page in enumerate(pages) if memo.by_id.get(id(page)) is None]
        gone = memo.patch(pages, made_anew, hashed)
        assert gone == sorted({page.url for page in before.values()} - {page.url for page in pages})
        assert memo.pages == {page.url: page for page in pages}
        assert memo.hashes == {page.url: h for page, h in zip(pages, hashed)}
        assert memo.by_id == {id(page): h for page, h in zip(pages, hashed)}
        before = {int(page.url[1:-5]): page for page in pages}


_MANY_FILES = [f"f{n:02}.py" for n in range(14)]


@given(st.lists(st.lists(st.tuples(st.booleans(), st.sampled_from(_MANY_FILES), st.integers(1, 4)),
                         min_size=1, max_size=6), min_size=1, max_size=8))
def test_the_hotspots_patched_are_those_counted_afresh(builds):
    """The dashboard's files with the most TODOs (more files than it shows),
    after TODOs added to and taken from any of them, save after save."""
    from sitegen.carried import Carried
    from sitegen.site.todo_pages import todo_order

    todos: dict[tuple[str, int], Todo] = {}
    carried, views = Carried(), {}
    for edits in builds:
        for add, path, line in edits:
            if add:
                todos[path, line] = Todo(f"td-{path}-{line}", "TODO", "text", path, line, "P3", "Code quality")
            else:
                todos.pop((path, line), None)
        current = [todos[key] for key in sorted(todos)]
        views = {id(t): views[id(t)] if id(t) in views else todo_views([t], Triage(), "", None)[0] for t in current}
        listed = [views[id(t)] for t in current]
        assert todo_order(listed, carried).totals == todo_order(listed).totals


_PATHS = ["README", "setup.py", "a/x.py", "a/y.py", "a/z/w.py", "b/q.py", "b/r.py", "c.py", "d/e/f.py", "z.md"]


@given(st.sets(st.sampled_from(_PATHS), min_size=1),
       st.lists(st.dictionaries(st.sampled_from(_PATHS), st.integers(0, 3), min_size=1), min_size=1, max_size=6))
def test_the_files_index_groups_patched_are_those_made_afresh(first, saves):
    """folder_groups after saves that change the counts of some files (to 0:
    the file leaves the index; from 0: it joins it): the groups by_folder
    makes, each row of a file not touched the very tuple it was."""
    from sitegen.carried import FilePages
    from sitegen.site.todo_pages import FileLayout, by_folder, folder_groups

    memo = FilePages()
    counts = {path: 1 for path in sorted(first)}
    before = folder_groups(FileLayout([], counts, {}, {}), memo)
    for save in saves:
        now = {path: count for path, count in sorted({**counts, **save}.items()) if count}
        groups = folder_groups(FileLayout([], now, {}, {}, counts, set(save)), memo)
        assert groups == by_folder(now)
        if now.keys() == counts.keys() >= save.keys():  # (the same files, none of them new or gone)
            old_rows = {row[0]: row for rows in before.values() for row in rows}
            assert all(row is old_rows[row[0]] for rows in groups.values() for row in rows if row[0] not in save)
        counts, before = now, groups
