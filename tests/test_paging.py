"""Long lists are split into pages of at most PAGE_ROWS rows and PAGE_BYTES
bytes of HTML (as estimated), complete HTML without JavaScript, linked to each
other; every item is on exactly one page. Where items have stable keys, a
page ends after a marked key once FILL full, so that a row added or removed
changes the page it is on, not every page after it."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from conftest import html_tree, run_sitegen, soup
from sitegen.site.paging import FILL, PAGE_ROWS, is_mark, paged, paged_groups, row_bytes, running_weights
from sitegen.site.urls import part as page_url


def test_page_urls_keep_the_first_and_number_the_rest():
    assert [page_url("todos/index.html", n) for n in (1, 2, 10)] == [
        "todos/index.html", "todos/index-2.html", "todos/index-10.html"]
    assert page_url("todos/by-tag.html", 3) == "todos/by-tag-3.html"


@given(st.integers(0, 25), st.integers(1, 7))
def test_a_flat_list_is_cut_into_pages_that_hold_every_row_once(total, size):
    pages = paged("todos/index.html", "t.html", {"x": 1}, list(range(total)), size=size, first={"total": total})
    assert [row for page in pages for row in page.inputs["items"]] == list(range(total))
    assert all(0 < len(page.inputs["items"]) <= size for page in pages) or total == 0
    pagers = [page.inputs["pager"] for page in pages]
    assert [p.number for p in pagers] == list(range(1, len(pages) + 1))
    # no row numbers: a row added would change them on every later page
    assert all(p.urls == tuple(page.url for page in pages) and p.total is None for p in pagers)
    assert pagers[0].previous is None and pagers[-1].next is None
    assert [page.inputs["total"] for page in pages] == [total] + [None] * (len(pages) - 1)
    assert all(page.inputs["x"] == 1 for page in pages)


@given(st.integers(0, 50), st.integers(0, 2000))
def test_rows_of_one_weight_are_summed_as_if_each_were_weighed(count, weight):
    rows = list(range(count))
    assert list(running_weights(rows, weight)) == list(running_weights(rows, lambda _: weight))


class Keyed:
    """An item with a stable key; a mark where `mark` says."""

    def __init__(self, key: str, chars: int, mark: bool):
        self.key, self.shown_chars, self.mark = key, chars, mark

    def __repr__(self):
        return f"Keyed({self.key}, {self.shown_chars}, {self.mark})"


def _keyed(draws) -> list[Keyed]:
    return [Keyed(f"k{n}", chars, mark) for n, (chars, mark) in enumerate(draws)]


@given(st.lists(st.tuples(st.integers(0, 3000), st.booleans() | st.just(False)), max_size=60),
       st.integers(1, 12), st.integers(600, 20_000))
def test_a_keyed_list_ends_a_page_full_or_at_the_first_mark_once_filled(draws, size, budget):
    rows = _keyed(draws)
    pages = [page.inputs["items"] for page in paged("todos/index.html", "t.html", {}, rows, size=size,
                                                      budget=budget, ends=lambda row: row.mark)]
    assert [row for page in pages for row in page] == rows
    assert all(_fits(page, size, budget) for page in pages)
    if rows and _fits(rows, size, budget):  # a list one page holds is not cut at a mark
        assert len(pages) == 1
        return

    def filled(rows) -> bool:
        return len(rows) >= int(size * FILL) or sum(map(row_bytes, rows)) >= int(budget * FILL)

    for page, following in zip(pages, pages[1:]):
        full = not _fits([*page, following[0]], size, budget)
        assert full or (page[-1].mark and filled(page))
    for page in pages:  # no mark passed by once the page was filled enough
        assert not any(row.mark and filled(page[:n + 1]) for n, row in enumerate(page[:-1]))


def test_a_row_added_or_removed_changes_the_page_it_is_on_and_not_those_after():
    import random

    draw = random.Random(7)
    rows = [f"td-{draw.getrandbits(48):012x}" for _ in range(20_000)]

    def pages_of(keys):
        return [tuple(page.inputs["items"]) for page in paged("todos/index.html", "t.html", {}, keys,
                                                               weigh=lambda _: 700, ends=is_mark)]

    before = pages_of(rows)
    assert all(int(PAGE_ROWS * FILL) <= len(page) <= PAGE_ROWS for page in before[:-1])
    changed = []
    for n in range(200):
        keys = list(rows)
        if n % 2:
            keys.insert(draw.randrange(len(keys)), f"td-added-{n}")
        else:
            del keys[draw.randrange(len(keys))]
        changed.append(len(set(pages_of(keys)) - set(before)))
    # most edits change one page; one that adds or removes a mark, a few
    assert changed.count(1) >= 180 and max(changed) <= 6, changed


def test_a_row_added_to_a_long_group_changes_its_page_and_the_groups_first_not_the_others():
    """A group's size is on its first part alone (and the index's counts on
    the first page): the other pages a long group spans stay as they were."""
    import random

    draw = random.Random(11)
    rows = [f"td-{draw.getrandbits(48):012x}" for _ in range(12_000)]

    def pages_of(keys):
        groups = [("FIXME", rows[:50]), ("TODO", keys)]
        return [repr(page.inputs) for page in paged_groups("todos/by-tag.html", "groups.html", {}, groups, "tag",
                                                           weigh=lambda _: 700, ends=is_mark)]

    before = pages_of(rows)
    assert len(before) > 10
    changed = []
    for n in range(60):
        keys = list(rows)
        keys.insert(draw.randrange(len(keys)), f"td-added-{n}")
        changed.append(len(set(pages_of(keys)) - set(before)))
    # the row's page and the first (the group's size, the index's counts); a mark added, a few more
    assert changed.count(2) + changed.count(1) >= 54 and max(changed) <= 6, changed


@given(st.lists(st.tuples(st.text("ab", min_size=1, max_size=3), st.integers(0, 12)), max_size=6),
       st.integers(1, 7))
def test_groups_fill_pages_and_a_long_group_continues_on_the_next(sizes, size):
    groups = [(f"{name}{n}", list(range(count))) for n, (name, count) in enumerate(sizes)]
    pages = paged_groups("todos/by-tag.html", "groups.html", {}, groups, "tag", size=size)
    parts = [part for page in pages for part in page.inputs["parts"]]
    for number, (name, items) in enumerate(groups, start=1):
        own = [part for part in parts if part.number == number]
        assert [row for part in own for row in part.items] == items
        assert [part.continued for part in own] == [False] + [True] * (len(own) - 1)
    for page in pages:
        assert sum(len(part.items) for part in page.inputs["parts"]) <= size
    index = pages[0].inputs["index"]
    for (name, count, href), (group_name, items) in zip(index, groups):
        start_page, anchor = href.split("#")
        number = int(anchor.rsplit("-", 1)[1])
        page = next(p for p in pages if p.url.endswith(start_page))
        assert any(part.number == number and not part.continued for part in page.inputs["parts"])
        assert (name, count) == (group_name, len(items))


class Row:
    """An item whose row shows `shown_chars` characters."""

    def __init__(self, number: int, chars: int):
        self.number, self.shown_chars = number, chars

    def __repr__(self):
        return f"Row({self.number}, {self.shown_chars})"


def _fits(rows, size: int, budget: int) -> bool:
    """A page is within both limits, or holds one row too large for any page."""
    return len(rows) <= size and (sum(map(row_bytes, rows)) <= budget or len(rows) == 1)


@given(st.lists(st.integers(0, 3000), max_size=30), st.integers(1, 7), st.integers(600, 8000))
def test_long_rows_fill_a_page_before_its_row_count_does(chars, size, budget):
    rows = [Row(n, c) for n, c in enumerate(chars)]
    pages = paged("findings/x.html", "t.html", {}, rows, size=size, budget=budget)
    assert [row for page in pages for row in page.inputs["items"]] == rows
    assert all(_fits(page.inputs["items"], size, budget) for page in pages)
    for page, following in zip(pages, pages[1:]):  # a page ends only when the next row would not fit
        assert not _fits([*page.inputs["items"], following.inputs["items"][0]], size, budget)


@given(st.lists(st.lists(st.integers(0, 3000), max_size=8), max_size=6), st.integers(1, 7), st.integers(600, 8000),
       st.none() | st.lists(st.integers(0, 20_000), min_size=6, max_size=6))
@example([[3], [], []], 2, 600, [0, 5000, 0, 0, 0, 0])  # a group of no rows under a header over budget once never ended
def test_groups_of_long_rows_keep_pages_within_both_limits(groups, size, budget, headers):
    named = [(f"g{n}", [Row(n * 100 + i, c) for i, c in enumerate(chars)]) for n, chars in enumerate(groups)]
    header = None if headers is None else (lambda name: headers[int(name[1:])])
    pages = paged_groups("findings/x.html", "groups.html", {}, named, "rule", size=size, budget=budget, header=header)
    parts = [part for page in pages for part in page.inputs["parts"]]
    assert [part.name for part in parts if not part.continued] == [name for name, _ in named]
    assert [row for part in parts for row in part.items] == [row for _, rows in named for row in rows]
    assert all(_fits([row for part in page.inputs["parts"] for row in part.items], size, budget) for page in pages)


def test_a_repository_with_thousands_of_todos_gets_bounded_linked_pages(tmp_path: Path):
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    total = 2 * PAGE_ROWS + 300
    per_file = 100
    for f in range(total // per_file):
        tag = "FIXME" if f % 3 == 0 else "TODO"
        (root / f"src/m{f:03}.py").write_text(
            "".join(f"x = {n}  # {tag}: item {f}-{n}\n" for n in range(per_file)), encoding="utf-8")
    result = run_sitegen("build", "--strict", cwd=root)  # --strict: every page link resolves
    assert result.returncode == 0, result.stderr
    site = root / "public/todos"
    pages = [site / "index.html", site / "index-2.html", site / "index-3.html"]
    assert all(page.is_file() for page in pages) and not (site / "index-4.html").exists()
    rows = [[td.text_content().strip() for td in html_tree(page).cssselect("table.todos tbody tr td.todo-text")]
            for page in pages]
    assert all(int(PAGE_ROWS * FILL) <= len(r) <= PAGE_ROWS for r in rows[:-1]) and sum(map(len, rows)) == total
    assert len({text for r in rows for text in r}) == total
    last = html_tree(pages[-1])
    assert last.cssselect("nav.pager a[rel=prev]")[0].get("href") == "index-2.html"
    assert last.cssselect("nav.pager span[aria-current=page]")[0].text_content() == "3"
    assert "Page 3 of 3" in " ".join(last.cssselect("nav.pager")[0].text_content().split())
    assert f"{total} item(s)" in html_tree(pages[0]).cssselect("p.scan-summary")[0].text_content()
    assert not last.cssselect("p.scan-summary, .count-tables")  # the totals on the first page only
    # The group pages: TODO has 1,500 items (page 1 and part of page 2), FIXME the rest
    by_tag = html_tree(site / "by-tag.html")
    index = {a.text_content(): a.get("href") for a in by_tag.cssselect("ul.group-index a")}
    assert index["TODO"] == "by-tag.html#tag-1"
    fixme_page, fixme_anchor = index["FIXME"].split("#")
    assert fixme_anchor == "tag-2" and html_tree(site / fixme_page).get_element_by_id("tag-2", None) is not None
    second = html_tree(site / "by-tag-2.html")
    assert second.cssselect("section h2")[0].text_content().split() == ["TODO", "(continued)"]
    assert "(1500)" in by_tag.cssselect("ul.group-index")[0].text_content()
    assert "(1500)" not in second.cssselect("ul.group-index")[0].text_content()
    assert all(page.stat().st_size < 2_000_000 for page in site.glob("*.html"))
    # The priority table too: 800 FIXMEs (P2) then 1,500 TODOs (P3); the dashboard links to where each starts
    priorities = root / "public/priorities"
    assert sorted(p.name for p in priorities.glob("*.html")) == ["index-2.html", "index-3.html", "index.html"]
    links = {a.get_text(): a["href"] for a in soup(root / "public/index.html").select("table.priorities a")}
    assert len(links) == 2 and "priorities/index.html#priority-2" in links.values()
    for href in links.values():
        page, anchor = href.split("#")
        assert html_tree(root / "public" / page).get_element_by_id(anchor, None) is not None


def test_the_file_index_is_a_tree_while_it_fits_a_page_then_a_paged_list_by_folder():
    from sitegen.site.todo_pages import file_index

    summary = {"todos": 1, "findings": 0, "files": 1}
    small = file_index({"app/a.py": 2, "README": 1}, summary)
    assert len(small) == 1 and "tree" in small[0].inputs
    counts = {f"{top}/m{n:04}.py": 1 for top in ("api", "core", "web") for n in range(900)} | {"setup.py": 3}
    pages = file_index(dict(sorted(counts.items())), summary)
    assert [page.url for page in pages] == [page_url("files/index.html", n) for n in range(1, len(pages) + 1)]
    assert len(pages) >= 3
    assert [(name, count) for name, count, _ in pages[0].inputs["index"]] == [
        ("api/", 900), ("core/", 900), ("(top level)", 1), ("web/", 900)]
    assert [count for _, count, _ in pages[1].inputs["index"]] == [None] * 4  # counted on the first page
    listed = [path for page in pages for part in page.inputs["parts"] for path, _ in part.items]
    assert listed == sorted(counts)
    # the totals on the first page only (a TODO more changes it and its file's page, not all)
    assert [page.inputs["todos"] for page in pages] == [1] + [None] * (len(pages) - 1)


def test_many_checklists_get_a_bounded_dashboard_and_a_paged_index(tmp_path: Path):
    from sitegen.site.links import broken_links
    from sitegen.site.pages import DASHBOARD_DOCUMENTS, WARNINGS_SHOWN

    root = tmp_path / "repo"
    total = PAGE_ROWS + 5
    for n in range(total):
        (root / f"svc{n:04}").mkdir(parents=True)
        open_tasks = n % 7  # the most open: 6, first in svc0006, svc0013, …
        heading = "## Phase 1: Setup ## Phase 2: Build\n" if n % 4 == 0 else ""  # a warning each: 252
        (root / f"svc{n:04}/TASKS.md").write_text(f"# Service {n}\n\n{heading}- [x] done\n" + "".join(
            f"- [ ] task {t}\n" for t in range(open_tasks)), encoding="utf-8")
    result = run_sitegen("build", cwd=root)  # not --strict: it fails on warnings
    assert result.returncode == 0, result.stderr
    site = root / "public"
    assert broken_links(site, {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}) == []
    dashboard = soup(site / "index.html")
    shown = [h.a.get_text() for h in dashboard.select("article.doc-summary h3")]
    assert shown == [f"Service {n}" for n in range(6, total, 7)][:DASHBOARD_DOCUMENTS]
    # warnings: the first WARNINGS_SHOWN listed, all counted (the build printed each)
    assert result.stderr.count("headings run together") == 252
    assert dashboard.select_one("#warnings-h").get_text() == "Warnings (252)"
    assert len(dashboard.select("section.warnings li")) == WARNINGS_SHOWN
    more = dashboard.find("a", string=f"all {total} checklists")
    assert more is not None and more["href"] == "checklists/index.html"
    pages = [site / "checklists/index.html", site / "checklists/index-2.html"]
    rows = [[a.get("href") for a in html_tree(page).cssselect("table.documents tbody th > a")] for page in pages]
    assert int(PAGE_ROWS * FILL) <= len(rows[0]) <= PAGE_ROWS and sum(map(len, rows)) == total
    assert not (site / "checklists/index-3.html").exists()
    overall = [[bar for bar in html_tree(page).cssselect("progress") if bar.get("aria-label").startswith("All ")]
               for page in pages]
    assert [len(bars) for bars in overall] == [1, 0]  # the overall progress on the first page only
    assert rows[0][0] == "svc0000-tasks/index.html" and rows[1][-1] == f"svc{total - 1:04}-tasks/index.html"
    assert len({href for r in rows for href in r}) == total
    # sorted in the browser only while one page holds every row (tables.js sorts a page)
    assert not html_tree(pages[0]).cssselect("table[data-sortable]")
    assert all(page.stat().st_size < 2_000_000 for page in site.rglob("*.html"))


def test_rows_weighed_by_id_sum_as_the_function_that_weighed_them():
    rows = [f"row {n}" for n in range(50)]
    by_id = {id(row): len(row) * 3 for row in rows}
    assert list(running_weights(rows, by_id)) == list(running_weights(rows, lambda row: len(row) * 3))


@given(st.lists(st.text("ab/.-", min_size=1, max_size=6).filter(lambda p: not p.startswith("/")), unique=True))
def test_the_files_index_puts_each_file_under_its_top_level_folder(paths):
    from sitegen.site.todo_pages import by_folder

    counts = {path: len(path) for path in sorted(paths)}
    expected: dict = {}
    for path, count in counts.items():
        expected.setdefault(path.split("/")[0] + "/" if "/" in path else "(top level)", []).append((path, count))
    assert list(by_folder(counts).items()) == list(expected.items())
