"""A source file's page and a checklist document's page with thousands of
items are split into parts as long lists are: each part within the page
limits, every item on exactly one part, every link to an item leading to the
part that holds its anchor; a small page stays one page at its URL."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from conftest import html_tree, run_sitegen

TODOS = 1200
TASKS = 2100


def _repository(root: Path) -> None:
    (root / "gen").mkdir(parents=True)
    (root / "gen/big.py").write_text("".join(
        f"def f{n}(a, b):  # TODO: item {n} when a > b & c < d\n    return a + b * {n}\n" for n in range(TODOS)),
        encoding="utf-8")
    (root / "small.py").write_text("x = 1  # FIXME: one item\n", encoding="utf-8")
    lines = ["# Plan", ""]
    for phase in range(1, 4):
        lines += [f"## Phase {phase}: step", "", "A note on this phase.", ""]
        for n in range(TASKS // 3):
            if n % 40 == 0:
                lines.append(f"- [ ] (A) parent {phase}-{n}")
            else:
                lines.append(f"  - [{'x' if n % 3 == 0 else ' '}] task {phase}-{n} with **bold** and `code`")
        lines.append("")
    (root / "TASKS.md").write_text("\n".join(lines), encoding="utf-8")


def _target(site: Path, page: str, href: str) -> tuple[str, str]:
    """(the site path, the anchor) a link on `page` leads to."""
    path, _, anchor = href.partition("#")
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path))), anchor


def test_long_file_and_document_pages_are_parts_within_the_limits(tmp_path: Path):
    root = tmp_path / "repo"
    _repository(root)
    result = run_sitegen("build", "--strict", cwd=root)  # --strict: every page link and #anchor resolves
    assert result.returncode == 0, result.stderr
    site = root / "public"
    pages = {str(p.relative_to(site)): p for p in site.rglob("*.html")}
    assert all(p.stat().st_size <= 2_000_000 for p in pages.values())

    file_parts = sorted((url for url in pages if url.startswith("files/gen/big.py")), key=lambda u: (len(u), u))
    doc_parts = sorted((url for url in pages if url.startswith("checklists/tasks/")), key=lambda u: (len(u), u))
    assert file_parts[0] == "files/gen/big.py.html" and len(file_parts) > 2
    assert doc_parts[0] == "checklists/tasks/index.html" and len(doc_parts) > 1
    where: dict[str, str] = {}  # item id → the part holding its anchor
    for url in file_parts + doc_parts:
        page = html_tree(pages[url])
        ids = [el.get("id") for el in page.xpath("//article[@id] | //li[@id and contains(@class, 'task')]")]
        assert len(ids) <= 5000
        assert not set(ids) & set(where), "an item on two parts"
        where.update(dict.fromkeys(ids, url))
        assert page.xpath("//nav[@class='pager']//*[@aria-current='page']")
    assert sum(1 for url in where.values() if url.startswith("files/")) == TODOS
    assert sum(1 for url in where.values() if url.startswith("checklists/")) == TASKS - TASKS % 3
    last = html_tree(pages[file_parts[-1]])
    assert "(continued)" in last.xpath("//h2")[0].text_content()
    # A document's pager counts its tasks (its parts also hold headings)
    counted = html_tree(pages[doc_parts[-1]]).xpath("//span[@class='pager-rows']")[0].text_content()
    assert counted.startswith("Tasks ") and counted.endswith(f"of {TASKS}"), counted
    # A nested list that a part begins inside: its parent is shown again, without its anchor
    continued = [html_tree(pages[url]).xpath("//li[@class='task continued']") for url in doc_parts[1:]]
    assert any(continued) and all(li.get("id") is None for lis in continued for li in lis)
    # The summary (progress, phases) is on the first part; its phase links lead to their headings
    first = html_tree(pages[doc_parts[0]])
    phase_links = [link.get("href") for link in first.xpath("//section[@class='phases']//a")]
    assert len(phase_links) == 3 and any(not href.startswith("#") for href in phase_links)
    for href in phase_links:
        target, anchor = _target(site, doc_parts[0], href) if not href.startswith("#") else (doc_parts[0], href[1:])
        assert html_tree(pages[target]).get_element_by_id(anchor) is not None

    # Every link to an item leads to the part holding it: the TODO list, the priority table, the data files
    checked = 0
    for url in [u for u in pages if u.startswith(("todos/index", "priorities/index"))]:
        for link in html_tree(pages[url]).xpath("//td[@class='location']/a"):
            target, anchor = _target(site, url, link.get("href"))
            if anchor in where:
                assert where[anchor] == target, link.get("href")
                checked += 1
    assert checked >= TODOS
    search = json.loads(re.search(r"=(\{.*\});", (site / "data/search.js").read_text()).group(1))
    hrefs = {item[-1]: item[4] for item in search["items"]}
    todos = json.loads(re.search(r"=(\{.*\});", (site / "data/todos.js").read_text()).group(1))
    hrefs_of_rows = {row[-1]: row[3][1] for row in todos["rows"]}
    for item_id, url in where.items():
        assert _target(site, "index.html", hrefs[item_id]) == (url, item_id)
        if item_id in hrefs_of_rows:
            assert _target(site, "index.html", hrefs_of_rows[item_id]) == (url, item_id)

    # A small file's page is one page, without a pager
    small = html_tree(pages["files/small.py.html"])
    assert not small.xpath("//nav[@class='pager']") and len(small.xpath("//article")) == 1


def test_the_markdown_exports_links_lead_to_the_part_holding_each_item(tmp_path: Path):
    """`export --format markdown` links each open P1/P2 item where the site puts it: a TODO past the
    1,000th row of its file's page, a task past the 1,000th of its document, on their second parts;
    a finding outside the tree on its tool's page."""
    root = tmp_path / "repo"
    (root / "gen").mkdir(parents=True)
    lines = ["z = 0  # FIXME: urgent first\n", *(f"x{n} = {n}  # TODO: item {n}\n" for n in range(1100)),
             *(f"y{n} = {n}  # FIXME: urgent {n}\n" for n in range(4))]
    (root / "gen/big.py").write_text("".join(lines), encoding="utf-8")
    (root / "TASKS.md").write_text("# Plan\n\n" + "".join(f"- [ ] task {n}\n" for n in range(1100))
                                   + "- [ ] P1 ship it\n", encoding="utf-8")
    results = [{"ruleId": "S1", "level": "error", "message": {"text": text},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": line}}}]}
               for text, uri, line in (("in the tree", "gen/big.py", len(lines)), ("outside", "../x.py", 1))]
    (root / "lint.sarif").write_text(json.dumps(
        {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "lint"}}, "results": results}]}))
    (root / "sitegen.yaml").write_text('base_url: "https://example.org/health/"\n', encoding="utf-8")
    assert run_sitegen("build", "--strict", cwd=root).returncode == 0
    exported = run_sitegen("export", "--format", "markdown", "--no-collect", cwd=root)
    assert exported.returncode == 0, exported.stderr
    links = re.findall(r"\]\(https://example\.org/health/([^)#]+)#([^)]+)\)", exported.stdout)
    assert len(links) == 1 + 2 + 5  # every open P1 and P2 item: the task, the findings, the FIXMEs
    site = root / "public"
    for page, anchor in links:
        assert html_tree(site / unquote(page)).get_element_by_id(anchor) is not None, (page, anchor)
    pages = {page for page, _ in links}
    later = {page for page in pages if re.fullmatch(r"files/gen/big\.py-\d+\.html", page)}
    assert later and pages - later == {"files/gen/big.py.html", "checklists/tasks/index-2.html",
                                       "findings/tool-lint.html"}


def test_the_todo_lists_data_follows_todos_that_findings_move_to_another_part(tmp_path: Path):
    """A file's findings come first on its page: more of them move its TODOs to later parts, with
    todos.yaml unchanged, and data/todos.js, made only when what it holds changed, is made again."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "a.py").write_text("".join(f"x{n} = {n}  # TODO: item {n}\n" for n in range(1000)), encoding="utf-8")
    for findings in (0, 150, 300):  # three builds: the third finds the first's site in staging
        results = [{"ruleId": "S1", "level": "error", "message": {"text": f"finding {n} " + "x" * 50},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.py"},
                                                        "region": {"startLine": n + 1}}}]} for n in range(findings)]
        (root / "lint.sarif").write_text(json.dumps(
            {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "lint"}}, "results": results}]}))
        assert run_sitegen("build", cwd=root).returncode == 0
    site = root / "public"
    where = {anchor: str(page.relative_to(site)) for page in site.glob("files/a.py*.html")
             for anchor in html_tree(page).xpath("//article/@id")}
    todos = json.loads(re.search(r"=(\{.*\});", (site / "data/todos.js").read_text()).group(1))
    assert len(set(where.values())) > 1
    assert {row[-1]: row[3][1].partition("#")[0] for row in todos["rows"]} == {
        anchor: page for anchor, page in where.items() if anchor.startswith("td-")}
